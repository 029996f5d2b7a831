-- Monthly ticket counts per pemda and topic (matched tickets only): the topics of each top pemda.
{{ config(materialized='incremental') }}
with

tickets as (
    select * from {{ ref('fct_tickets') }}
    where pemda_id is not null and {{ is_month_to_build('report_month') }}
)

select
    report_month,
    pemda_id,
    any_value(pemda_name) as pemda_name,
    department,
    count(*) as tickets
from tickets
group by report_month, pemda_id, department
