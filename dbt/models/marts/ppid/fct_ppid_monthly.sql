-- Monthly PPID figures.
{{ config(materialized='incremental') }}
with

requests as (
    select * from {{ ref('fct_ppid_requests') }}
    where {{ is_month_to_build('report_month') }}
),

months as (
    select report_month from ({{ loaded_months(['ppid']) }})
    where {{ is_month_to_build('report_month') }}
),

monthly as (
    select
        months.report_month,
        count(requests.request_number) as ppid_requests,
        count(requests.request_number) filter (where requests.request_status = 'dikabulkan') as ppid_granted,
        count(requests.request_number) filter (where requests.request_status = 'dikabulkan_sebagian')
            as ppid_partly_granted,
        count(requests.request_number) filter (where requests.request_status = 'ditolak') as ppid_rejected,
        count(requests.request_number) filter (where requests.request_status = 'diproses') as ppid_in_process,
        count(requests.request_number) filter (where requests.is_answered) as ppid_answered,
        count(requests.request_number) filter (where requests.is_answered_on_time) as ppid_answered_on_time,
        count(requests.request_number) filter (where requests.has_extension) as ppid_extended,
        count(requests.request_number) filter (where requests.has_objection) as ppid_objections,
        round(avg(requests.response_working_days) filter (where requests.is_answered), 2)
            as ppid_avg_response_working_days
    from months
    left join requests on months.report_month = requests.report_month
    group by months.report_month
)

select *, {{ pct('ppid_answered_on_time', 'ppid_answered') }} as ppid_on_time_pct
from monthly
