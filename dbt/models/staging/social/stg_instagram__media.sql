-- Instagram media of every pull (all cursor pages), one row per media item, in the WIB month of its own timestamp.
with

source as (
    select * from {{ source('raw', 'api_instagram_media') }}
    where regexp_matches(endpoint, '/media(\?|$)')
),

items as (
    select report_month, requested_at, unnest(json_extract(response_json, '$.data[*]')) as item
    from source
),

typed as (
    select
        report_month as pulled_month,
        item ->> 'id' as media_id,
        item ->> 'media_type' as media_type,
        item ->> 'media_product_type' as media_product_type,
        {{ api_timestamp_utc("item ->> 'timestamp'") }} as published_at_utc,
        item ->> 'permalink' as permalink,
        requested_at
    from items
)

select
    {{ wib_report_month('published_at_utc') }} as report_month,
    pulled_month,
    media_id,
    media_type,
    media_product_type,
    media_product_type = 'FEED' as is_feed_post,
    published_at_utc,
    {{ to_wib('published_at_utc') }} as published_at_wib,
    permalink
from typed
qualify row_number() over (partition by media_id order by requested_at desc) = 1
