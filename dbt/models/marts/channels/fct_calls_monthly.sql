-- Monthly phone-line figures. The service level is defined here and only here (see the yml).
{{ config(materialized='incremental') }}
with

calls as (
    select * from {{ ref('fct_calls') }}
    where {{ is_month_to_build('report_month') }}
),

months as (
    select report_month from ({{ loaded_months(['calls']) }})
    where {{ is_month_to_build('report_month') }}
),

monthly as (
    select
        months.report_month,
        count(calls.call_id) filter (where calls.is_offered) as calls_offered,
        count(calls.call_id) filter (where calls.is_answered) as calls_answered,
        count(calls.call_id) filter (where calls.is_abandoned) as calls_abandoned,
        count(calls.call_id) filter (where calls.is_busy) as calls_busy,
        count(calls.call_id) filter (where calls.is_answered_within_threshold) as calls_answered_within_threshold,
        count(calls.call_id) filter (where calls.is_queued and calls.is_offered) as calls_queued,
        count(calls.call_id) filter (where calls.is_queued and calls.is_answered) as calls_queued_answered,
        round(avg(calls.queue_seconds) filter (where calls.is_answered), 2) as average_speed_of_answer_seconds
    from months
    left join calls on months.report_month = calls.report_month
    group by months.report_month
)

select
    *,
    {{ pct('calls_answered_within_threshold', 'calls_offered') }} as service_level_pct,
    {{ pct('calls_abandoned', 'calls_offered') }} as abandoned_pct,
    {{ pct('calls_queued_answered', 'calls_queued') }} as queued_answered_pct
from monthly
