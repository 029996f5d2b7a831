-- Knowledge-base entries still needing review at the end of the snapshot month and of the two months
-- before it, all read from the snapshot month's own export (its flag and review dates).
{{ config(materialized='incremental') }}
with

reviews as (
    select * from {{ ref('stg_knowledge_base__faq_reviews') }}
    where {{ is_month_to_build('report_month') }}
),

offsets as (
    select * from (values (0), (1), (2)) as listed (months_before)
),

as_of as (
    -- the end of each of the three months: an entry counts when it was flagged by then and not yet reviewed
    select
        reviews.report_month,
        offsets.months_before,
        (reviews.report_month - to_months(offsets.months_before))::date as as_of_month,
        reviews.unit,
        reviews.flagged_on,
        reviews.reviewed_on
    from reviews
    cross join offsets
)

select
    report_month,
    months_before,
    as_of_month,
    unit,
    count(*) filter (
        where flagged_on < as_of_month + interval 1 month
        and (reviewed_on is null or reviewed_on >= as_of_month + interval 1 month)
    ) as faq_needing_review
from as_of
group by report_month, months_before, as_of_month, unit
