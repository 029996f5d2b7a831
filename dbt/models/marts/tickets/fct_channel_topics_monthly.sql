-- Monthly ticket counts by channel and topic (department): the top topics of each channel.
{{ config(materialized='incremental') }}
with

tickets as (
    select * from {{ ref('fct_tickets') }}
    where {{ is_month_to_build('report_month') }}
)

select
    report_month,
    channel_code,
    department,
    count(*) as tickets,
    count(*) filter (where is_escalated) as tickets_escalated
from tickets
group by report_month, channel_code, department
