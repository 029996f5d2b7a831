-- Every published ticket figure, one row per (month, metric, dimension), with the same figure one
-- month and twelve months earlier. Computed for every loaded month; the publish asset copies a
-- month into published.report_metrics only after its blocking checks passed.
with

tickets_monthly as (
    select * from {{ ref('fct_tickets_monthly') }}
),

topics_monthly as (
    select * from {{ ref('fct_topics_monthly') }}
),

pemda_monthly as (
    select * from {{ ref('fct_pemda_monthly') }}
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
    select months.report_month, channels.channel_code as dimension, coalesce(sum(tickets_monthly.tickets), 0) as value
    from months
    cross join channels
    left join tickets_monthly
        on tickets_monthly.report_month = months.report_month
        and tickets_monthly.channel_code = channels.channel_code
    group by all
),

by_category as (
    select months.report_month, categories.person_category as dimension, coalesce(sum(tickets_monthly.tickets), 0) as value
    from months
    cross join categories
    left join tickets_monthly
        on tickets_monthly.report_month = months.report_month
        and tickets_monthly.person_category = categories.person_category
    group by all
),

by_purpose as (
    select months.report_month, purposes.purpose as dimension, coalesce(sum(topics_monthly.tickets), 0) as value
    from months
    cross join purposes
    left join topics_monthly
        on topics_monthly.report_month = months.report_month
        and topics_monthly.purpose = purposes.purpose
    group by all
),

metrics as (
    select report_month, 'tickets_total' as metric, '' as dimension, tickets_total::double as value from totals
    union all select report_month, 'tickets_by_channel', dimension, value from by_channel
    union all select report_month, 'tickets_by_category', dimension, value from by_category
    union all select report_month, 'tickets_by_purpose', dimension, value from by_purpose
    union all
    select report_month, 'tickets_by_topic', department, sum(tickets)
    from topics_monthly group by report_month, department
    union all
    select report_month, 'tickets_by_subtopic', department || ' | ' || subject, tickets
    from topics_monthly
    union all select report_month, 'tickets_tz_identified', '', tickets_tz_identified from totals
    union all select report_month, 'tickets_tz_unidentified', '', tickets_total - tickets_tz_identified from totals
    union all select report_month, 'tickets_in_service_hours', '', tickets_in_service_hours from totals
    union all select report_month, 'tickets_out_of_service_hours', '', out_wib + out_wita + out_wit from totals
    union all select report_month, 'tickets_out_of_service_hours', 'WIB', out_wib from totals
    union all select report_month, 'tickets_out_of_service_hours', 'WITA', out_wita from totals
    union all select report_month, 'tickets_out_of_service_hours', 'WIT', out_wit from totals
    union all select report_month, 'tickets_escalated', '', tickets_escalated from totals
    union all
    select report_month, 'tickets_escalated_pct', '', round(100.0 * tickets_escalated / nullif(tickets_total, 0), 2)
    from totals
    union all select report_month, 'complaints_total', '', complaints_total from totals
    union all select report_month, 'tickets_by_pemda', pemda_name, tickets from pemda_monthly
),

compared as (
    select
        metrics.report_month as month,
        metrics.metric,
        metrics.dimension,
        metrics.value::double as value,
        case when previous_month.report_month is not null then coalesce(month_before.value, 0) end::double as value_prev_month,
        case when previous_year.report_month is not null then coalesce(year_before.value, 0) end::double as value_prev_year
    from metrics
    left join months as previous_month
        on previous_month.report_month = metrics.report_month - interval 1 month
    left join metrics as month_before
        on month_before.report_month = metrics.report_month - interval 1 month
        and month_before.metric = metrics.metric
        and month_before.dimension = metrics.dimension
    left join months as previous_year
        on previous_year.report_month = metrics.report_month - interval 12 month
    left join metrics as year_before
        on year_before.report_month = metrics.report_month - interval 12 month
        and year_before.metric = metrics.metric
        and year_before.dimension = metrics.dimension
)

select * from compared
