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

totals as (
    select report_month, metric, value
    from monthly
    unpivot (value for metric in (
        advocacy_employees, advocacy_activations, advocacy_accounts, advocacy_target_pct, advocacy_employee_pct
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
