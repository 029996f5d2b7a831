-- Website figures of every loaded month: active users and the ten most viewed pages.
{{ config(materialized='incremental') }}
with

monthly as (
    select * from {{ ref('fct_website_monthly') }}
    where {{ is_month_to_build('report_month') }}
),

titles as (
    -- one rank per page title (two paths can share a title: the better rank counts)
    select report_month, page_title, min(page_rank) as page_rank
    from {{ ref('fct_website_top_pages') }}
    where {{ is_month_to_build('report_month') }}
    group by report_month, page_title
),

ranked_titles as (
    select
        report_month,
        page_title,
        row_number() over (partition by report_month order by page_rank) as title_rank
    from titles
),

metrics as (
    select report_month, 'website_active_users' as metric, '' as dimension, active_users::double as value
    from monthly
    union all
    select report_month, 'website_top_pages', page_title, title_rank
    from ranked_titles
    where title_rank <= 10
)

select 'website' as metric_domain, report_month, metric, dimension, value::double as value from metrics
