-- Video conferences and face-to-face visits (held or declined) with their pemda and the guest
-- limit of the circular letter in force on the visit date.
{{ config(materialized='incremental') }}
with

vicon as (
    select
        report_month, source_row_number, 'vicon' as visit_kind, held_on as visit_date, region_text, topic,
        participants as guests, false as has_sppd, 'Dilaksanakan' as visit_status, source_file
    from {{ ref('stg_register__vicon') }}
    where {{ is_month_to_build('report_month') }}
),

face_to_face as (
    select
        report_month, source_row_number, 'face_to_face' as visit_kind, visit_date, region_text, topic,
        guests, has_sppd, visit_status, source_file
    from {{ ref('stg_register__face_to_face') }}
    where {{ is_month_to_build('report_month') }}
),

visits as (
    select * from vicon
    union all
    select * from face_to_face
),

region_matches as (
    select region_text, pemda_id from {{ source('raw', 'region_pemda_matches') }}
),

pemda as (
    select pemda_id, pemda_name, province_name, time_zone from {{ ref('pemda_register') }}
),

rules as (
    select * from {{ ref('service_rules') }}
),

located as (
    select
        visits.visit_kind
        || ':'
        || strftime(visits.report_month, '%Y-%m')
        || ':'
        || visits.source_row_number as visit_key,
        visits.*,
        visits.visit_status = 'Dilaksanakan' as is_held,
        pemda.pemda_id,
        pemda.pemda_name,
        pemda.province_name,
        guest_limit.rule_value as guest_limit
    from visits
    left join region_matches on visits.region_text = region_matches.region_text
    left join pemda on region_matches.pemda_id = pemda.pemda_id
    left join rules as guest_limit
        on
            visits.visit_kind = 'face_to_face'
            and {{ rule_in_force('guest_limit', 'face_to_face_max_guests', 'visits.visit_date') }}
)

select
    *,
    coalesce(visit_kind = 'face_to_face' and is_held and guests > guest_limit, false) as is_over_guest_limit
from located
