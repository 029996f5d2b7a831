-- Deskpro tickets, typed and renamed, with the user's personal data replaced by a salted key.
{{ config(materialized='incremental') }}
with

source as (
    select * from {{ source('raw', 'deskpro_tickets') }}
    where {{ is_month_to_build('_report_month') }}
),

person_keys as (
    select contact_kind, contact_value, person_key from {{ source('raw', 'person_keys') }}
),

renamed as (
    select
        id as ticket_id,
        ref as ticket_ref,
        _report_month as report_month,
        date_created as created_at_utc,
        date_first_agent_reply as first_agent_reply_at_utc,
        date_resolved as resolved_at_utc,
        status as ticket_status,
        channel as channel_code,
        department,
        nullif(trim(subject), '') as subject,
        nullif(trim(labels), '') as labels,
        nullif(trim(agent), '') as agent_name,
        person_phone,
        person_email,
        person_category,
        nullif(trim(region), '') as region_text,
        nullif(trim(escalated_to), '') as escalated_to,
        feedback_service,
        feedback_substance,
        _source_file as source_file,
        _source_sha256 as source_sha256,
        _row_number as source_row_number
    from source
),

pseudonymised as (
    select
        renamed.* exclude (person_phone, person_email),
        coalesce(phone_keys.person_key, email_keys.person_key) as person_key,
        phone_keys.person_key as phone_person_key
    from renamed
    left join person_keys as phone_keys
        on phone_keys.contact_kind = 'phone' and renamed.person_phone = phone_keys.contact_value
    left join person_keys as email_keys
        on email_keys.contact_kind = 'email' and renamed.person_email = email_keys.contact_value
)

select * from pseudonymised
