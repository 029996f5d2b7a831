-- Satisfaction (from the tickets' survey answers) and knowledge-base review figures.
{{ config(materialized='incremental') }}
with

agents as (
    select * from {{ ref('fct_csat_agent_monthly') }}
    where {{ is_month_to_build('report_month') }}
),

faq as (
    select * from {{ ref('fct_faq_reviews_monthly') }}
    where {{ is_month_to_build('report_month') }}
),

faq_trend as (
    select * from {{ ref('fct_faq_review_trend_monthly') }}
    where months_before > 0 and {{ is_month_to_build('report_month') }}
),

faq_months as (
    select report_month from ({{ loaded_months(['knowledge_base']) }})
    where {{ is_month_to_build('report_month') }}
),

overall as (
    select report_month, round(sum(score_sum)::double / sum(scores), 2) as csat_avg, sum(ratings) as ratings
    from agents
    group by report_month
),

metrics as (
    select 'csat' as metric_domain, report_month, 'csat_avg' as metric, '' as dimension, csat_avg as value from overall
    union all
    select 'csat', report_month, 'csat_ratings', '', ratings from overall
    union all
    select 'csat', report_month, 'csat_avg', agent_name, round(csat_avg, 2) from agents
    union all
    select 'csat', report_month, 'csat_ratings', agent_name, ratings from agents
    union all
    select 'csat', report_month, 'csat_agent_below_minimum_ratings', agent_name, is_below_minimum_ratings::int
    from agents
    where is_below_minimum_ratings is not null
    union all
    select 'knowledge_base', months.report_month, 'faq_needing_review', '', coalesce(sum(faq.faq_needing_review), 0)
    from faq_months as months left join faq on months.report_month = faq.report_month
    group by all
    union all
    select 'knowledge_base', report_month, 'faq_needing_review', unit, faq_needing_review from faq
    -- the two months before, as the month's own snapshot gives them (the report's three-month trend)
    union all
    select
        'knowledge_base', months.report_month,
        'faq_needing_review_'
        || offsets.months_before
        || case offsets.months_before when 1 then '_month_before' else '_months_before' end,
        '', coalesce(sum(faq_trend.faq_needing_review), 0)
    from faq_months as months
    cross join (values (1), (2)) as offsets (months_before)
    left join
        faq_trend
        on months.report_month = faq_trend.report_month and offsets.months_before = faq_trend.months_before
    group by all
    union all
    select
        'knowledge_base', report_month,
        'faq_needing_review_'
        || months_before
        || case months_before when 1 then '_month_before' else '_months_before' end,
        unit, faq_needing_review
    from faq_trend
)

select metric_domain, report_month, metric, dimension, value::double as value
from metrics
where value is not null
