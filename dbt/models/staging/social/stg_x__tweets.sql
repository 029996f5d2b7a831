-- X posts of every pull (every pagination_token page), one row per post, in the WIB month of its own created_at.
with

source as (
    select * from {{ source('raw', 'api_x_tweets') }}
),

items as (
    select report_month, requested_at, unnest(json_extract(response_json, '$.data[*]')) as item
    from source
),

typed as (
    select
        report_month as pulled_month,
        item ->> 'id' as tweet_id,
        {{ api_timestamp_utc("item ->> 'created_at'") }} as created_at_utc,
        (item -> '$.public_metrics' ->> 'impression_count')::bigint as impressions,
        (item -> '$.public_metrics' ->> 'like_count')::bigint as likes,
        (item -> '$.public_metrics' ->> 'retweet_count')::bigint as retweets,
        (item -> '$.public_metrics' ->> 'reply_count')::bigint as replies,
        requested_at
    from items
)

select
    {{ wib_report_month('created_at_utc') }} as report_month,
    pulled_month,
    tweet_id,
    created_at_utc,
    {{ to_wib('created_at_utc') }} as created_at_wib,
    impressions,
    likes,
    retweets,
    replies
from typed
qualify row_number() over (partition by tweet_id order by requested_at desc) = 1
