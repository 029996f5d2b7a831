-- GA4 active users of each report month: the report requested without dimensions (per-page
-- active users do not add up to the month's users).
{{ config(materialized='incremental') }}
with

source as (
    select * from {{ source('raw', 'api_ga4_reports') }}
    where {{ is_month_to_build('report_month') }}
),

totals_reports as (
    select report_month, requested_at, response_json
    from source
    where json_array_length(coalesce(response_json -> '$.dimensionHeaders', '[]')) = 0
),

metric_positions as (
    select
        report_month,
        requested_at,
        response_json,
        list_position(
            json_extract_string(response_json, '$.metricHeaders[*].name'), 'activeUsers'
        ) as users_position
    from totals_reports
)

select
    report_month,
    json_extract_string(response_json, '$.rows[0].metricValues[' || (users_position - 1) || '].value')::bigint
        as active_users,
    requested_at
from metric_positions
where users_position is not null
qualify row_number() over (partition by report_month order by requested_at desc) = 1
