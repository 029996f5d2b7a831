-- Lifetime insights of Instagram media (reach, views), one row per media item.
{# Before the first pull of this source the raw table does not exist yet: read an empty one. -#}
{%- set raw_relation = source('raw', 'api_instagram_media') -%}
{%- set raw_exists = (load_relation(raw_relation) is not none) if execute else true %}
with

source as (
    select * from {% if raw_exists %}{{ raw_relation }}{% else %}(select null::date as report_month, null::varchar as provider, null::varchar as endpoint, null::integer as response_index, null::timestamp as requested_at, null::integer as http_status, null::json as response_json, null::timestamp as loaded_at where false){% endif %}
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
