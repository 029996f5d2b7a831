-- Every ticket's WIB day lies inside the service calendar, which ends with the last year whose cuti
-- bersama are known (the holiday seed). A ticket past it cannot be judged in or outside service hours:
-- the build fails here instead of counting it as outside. Fix: upgrade `holidays`, rewrite the seed
-- (python -m dagster_project.reference.holiday_calendar).
with

calendar_bounds as (
    select min(calendar_date) as first_day, max(calendar_date) as last_day
    from {{ ref('dim_service_calendar') }}
)

select tickets.ticket_id, cast(tickets.created_at_wib as date) as ticket_day, calendar_bounds.last_day
from {{ ref('int_tickets__classified') }} as tickets
cross join calendar_bounds
where
    cast(tickets.created_at_wib as date) < calendar_bounds.first_day
    or cast(tickets.created_at_wib as date) > calendar_bounds.last_day
