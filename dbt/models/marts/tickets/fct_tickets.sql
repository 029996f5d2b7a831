-- One row per consultation ticket: the analysts' ticket table (no personal data).
{{ config(materialized='incremental') }}
with

classified as (
    select * from {{ ref('int_tickets__classified') }}
    where {{ is_month_to_build('report_month') }}
)

select
    ticket_id,
    ticket_ref,
    report_month,
    created_at_utc,
    created_at_wib,
    first_agent_reply_at_utc,
    resolved_at_utc,
    ticket_status,
    channel_code,
    department,
    subject,
    purpose,
    is_technical,
    person_category,
    person_key,
    phone_person_key,
    pemda_id,
    pemda_name,
    province_name,
    time_zone,
    is_time_zone_identified,
    is_created_in_service_hours,
    is_escalated,
    escalated_to,
    is_complaint,
    agent_name,
    feedback_service,
    feedback_substance,
    source_file,
    source_row_number
from classified
