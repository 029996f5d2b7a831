-- Answered phone calls per agent and month: the factors of the agent performance slide that the
-- Avaya CMS export carries (calls answered, talk time, after-call work).
{{ config(materialized='incremental') }}
with

answered as (
    select * from {{ ref('fct_calls') }}
    where is_answered and {{ is_month_to_build('report_month') }}
)

select
    report_month,
    coalesce(agent_login, '(tanpa login agen)') as agent_login,
    count(*) as calls_answered,
    sum(talk_seconds) as talk_seconds,
    sum(after_call_work_seconds) as after_call_work_seconds,
    round(avg(talk_seconds), 1) as talk_seconds_avg,
    round(avg(after_call_work_seconds), 1) as after_call_work_seconds_avg
from answered
group by all
