-- Website (GA4) figures per report month.
{{ config(materialized='incremental') }}
with

active_users as (
    select * from {{ ref('stg_ga4__active_users') }}
    where {{ is_month_to_build('report_month') }}
),

pages as (
    select report_month, count(*) as pages_reported, sum(page_views) as page_views_reported
    from {{ ref('stg_ga4__page_views') }}
    where {{ is_month_to_build('report_month') }}
    group by report_month
)

select
    active_users.report_month,
    active_users.active_users,
    coalesce(pages.pages_reported, 0) as pages_reported,
    pages.page_views_reported
from active_users
left join pages using (report_month)
