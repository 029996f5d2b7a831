-- Ticket figures of every loaded month, one row per (month, metric, dimension).
{{ config(materialized='incremental') }}
with

tickets_monthly as (
    select * from {{ ref('fct_tickets_monthly') }}
    where {{ is_month_to_build('report_month') }}
),

topics_monthly as (
    select * from {{ ref('fct_topics_monthly') }}
    where {{ is_month_to_build('report_month') }}
),

pemda_monthly as (
    select * from {{ ref('fct_pemda_monthly') }}
    where {{ is_month_to_build('report_month') }}
),

channel_topics_monthly as (
    select * from {{ ref('fct_channel_topics_monthly') }}
    where {{ is_month_to_build('report_month') }}
),

pemda_topics_monthly as (
    select * from {{ ref('fct_pemda_topics_monthly') }}
    where {{ is_month_to_build('report_month') }}
),

channels as (
    select channel_code from {{ ref('ticket_channels') }}
),

categories as (
    select person_category from {{ ref('ticket_person_categories') }}
),

purposes as (
    select distinct purpose from {{ ref('ticket_departments') }}
),

months as (
    select distinct report_month from tickets_monthly
),

totals as (
    select
        report_month,
        sum(tickets) as tickets_total,
        sum(tickets_tz_identified) as tickets_tz_identified,
        sum(tickets_in_service_hours) as tickets_in_service_hours,
        sum(tickets_out_of_service_hours_wib) as out_wib,
        sum(tickets_out_of_service_hours_wita) as out_wita,
        sum(tickets_out_of_service_hours_wit) as out_wit,
        sum(tickets_escalated) as tickets_escalated,
        sum(complaints) as complaints_total
    from tickets_monthly
    group by report_month
),

by_channel as (
    {{ zero_filled_counts('months', 'channels', 'channel_code', 'tickets_monthly', 'channel_code', 'tickets') }}
),

by_category as (
    {{ zero_filled_counts('months', 'categories', 'person_category', 'tickets_monthly', 'person_category', 'tickets') }}
),

by_purpose as (
    {{ zero_filled_counts('months', 'purposes', 'purpose', 'topics_monthly', 'purpose', 'tickets') }}
),

metrics as (
    select report_month, 'tickets_total' as metric, '' as dimension, tickets_total::double as value from totals
    union all
    select report_month, 'tickets_by_channel', dimension, value from by_channel
    union all
    select report_month, 'tickets_by_category', dimension, value from by_category
    union all
    select report_month, 'tickets_by_purpose', dimension, value from by_purpose
    union all
    select report_month, 'tickets_by_topic', department, sum(tickets)
    from topics_monthly
    group by report_month, department
    union all
    select report_month, 'tickets_by_subtopic', department || ' | ' || subject, tickets
    from topics_monthly
    union all
    select report_month, 'tickets_tz_identified', '', tickets_tz_identified from totals
    union all
    select report_month, 'tickets_tz_unidentified', '', tickets_total - tickets_tz_identified from totals
    union all
    select report_month, 'tickets_in_service_hours', '', tickets_in_service_hours from totals
    union all
    select report_month, 'tickets_out_of_service_hours', '', out_wib + out_wita + out_wit from totals
    union all
    select report_month, 'tickets_out_of_service_hours', 'WIB', out_wib from totals
    union all
    select report_month, 'tickets_out_of_service_hours', 'WITA', out_wita from totals
    union all
    select report_month, 'tickets_out_of_service_hours', 'WIT', out_wit from totals
    union all
    select report_month, 'tickets_escalated', '', tickets_escalated from totals
    union all
    select report_month, 'tickets_escalated_pct', '', round(100.0 * tickets_escalated / nullif(tickets_total, 0), 2)
    from totals
    union all
    select report_month, 'complaints_total', '', complaints_total from totals
    union all
    select report_month, 'tickets_by_pemda', pemda_name, tickets from pemda_monthly
    union all
    select report_month, 'tickets_by_channel_topic', channel_code || ' | ' || department, tickets
    from channel_topics_monthly
    union all
    select report_month, 'tickets_escalated_by_topic', department, sum(tickets_escalated)
    from topics_monthly
    group by report_month, department
    having sum(tickets_escalated) > 0
    union all
    select report_month, 'tickets_by_pemda_topic', pemda_name || ' | ' || department, tickets
    from pemda_topics_monthly
)

select 'tickets' as metric_domain, report_month, metric, dimension, value::double as value from metrics
