-- Monthly ticket counts by channel and user category; every column sums to the month's totals.
{{ config(materialized='incremental') }}
with

tickets as (
    select * from {{ ref('fct_tickets') }}
    where {{ is_month_to_build('report_month') }}
)

select
    report_month,
    channel_code,
    person_category,
    count(*) as tickets,
    count(*) filter (where is_time_zone_identified) as tickets_tz_identified,
    count(*) filter (where is_time_zone_identified and is_created_in_service_hours) as tickets_in_service_hours,
    count(*) filter (where is_time_zone_identified and not is_created_in_service_hours and time_zone = 'WIB')
        as tickets_out_of_service_hours_wib,
    count(*) filter (where is_time_zone_identified and not is_created_in_service_hours and time_zone = 'WITA')
        as tickets_out_of_service_hours_wita,
    count(*) filter (where is_time_zone_identified and not is_created_in_service_hours and time_zone = 'WIT')
        as tickets_out_of_service_hours_wit,
    count(*) filter (where is_escalated) as tickets_escalated,
    count(*) filter (where is_complaint) as complaints
from tickets
group by report_month, channel_code, person_category
