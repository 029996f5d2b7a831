-- Knowledge-base entries per unit and snapshot month, and how many still need a review.
{{ config(materialized='incremental') }}
with

reviews as (
    select * from {{ ref('stg_knowledge_base__faq_reviews') }}
    where {{ is_month_to_build('report_month') }}
)

select
    report_month,
    unit,
    count(*) as faq_entries_flagged,
    count(*) filter (where review_status = 'perlu_review') as faq_needing_review
from reviews
group by all
