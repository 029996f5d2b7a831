-- Phone calls classified once: offered, answered, answered within the service-level threshold.
{{ config(materialized='incremental') }}
with

calls as (
    select * from {{ ref('stg_avaya__calls') }}
    where {{ is_month_to_build('report_month') }}
),

rules as (
    select * from {{ ref('service_rules') }}
),

classified as (
    select
        calls.*,
        threshold.rule_value as service_level_seconds,
        calls.disposition in ('ANSWERED', 'ABANDONED') as is_offered,
        calls.disposition = 'ANSWERED' as is_answered,
        calls.disposition = 'ABANDONED' as is_abandoned,
        calls.disposition = 'BUSY' as is_busy,
        calls.disposition = 'ANSWERED' and calls.queue_seconds <= threshold.rule_value as is_answered_within_threshold
    from calls
    left join rules as threshold
        on {{ rule_in_force('threshold', 'calls_service_level_seconds', 'cast(calls.segment_started_at_wib as date)') }}
)

select * from classified
