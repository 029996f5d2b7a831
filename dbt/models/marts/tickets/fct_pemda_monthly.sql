-- Monthly ticket counts per pemda the users said they are from (matched tickets only).
{{ config(materialized='incremental') }}
with

tickets as (
    select * from {{ ref('fct_tickets') }}
    where pemda_id is not null and {{ is_month_to_build('report_month') }}
),

per_topic as (
    select report_month, pemda_id, department, count(*) as tickets
    from tickets
    group by all
)

select
    tickets.report_month,
    tickets.pemda_id,
    any_value(tickets.pemda_name) as pemda_name,
    any_value(tickets.province_name) as province_name,
    any_value(tickets.time_zone) as time_zone,
    count(*) as tickets,
    count(*) filter (where tickets.is_escalated) as tickets_escalated,
    (
        select string_agg(per_topic.department, ', ' order by per_topic.tickets desc, per_topic.department asc)
        from per_topic
        where per_topic.report_month = tickets.report_month and per_topic.pemda_id = tickets.pemda_id
    ) as departments_by_frequency
from tickets
group by tickets.report_month, tickets.pemda_id
