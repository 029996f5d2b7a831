-- Employee advocacy by activation type and by platform, every listed value (0 included).
{{ config(materialized='incremental') }}
with

activations as (
    select report_month, activation_type from {{ ref('stg_advocacy__activations') }}
    where {{ is_month_to_build('report_month') }}
),

accounts as (
    select report_month, platform from {{ ref('stg_advocacy__accounts') }}
    where {{ is_month_to_build('report_month') }}
),

months as (
    select report_month from ({{ loaded_months(['advocacy_activations']) }})
    where {{ is_month_to_build('report_month') }}
),

listed as (
    select dimension_set, dimension_value, sort_order from {{ ref('report_dimensions') }}
    where dimension_set in ('advocacy_activation_type', 'advocacy_platform')
),

counted as (
    select
        report_month,
        'advocacy_activation_type' as dimension_set,
        activation_type as dimension_value,
        count(*) as records
    from activations
    group by all
    union all
    select report_month, 'advocacy_platform', platform, count(*) from accounts
    group by all
)

select
    months.report_month,
    case listed.dimension_set when 'advocacy_activation_type' then 'activation_type' else 'platform' end as breakdown,
    listed.dimension_value as breakdown_value,
    listed.sort_order,
    coalesce(counted.records, 0) as records
from months
cross join listed
left join counted
    on
        months.report_month = counted.report_month
        and listed.dimension_set = counted.dimension_set
        and listed.dimension_value = counted.dimension_value
