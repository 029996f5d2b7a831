-- The service calendar: which days the contact center is open and its hours on those days.
with

days as (
    select cast(range as date) as calendar_date
    from range(date '{{ var("calendar_start") }}', date '{{ var("calendar_end") }}' + interval 1 day, interval 1 day)
),

holidays as (
    select * from {{ ref('id_holidays') }}
),

classified as (
    select
        days.calendar_date,
        isodow(days.calendar_date) as iso_weekday,
        holidays.holiday_name,
        holidays.holiday_kind,
        isodow(days.calendar_date) <= 5 and holidays.holiday_date is null as is_working_day
    from days
    left join holidays on holidays.holiday_date = days.calendar_date
)

select
    *,
    case when is_working_day then calendar_date + time '{{ var("service_hours_start") }}' end as service_starts_at,
    case when is_working_day then calendar_date + time '{{ var("service_hours_end") }}' end as service_ends_at
from classified
