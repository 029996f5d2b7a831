-- Satisfaction survey per agent and month: mean of both scores (service and substance), and the
-- 2024 report's rule that an agent needs at least 5 ratings from at least 5 distinct users.
{{ config(materialized='incremental') }}
with

rated as (
    select report_month, agent_name, person_key, feedback_service, feedback_substance
    from {{ ref('fct_tickets') }}
    where
        agent_name is not null and (feedback_service is not null or feedback_substance is not null)
        and {{ is_month_to_build('report_month') }}
),

rules as (
    select * from {{ ref('service_rules') }}
),

per_agent as (
    select
        report_month,
        agent_name,
        count(*) as ratings,
        count(distinct person_key) as distinct_users,
        (coalesce(sum(feedback_service), 0) + coalesce(sum(feedback_substance), 0))::double
        / (count(feedback_service) + count(feedback_substance)) as csat_avg,
        coalesce(sum(feedback_service), 0) + coalesce(sum(feedback_substance), 0) as score_sum,
        count(feedback_service) + count(feedback_substance) as scores
    from rated
    group by all
)

select
    per_agent.*,
    minimum.rule_value as minimum_ratings,
    per_agent.ratings < minimum.rule_value or per_agent.distinct_users < minimum.rule_value as is_below_minimum_ratings
from per_agent
left join rules as minimum
    on {{ rule_in_force('minimum', 'csat_min_ratings_per_agent', 'per_agent.report_month') }}
