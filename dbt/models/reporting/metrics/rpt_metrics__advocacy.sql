-- Employee-advocacy figures per month.
{#- reads fct_employee_advocacy_monthly, whose months read earlier months -#}
{{ config(materialized='incremental', meta={'month_rule': 'own_and_later'}) }}
with

monthly as (
    select * from {{ ref('fct_employee_advocacy_monthly') }}
    where {{ is_month_to_build('report_month') }}
),

breakdowns as (
    select * from {{ ref('fct_employee_advocacy_breakdowns_monthly') }}
    where {{ is_month_to_build('report_month') }}
),

named as (
    -- the two denominators behind the percentages, as the register gives them for the month's quarter
    select *, target_employees as advocacy_target_employees, all_employees as advocacy_headcount
    from monthly
),

totals as (
    select report_month, metric, value
    from named
    unpivot (value for metric in (
        advocacy_employees, advocacy_activations, advocacy_accounts, advocacy_target_pct, advocacy_employee_pct,
        advocacy_target_employees, advocacy_headcount
    ))
)

select 'advocacy' as metric_domain, report_month, metric, '' as dimension, value::double as value from totals
union all
select
    'advocacy',
    report_month,
    case breakdown when 'activation_type' then 'advocacy_activations' else 'advocacy_accounts' end,
    breakdown_value,
    records::double
from breakdowns
