-- Employee-advocacy accounts registered as of each month's end (one snapshot per month).
{{ config(materialized='incremental') }}
with

source as (
    select * from {{ source('raw', 'advocacy_accounts') }}
    where {{ is_month_to_build('_report_month') }}
),

renamed as (
    select
        _report_month as report_month,
        employee_id,
        platform,
        registered_at as registered_at_wib,
        _source_file as source_file,
        _row_number as source_row_number
    from source
)

select * from renamed
