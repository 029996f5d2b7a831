-- Social-media figures of every loaded month, one row per (month, metric); dimension always ''.
{#- reads fct_social_media_monthly, whose month reads the next month's story pulls -#}
{{ config(materialized='incremental', meta={'month_rule': 'own_and_adjacent'}) }}
with

monthly as (
    select * from {{ ref('fct_social_media_monthly') }}
    where {{ is_month_to_build('report_month') }}
),

instagram as (
    select * from monthly
    where platform = 'instagram'
),

facebook as (
    select * from monthly
    where platform = 'facebook'
),

x as (
    select * from monthly
    where platform = 'x'
),

metrics as (
    select report_month, 'instagram_followers' as metric, followers::double as value from instagram
    union all
    select report_month, 'instagram_feed_posts', feed_posts from instagram
    union all
    select report_month, 'instagram_stories', stories from instagram
    union all
    select report_month, 'instagram_reach_total', reach_total from instagram
    union all
    select report_month, 'instagram_reach_avg', reach_avg from instagram
    union all
    select report_month, 'x_followers', followers from x
    union all
    select report_month, 'x_posts', posts from x
    union all
    select report_month, 'x_impressions', impressions from x
    union all
    select report_month, 'facebook_followers', followers from facebook
    union all
    select report_month, 'facebook_posts', posts from facebook
    union all
    select report_month, 'facebook_reach_avg', reach_avg from facebook
    union all
    -- (Instagram feed + stories + X posts + Facebook posts) / 3, rounded as the report prints it
    select
        instagram.report_month,
        'social_content_avg',
        round((instagram.feed_posts + instagram.stories + x.posts + facebook.posts) / 3.0)
    from instagram
    inner join x using (report_month)
    inner join facebook using (report_month)
)

select 'social_media' as metric_domain, report_month, metric, '' as dimension, value::double as value
from metrics
where value is not null
