-- FAQ entries flagged for review, per monthly snapshot.
{{ config(materialized='incremental') }}
with

source as (
    select * from {{ source('raw', 'knowledge_base_faq_reviews') }}
    where {{ is_month_to_build('_report_month') }}
),

renamed as (
    select
        faq_id,
        _report_month as report_month,
        unit,
        question,
        status as review_status,
        flagged_at as flagged_on,
        reviewed_at as reviewed_on,
        _source_file as source_file,
        _row_number as source_row_number
    from source
)

select * from renamed
