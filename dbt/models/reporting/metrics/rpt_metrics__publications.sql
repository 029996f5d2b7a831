-- Events, WhatsApp blasts and website publications per month (0 in a month whose register sheet
-- was loaded without rows of that kind).
{{ config(materialized='incremental') }}
with

activities as (
    select * from {{ ref('fct_information_activities') }}
    where {{ is_month_to_build('report_month') }}
),

kinds as (
    select * from (
        values
        ('event', 'registers_events', 'events_total'),
        ('wa_blast', 'registers_wa_blasts', 'wa_blast_total'),
        ('web_publication', 'registers_web_publications', 'web_publications_total')
    ) as kinds (activity_kind, source_name, metric)
),

loaded as (
    select source_name, report_month from {{ ref('stg_raw__load_log') }}
    where is_loaded and {{ is_month_to_build('report_month') }}
)

select
    kinds.metric as metric_domain,
    loaded.report_month,
    kinds.metric,
    '' as dimension,
    count(activities.activity_key)::double as value
from kinds
inner join loaded on kinds.source_name = loaded.source_name
left join activities
    on kinds.activity_kind = activities.activity_kind and loaded.report_month = activities.report_month
group by all
