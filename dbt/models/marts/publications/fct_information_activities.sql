-- Events, WhatsApp blasts and website publications: what DJPK put out, one row per register row.
{{ config(materialized='incremental') }}
with

events as (
    select
        report_month, source_row_number, 'event' as activity_kind, held_on as activity_date,
        event_name as title, event_kind as detail, null::bigint as recipients, source_file
    from {{ ref('stg_register__events') }}
    where {{ is_month_to_build('report_month') }}
),

wa_blasts as (
    select
        report_month, source_row_number, 'wa_blast', sent_on, title, null::varchar, recipients, source_file
    from {{ ref('stg_register__wa_blasts') }}
    where {{ is_month_to_build('report_month') }}
),

web_publications as (
    select
        report_month,
        source_row_number,
        'web_publication',
        published_on,
        subject,
        letter_number,
        null::bigint,
        source_file
    from {{ ref('stg_register__web_publications') }}
    where {{ is_month_to_build('report_month') }}
)

select
    activity_kind || ':' || strftime(report_month, '%Y-%m') || ':' || source_row_number as activity_key,
    *
from (
    select * from events
    union all
    select * from wa_blasts
    union all
    select * from web_publications
) as activities
