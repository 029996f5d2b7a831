-- Video-conference and face-to-face figures, and face-to-face visits per pemda.
{#- reads the cumulative face-to-face figure of fct_visits_monthly -#}
{{ config(materialized='incremental', meta={'month_rule': 'own_and_later'}) }}
with

monthly as (
    select * from {{ ref('fct_visits_monthly') }}
    where {{ is_month_to_build('report_month') }}
),

visits as (
    select * from {{ ref('fct_visits') }}
    where {{ is_month_to_build('report_month') }}
),

by_pemda as (
    select
        report_month,
        pemda_name,
        count(*) as visits,
        count(*) filter (where has_sppd) as visits_with_sppd
    from visits
    where visit_kind = 'face_to_face' and is_held and pemda_id is not null
    group by all
),

metrics as (
    select
        'vicon' as metric_domain, report_month, 'vicon_total' as metric, '' as dimension, vicon_total::double as value
    from monthly
    where has_vicon_register
    union all
    select 'face_to_face', report_month, 'face_to_face_total', '', face_to_face_total
    from monthly
    where has_face_to_face_register
    union all
    select 'face_to_face', report_month, 'face_to_face_guests', '', face_to_face_guests
    from monthly
    where has_face_to_face_register
    union all
    select 'face_to_face', report_month, 'face_to_face_with_sppd', '', face_to_face_with_sppd
    from monthly
    where has_face_to_face_register
    union all
    select 'face_to_face', report_month, 'face_to_face_without_sppd', '', face_to_face_without_sppd
    from monthly
    where has_face_to_face_register
    union all
    select 'face_to_face', report_month, 'face_to_face_without_sppd_pct', '', face_to_face_without_sppd_pct
    from monthly
    where has_face_to_face_register
    union all
    select 'face_to_face', report_month, 'reservations_declined', '', reservations_declined
    from monthly
    where has_face_to_face_register
    union all
    select 'face_to_face', report_month, 'face_to_face_over_guest_limit', '', face_to_face_over_guest_limit
    from monthly
    where has_face_to_face_register
    union all
    select 'face_to_face', report_month, 'face_to_face_cumulative', '', face_to_face_cumulative
    from monthly
    where has_face_to_face_register
    union all
    select 'face_to_face', report_month, 'face_to_face_by_pemda', pemda_name, visits from by_pemda
    union all
    select 'face_to_face', report_month, 'face_to_face_with_sppd_by_pemda', pemda_name, visits_with_sppd
    from by_pemda
)

select metric_domain, report_month, metric, dimension, value::double as value
from metrics
where value is not null
