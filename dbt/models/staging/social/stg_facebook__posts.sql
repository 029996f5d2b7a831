-- Facebook Page posts of every pull with their configured insight metric (one row per post), in the WIB
-- month of the post's own created_time.
with

list_pages as (
    select * from {{ source('raw', 'api_facebook_posts') }}
    where regexp_matches(endpoint, '/posts(\?|$)')
),

insight_pages as (
    select * from {{ source('raw', 'api_facebook_posts') }}
    where regexp_matches(endpoint, '/insights(\?|$)')
),

posts as (
    select report_month, requested_at, unnest(json_extract(response_json, '$.data[*]')) as item
    from list_pages
),

typed_posts as (
    select
        report_month as pulled_month,
        item ->> 'id' as post_id,
        {{ api_timestamp_utc("item ->> 'created_time'") }} as created_at_utc,
        requested_at
    from posts
    qualify row_number() over (partition by item ->> 'id' order by requested_at desc) = 1
),

insight_items as (
    select
        regexp_extract(endpoint, '/([^/?]+)/insights', 1) as post_id,
        requested_at,
        unnest(json_extract(response_json, '$.data[*]')) as item
    from insight_pages
),

insights as (
    select
        post_id,
        item ->> 'name' as metric_name,
        json_extract(item, '$.values[#-1].value')::bigint as metric_value
    from insight_items
    qualify row_number() over (partition by post_id, item ->> 'name' order by requested_at desc) = 1
)

select
    {{ wib_report_month('typed_posts.created_at_utc') }} as report_month,
    typed_posts.pulled_month,
    typed_posts.post_id,
    typed_posts.created_at_utc,
    {{ to_wib('typed_posts.created_at_utc') }} as created_at_wib,
    insights.metric_name as reach_metric,
    insights.metric_value as reach
from typed_posts
left join insights on typed_posts.post_id = insights.post_id
