-- PPID requests with their response time in working days and whether it met the legal deadline
-- (10 working days, 17 with the extension; UU 14/2008). Working days come from the service
-- calendar: Monday-Friday without national holidays and cuti bersama.
{{ config(materialized='incremental') }}
with

requests as (
    select * from {{ ref('stg_ppid__requests') }}
    where {{ is_month_to_build('report_month') }}
),

calendar as (
    select calendar_date, is_working_day from {{ ref('dim_service_calendar') }}
),

rules as (
    select * from {{ ref('service_rules') }}
),

timed as (
    select
        requests.*,
        requests.answered_on is not null as is_answered,
        (
            select count(*) from calendar
            where
                calendar.is_working_day
                and calendar.calendar_date > requests.requested_on
                and calendar.calendar_date <= requests.answered_on
        ) as response_working_days,
        base.rule_value + case when requests.has_extension then extension.rule_value else 0 end as deadline_working_days
    from requests
    left join rules as base
        on {{ rule_in_force('base', 'ppid_response_working_days', 'requests.requested_on') }}
    left join rules as extension
        on {{ rule_in_force('extension', 'ppid_extension_working_days', 'requests.requested_on') }}
)

select
    *,
    case when is_answered then response_working_days <= deadline_working_days end as is_answered_on_time
from timed
