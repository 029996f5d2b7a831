-- Social-media figures per report month and platform (Instagram, Facebook Page, X).
{#- a story published on a month's last evening may be first seen by the next month's daily pull; a post listed
    by one month's pull counts in the WIB month of its own timestamp (the month before or after, too) -#}
{{ config(materialized='incremental', meta={'month_rule': 'own_and_adjacent'}) }}
with

instagram_months as (
    select report_month from {{ ref('stg_social__api_pulls') }}
    where platform = 'instagram'
),

facebook_months as (
    select report_month from {{ ref('stg_social__api_pulls') }}
    where platform = 'facebook'
),

x_months as (
    select report_month from {{ ref('stg_social__api_pulls') }}
    where platform = 'x'
),

media as (
    select media.*, insights.reach, insights.views
    from {{ ref('stg_instagram__media') }} as media
    left join {{ ref('stg_instagram__media_insights') }} as insights using (media_id)
),

stories as (
    select report_month, count(*) as stories from {{ ref('stg_instagram__stories') }}
    group by report_month
),

last_followers as (
    select platform, report_month, followers, taken_at_wib
    from {{ ref('stg_social__follower_snapshots') }}
    qualify row_number() over (partition by platform, report_month order by taken_at_utc desc) = 1
),

instagram as (
    select
        months.report_month,
        'instagram' as platform,
        count(media.media_id) as posts,
        count(media.media_id) filter (where media.is_feed_post) as feed_posts,
        coalesce(sum(media.reach) filter (where media.is_feed_post), 0)::bigint as reach_total,
        sum(media.views) filter (where media.is_feed_post)::bigint as views_total,
        null::bigint as impressions
    from instagram_months as months
    left join media on months.report_month = media.report_month
    group by months.report_month
),

facebook as (
    select
        months.report_month,
        'facebook' as platform,
        count(posts.post_id) as posts,
        count(posts.post_id) as feed_posts,
        coalesce(sum(posts.reach), 0)::bigint as reach_total,
        null::bigint as views_total,
        null::bigint as impressions
    from facebook_months as months
    left join {{ ref('stg_facebook__posts') }} as posts on months.report_month = posts.report_month
    group by months.report_month
),

x as (
    select
        months.report_month,
        'x' as platform,
        count(tweets.tweet_id) as posts,
        count(tweets.tweet_id) as feed_posts,
        null::bigint as reach_total,
        null::bigint as views_total,
        coalesce(sum(tweets.impressions), 0)::bigint as impressions
    from x_months as months
    left join {{ ref('stg_x__tweets') }} as tweets on months.report_month = tweets.report_month
    group by months.report_month
),

pulled as (
    select * from instagram
    union all
    select * from facebook
    union all
    select * from x
),

platform_months as (
    select platform, report_month from pulled
    union
    select platform, report_month from last_followers
)

select
    platform_months.report_month,
    platform_months.platform,
    last_followers.followers,
    last_followers.taken_at_wib as followers_taken_at_wib,
    pulled.posts,
    pulled.feed_posts,
    case when platform_months.platform = 'instagram' then coalesce(stories.stories, 0) end as stories,
    pulled.reach_total,
    case when pulled.reach_total is not null then round(pulled.reach_total / nullif(pulled.feed_posts, 0)) end
        as reach_avg,
    pulled.views_total,
    pulled.impressions
from platform_months
left join pulled
    on platform_months.platform = pulled.platform and platform_months.report_month = pulled.report_month
left join last_followers
    on platform_months.platform = last_followers.platform and platform_months.report_month = last_followers.report_month
left join stories
    on platform_months.report_month = stories.report_month
where {{ is_month_to_build('platform_months.report_month') }}
