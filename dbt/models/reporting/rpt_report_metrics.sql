-- Every report figure of every loaded month with the same figure one month and twelve months
-- earlier. Each domain's figures come from one rpt_metrics__<domain> model; add a domain by adding
-- its model to the list below. The publish asset copies a month into published.report_metrics only
-- after that month's blocking checks passed.
{% set metric_models = [
    'rpt_metrics__tickets', 'rpt_metrics__social_media', 'rpt_metrics__website', 'rpt_metrics__contact_channels',
    'rpt_metrics__visits', 'rpt_metrics__publications', 'rpt_metrics__ppid', 'rpt_metrics__advocacy',
    'rpt_metrics__service_quality',
] %}
{#- a month reads the month before and the same month a year before: rebuild later months too -#}
{{ config(materialized='incremental', meta={'month_column': 'month', 'month_rule': 'previous_and_later'}) }}

with

metrics as (
    {% for model in metric_models %}
        select metric_domain, report_month, metric, dimension, value from {{ ref(model) }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

counted as (
    -- a count missing from a loaded month was 0 that month; a ratio, average, follower count or
    -- cumulative figure missing from it is unknown (its denominator was 0, or it was not computed)
    select
        *,
        not regexp_matches(metric, '(_pct|_avg|_cumulative|_seconds|_working_days|followers)$|^csat_|_avg_|_reach')
            as is_count
    from metrics
),

domain_months as (
    select distinct metric_domain, report_month from metrics
),

compared as (
    select
        metrics.report_month as month,
        metrics.metric,
        metrics.dimension,
        metrics.value,
        case
            when
                previous_month.report_month is not null
                then coalesce(month_before.value, case when is_count then 0 end)
        end::double as value_prev_month,
        case
            when previous_year.report_month is not null then coalesce(year_before.value, case when is_count then 0 end)
        end::double as value_prev_year
    from counted as metrics
    left join domain_months as previous_month
        on
            metrics.metric_domain = previous_month.metric_domain
            and previous_month.report_month = metrics.report_month - interval 1 month
    left join metrics as month_before
        on
            month_before.report_month = metrics.report_month - interval 1 month
            and metrics.metric = month_before.metric
            and metrics.dimension = month_before.dimension
    left join domain_months as previous_year
        on
            metrics.metric_domain = previous_year.metric_domain
            and previous_year.report_month = metrics.report_month - interval 12 month
    left join metrics as year_before
        on
            year_before.report_month = metrics.report_month - interval 12 month
            and metrics.metric = year_before.metric
            and metrics.dimension = year_before.dimension
    where {{ is_month_to_build('metrics.report_month') }}
)

select month, metric, dimension, value, value_prev_month, value_prev_year from compared
