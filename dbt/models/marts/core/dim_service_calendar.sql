-- The service calendar: which days the contact center is open and its hours on those days.
-- It runs from calendar_start to the end of the last year of the holiday seed (the years whose cuti
-- bersama are known: dagster_project/reference/holiday_calendar.py); a ticket after it fails the test
-- assert_ticket_days_within_service_calendar instead of counting as outside service hours.
with

holidays as (
    select * from {{ ref('id_holidays') }}
),

bounds as (
    select
        date '{{ var("calendar_start") }}' as first_day,
        make_date(cast(max(year(holiday_date)) as integer), 12, 31) as last_day
    from holidays
),

days as (
    select cast(unnest(generate_series(first_day, last_day, interval 1 day)) as date) as calendar_date
    from bounds
),

classified as (
    select
        days.calendar_date,
        isodow(days.calendar_date) as iso_weekday,
        holidays.holiday_name,
        holidays.holiday_kind,
        isodow(days.calendar_date) <= 5 and holidays.holiday_date is null as is_working_day
    from days
    left join holidays on days.calendar_date = holidays.holiday_date
)

select
    *,
    case when is_working_day then calendar_date + time '{{ var("service_hours_start") }}' end as service_starts_at,
    case when is_working_day then calendar_date + time '{{ var("service_hours_end") }}' end as service_ends_at
from classified
