-- PPID figures per month.
{{ config(materialized='incremental') }}
with

monthly as (
    select * from {{ ref('fct_ppid_monthly') }}
    where {{ is_month_to_build('report_month') }}
)

select 'ppid' as metric_domain, report_month, metric, '' as dimension, value::double as value
from monthly
unpivot (value for metric in (
    ppid_requests, ppid_granted, ppid_partly_granted, ppid_rejected, ppid_in_process, ppid_answered,
    ppid_answered_on_time, ppid_on_time_pct, ppid_extended, ppid_objections, ppid_avg_response_working_days
))
