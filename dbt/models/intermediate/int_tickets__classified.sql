-- Tickets with their pemda and time zone, purpose, and service-hours classification.
with

tickets as (
    select * from {{ ref('stg_deskpro__tickets') }}
),

region_matches as (
    select region_text, pemda_id from {{ source('raw', 'region_pemda_matches') }}
),

pemda as (
    select pemda_id, pemda_name, pemda_level, province_name, time_zone from {{ ref('pemda_register') }}
),

departments as (
    select department, purpose, is_technical from {{ ref('ticket_departments') }}
),

calendar as (
    select * from {{ ref('dim_service_calendar') }}
),

located as (
    select
        tickets.*,
        {{ to_wib('tickets.created_at_utc') }} as created_at_wib,
        pemda.pemda_id,
        pemda.pemda_name,
        pemda.pemda_level,
        pemda.province_name,
        pemda.time_zone
    from tickets
    left join region_matches on tickets.region_text = region_matches.region_text
    left join pemda on region_matches.pemda_id = pemda.pemda_id
),

classified as (
    select
        located.*,
        departments.purpose,
        departments.is_technical,
        located.time_zone is not null as is_time_zone_identified,
        {{ is_in_service_hours('located.created_at_wib', 'calendar') }} as is_created_in_service_hours,
        located.escalated_to is not null as is_escalated,
        located.department = 'Pengaduan' as is_complaint
    from located
    left join departments on located.department = departments.department
    left join calendar on calendar.calendar_date = cast(located.created_at_wib as date)
)

select * from classified
