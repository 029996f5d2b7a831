-- Avaya CMS call records; the caller number replaced by a salted person key.
{{ config(materialized='incremental') }}
with

source as (
    select * from {{ source('raw', 'avaya_calls') }}
    where {{ is_month_to_build('_report_month') }}
),

person_keys as (
    select contact_value, person_key from {{ source('raw', 'person_keys') }}
    where contact_kind = 'phone'
),

renamed as (
    select
        "CallID" as call_id,
        _report_month as report_month,
        "Segment Start" as segment_started_at_wib,
        "ANI" as ani,
        "VDN" as vdn,
        "Split/Skill" as split_skill,
        "Disposition" as disposition,
        "Queue Time" as queue_seconds,
        "Talk Time" as talk_seconds,
        "ACW Time" as after_call_work_seconds,
        nullif(trim("Agent"), '') as agent_login,
        "Queued" as is_queued,
        _source_file as source_file,
        _row_number as source_row_number
    from source
),

pseudonymised as (
    select renamed.* exclude (ani), person_keys.person_key as caller_person_key
    from renamed
    left join person_keys on renamed.ani = person_keys.contact_value
)

select * from pseudonymised
