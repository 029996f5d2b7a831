-- Lifetime insights of Instagram media (reach, views), one row per media item.
with

source as (
    select * from {{ source('raw', 'api_instagram_media') }}
    where regexp_matches(endpoint, '/insights(\?|$)')
),

metric_values as (
    select
        report_month,
        requested_at,
        regexp_extract(endpoint, '/([^/?]+)/insights', 1) as media_id,
        unnest(json_extract(response_json, '$.data[*]')) as item
    from source
),

named as (
    select
        report_month,
        requested_at,
        media_id,
        item ->> 'name' as metric_name,
        json_extract(item, '$.values[#-1].value')::bigint as metric_value
    from metric_values
)

select
    media_id,
    any_value(report_month) as report_month,
    max(metric_value) filter (where metric_name = 'reach') as reach,
    max(metric_value) filter (where metric_name = 'views') as views
from named
group by media_id
