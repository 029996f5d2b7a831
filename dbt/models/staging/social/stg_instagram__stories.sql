-- Instagram stories seen by the daily pulls (a story is live 24 h, so it may be seen twice).
with

source as (
    select * from {{ source('raw', 'api_instagram_stories') }}
),

items as (
    select taken_at, unnest(json_extract(response_json, '$.data[*]')) as item
    from source
),

typed as (
    select
        item ->> 'id' as story_id,
        {{ api_timestamp_utc("item ->> 'timestamp'") }} as published_at_utc,
        taken_at
    from items
)

select
    story_id,
    published_at_utc,
    {{ to_wib('published_at_utc') }} as published_at_wib,
    {{ wib_report_month('published_at_utc') }} as report_month,
    min(taken_at) over (partition by story_id) as first_seen_at_utc
from typed
qualify row_number() over (partition by story_id order by taken_at) = 1
