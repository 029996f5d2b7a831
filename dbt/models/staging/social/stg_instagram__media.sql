-- Instagram media of each pulled month (all cursor pages), one row per media item.
{# Before the first pull of this source the raw table does not exist yet: read an empty one. -#}
{%- set raw_relation = source('raw', 'api_instagram_media') -%}
{%- set raw_exists = (load_relation(raw_relation) is not none) if execute else true %}
with

source as (
    select * from {% if raw_exists %}{{ raw_relation }}{% else %}(select null::date as report_month, null::varchar as provider, null::varchar as endpoint, null::integer as response_index, null::timestamp as requested_at, null::integer as http_status, null::json as response_json, null::timestamp as loaded_at where false){% endif %}
    where regexp_matches(endpoint, '/media(\?|$)')
),

items as (
    select report_month, requested_at, unnest(json_extract(response_json, '$.data[*]')) as item
    from source
),

typed as (
    select
        report_month,
        item ->> 'id' as media_id,
        item ->> 'media_type' as media_type,
        item ->> 'media_product_type' as media_product_type,
        strptime(left(item ->> 'timestamp', 19), '%Y-%m-%dT%H:%M:%S') as published_at_utc,
        item ->> 'permalink' as permalink,
        requested_at
    from items
)

select
    report_month,
    media_id,
    media_type,
    media_product_type,
    media_product_type = 'FEED' as is_feed_post,
    published_at_utc,
    published_at_utc + interval ({{ var('wib_utc_offset_hours') }}) hour as published_at_wib,
    permalink
from typed
qualify row_number() over (partition by media_id order by requested_at desc) = 1
