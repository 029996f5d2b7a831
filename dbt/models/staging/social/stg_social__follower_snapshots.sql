-- Follower snapshots of the three accounts, one row per platform and pull.
{# Before the first pull of this source the raw table does not exist yet: read an empty one. -#}
{%- set raw_relation = source('raw', 'api_follower_snapshots') -%}
{%- set raw_exists = (load_relation(raw_relation) is not none) if execute else true %}
with

source as (
    select * from {% if raw_exists %}{{ raw_relation }}{% else %}(select null::varchar as platform, null::timestamp as taken_at, null::date as snapshot_date, null::date as report_month, null::bigint as followers, null::varchar as provider, null::varchar as endpoint, null::json as response_json, null::timestamp as loaded_at where false){% endif %}
)

select
    platform,
    taken_at as taken_at_utc,
    taken_at + interval ({{ var('wib_utc_offset_hours') }}) hour as taken_at_wib,
    date_trunc('month', taken_at + interval ({{ var('wib_utc_offset_hours') }}) hour)::date as report_month,
    followers
from source
qualify row_number() over (partition by platform, taken_at order by loaded_at desc) = 1
