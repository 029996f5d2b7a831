-- Mails to lapor.djpk, one row per received copy (forwarded duplicates included).
{{ config(materialized='incremental') }}
with

source as (
    select * from {{ source('raw', 'lapor_emails') }}
    where {{ is_month_to_build('_report_month') }}
),

person_keys as (
    select contact_value, person_key from {{ source('raw', 'person_keys') }}
    where contact_kind = 'email'
),

renamed as (
    select
        message_id,
        _report_month as report_month,
        received_at as received_at_utc,
        {{ to_wib('received_at') }} as received_at_wib,
        from_address,
        category,
        nullif(trim(region), '') as region_text,
        attachment_count,
        _source_file as source_file,
        _row_number as source_row_number
    from source
),

pseudonymised as (
    select renamed.* exclude (from_address), person_keys.person_key as sender_person_key
    from renamed
    left join person_keys on renamed.from_address = person_keys.contact_value
)

select * from pseudonymised
