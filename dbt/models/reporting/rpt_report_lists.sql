-- The lists the report prints (website publications, events, WhatsApp blasts, video conferences,
-- face-to-face visits), in the order the report prints them. Published with the metrics.
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

items as (
    select
        report_month as month,
        case activity_kind when 'event' then 'events' when 'wa_blast' then 'wa_blasts' else 'web_publications' end as list,
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
