-- The most viewed website pages of each report month, ranked by screenPageViews.
{{ config(materialized='incremental') }}
with

pages as (
    select * from {{ ref('stg_ga4__page_views') }}
    where {{ is_month_to_build('report_month') }}
)

select
    report_month,
    row_number() over (partition by report_month order by page_views desc, page_path asc, page_title asc) as page_rank,
    page_path,
    page_title,
    page_views,
    active_users
from pages
