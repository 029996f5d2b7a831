-- Monthly employee-advocacy figures against the quarter's target.
{#- a month takes its quarter's target from the newest workbook landed up to it:
    a changed month changes later months -#}
{{ config(materialized='incremental', meta={'month_rule': 'own_and_later'}) }}
with

activations as (
    select * from {{ ref('stg_advocacy__activations') }}
    where {{ is_month_to_build('report_month') }}
),

accounts as (
    select * from {{ ref('stg_advocacy__accounts') }}
    where {{ is_month_to_build('report_month') }}
),

targets as (
    select * from {{ ref('stg_register__advocacy_targets') }}
),

months as (
    select report_month from ({{ loaded_months(['advocacy_activations']) }})
    where {{ is_month_to_build('report_month') }}
),

activity as (
    select
        months.report_month,
        strftime(months.report_month, '%Y') || '-Q' || quarter(months.report_month) as quarter_label,
        count(distinct activations.employee_id) as advocacy_employees,
        count(activations.activation_id) as advocacy_activations
    from months
    left join activations on months.report_month = activations.report_month
    group by months.report_month
),

account_totals as (
    select report_month, count(*) as advocacy_accounts from accounts
    group by report_month
),

quarter_targets as (
    -- the quarter's row from the newest workbook landed up to the month
    select
        activity.report_month,
        targets.target_employees,
        targets.all_employees,
        row_number() over (partition by activity.report_month order by targets.report_month desc) as newest
    from activity
    inner join targets
        on
            activity.quarter_label = targets.quarter_label
            and activity.report_month >= targets.report_month
)

select
    activity.report_month,
    activity.quarter_label,
    activity.advocacy_employees,
    activity.advocacy_activations,
    coalesce(account_totals.advocacy_accounts, 0) as advocacy_accounts,
    quarter_targets.target_employees,
    quarter_targets.all_employees,
    {{ pct('activity.advocacy_employees', 'quarter_targets.target_employees') }} as advocacy_target_pct,
    {{ pct('activity.advocacy_employees', 'quarter_targets.all_employees') }} as advocacy_employee_pct
from activity
left join account_totals on activity.report_month = account_totals.report_month
left join quarter_targets on activity.report_month = quarter_targets.report_month and quarter_targets.newest = 1
