-- Monthly ticket counts by topic (department) and sub-topic (subject).
{{ config(materialized='incremental') }}
with

tickets as (
    select * from {{ ref('fct_tickets') }}
    where {{ is_month_to_build('report_month') }}
)

select
    report_month,
    department,
    coalesce(subject, '(tanpa sub-topik)') as subject,
    any_value(purpose) as purpose,
    any_value(is_technical) as is_technical,
    count(*) as tickets,
    count(*) filter (where is_escalated) as tickets_escalated
from tickets
group by report_month, department, coalesce(subject, '(tanpa sub-topik)')
