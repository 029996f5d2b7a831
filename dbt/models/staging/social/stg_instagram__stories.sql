-- Instagram stories seen by the daily pulls (a story is live 24 h, so it may be seen twice).
{# Before the first pull of this source the raw table does not exist yet: read an empty one. -#}
{%- set raw_relation = source('raw', 'api_instagram_stories') -%}
{%- set raw_exists = (load_relation(raw_relation) is not none) if execute else true %}
with

source as (
    select * from {% if raw_exists %}{{ raw_relation }}{% else %}(select null::timestamp as taken_at, null::date as snapshot_date, null::date as report_month, null::varchar as provider, null::varchar as endpoint, null::integer as response_index, null::json as response_json, null::timestamp as loaded_at where false){% endif %}
),

items as (
    select taken_at, unnest(json_extract(response_json, '$.data[*]')) as item
    from source
),

typed as (
    select
        item ->> 'id' as story_id,
        strptime(left(item ->> 'timestamp', 19), '%Y-%m-%dT%H:%M:%S') as published_at_utc,
        taken_at
    from items
)

select
    story_id,
    published_at_utc,
    published_at_utc + interval ({{ var('wib_utc_offset_hours') }}) hour as published_at_wib,
    date_trunc('month', published_at_utc + interval ({{ var('wib_utc_offset_hours') }}) hour)::date as report_month,
    min(taken_at) over (partition by story_id) as first_seen_at_utc
from typed
qualify row_number() over (partition by story_id order by taken_at) = 1
