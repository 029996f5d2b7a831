-- The lists the report prints (website publications, events, WhatsApp blasts, video conferences,
-- face-to-face visits, complaints), in the order the report prints them. Published with the metrics.
-- A complaint is its description (the ticket's subject as the loader scrubbed it of the user's own
-- name, e-mail and phone) and the register name of its pemda: no user's personal data.
{{ config(materialized='incremental', meta={'month_column': 'month'}) }}
with

activities as (
    select * from {{ ref('fct_information_activities') }}
    where {{ is_month_to_build('report_month') }}
),

visits as (
    select * from {{ ref('fct_visits') }}
    where {{ is_month_to_build('report_month') }}
),

complaints as (
    select * from {{ ref('fct_tickets') }}
    where is_complaint and {{ is_month_to_build('report_month') }}
),

items as (
    select
        report_month as month,
        case activity_kind when 'event' then 'events' when 'wa_blast' then 'wa_blasts' else 'web_publications' end
            as list,
        activity_date as item_date,
        title as label,
        detail,
        recipients::double as value,
        source_row_number
    from activities
    union all
    select
        report_month,
        case visit_kind when 'vicon' then 'vicon' else 'face_to_face' end,
        visit_date,
        region_text,
        topic,
        guests::double,
        source_row_number
    from visits
    where is_held
    union all
    select
        report_month,
        'complaints',
        created_at_wib::date,
        pemda_name,
        subject,
        null::double,
        source_row_number
    from complaints
)

select
    month,
    list,
    row_number() over (partition by month, list order by item_date, source_row_number)::integer as position,
    item_date,
    label,
    detail,
    value
from items
