-- WhatsApp chatbot sessions; the user's WhatsApp id replaced by a salted person key.
{{ config(materialized='incremental') }}
with

source as (
    select * from {{ source('raw', 'chatbot_sessions') }}
    where {{ is_month_to_build('_report_month') }}
),

person_keys as (
    select contact_value, person_key from {{ source('raw', 'person_keys') }}
    where contact_kind = 'wa_id'
),

renamed as (
    select
        session_id,
        _report_month as report_month,
        started_at as started_at_wib,
        wa_id,
        nullif(trim(region), '') as region_text,
        nullif(trim(menu), '') as menu,
        nullif(trim(submenu), '') as submenu,
        handed_to_agent as is_handed_to_agent,
        nullif(trim(ticket_ref), '') as ticket_ref,
        _source_file as source_file,
        _row_number as source_row_number
    from source
),

pseudonymised as (
    select renamed.* exclude (wa_id), person_keys.person_key
    from renamed
    left join person_keys on renamed.wa_id = person_keys.contact_value
)

select * from pseudonymised
