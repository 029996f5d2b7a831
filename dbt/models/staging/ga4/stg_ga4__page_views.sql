-- GA4 top-pages rows of each report month (pagePath × pageTitle), over every offset page.
{{ config(materialized='incremental') }}
with

source as (
    select * from {{ source('raw', 'api_ga4_reports') }}
    where {{ is_month_to_build('report_month') }}
),

page_reports as (
    select report_month, response_index, response_json
    from source
    where json_array_length(coalesce(response_json -> '$.dimensionHeaders', '[]')) > 0
),

headers as (
    select
        report_month,
        response_index,
        response_json,
        json_extract_string(response_json, '$.dimensionHeaders[*].name') as dimension_names,
        json_extract_string(response_json, '$.metricHeaders[*].name') as metric_names
    from page_reports
),

report_rows as (
    select
        report_month,
        response_index,
        dimension_names,
        metric_names,
        unnest(json_extract(response_json, '$.rows[*]')) as report_row
    from headers
),

typed as (
    select
        report_month,
        json_extract_string(
            report_row, '$.dimensionValues[' || (list_position(dimension_names, 'pagePath') - 1) || '].value'
        ) as page_path,
        json_extract_string(
            report_row, '$.dimensionValues[' || (list_position(dimension_names, 'pageTitle') - 1) || '].value'
        ) as page_title,
        json_extract_string(
            report_row, '$.metricValues[' || (list_position(metric_names, 'activeUsers') - 1) || '].value'
        )::bigint as active_users,
        json_extract_string(
            report_row, '$.metricValues[' || (list_position(metric_names, 'screenPageViews') - 1) || '].value'
        )::bigint as page_views,
        response_index
    from report_rows
)

select * exclude (response_index)
from typed
qualify row_number() over (partition by report_month, page_path, page_title order by response_index) = 1
