-- Employee-advocacy activations.
{{ config(materialized='incremental') }}
with

source as (
    select * from {{ source('raw', 'advocacy_activations') }}
    where {{ is_month_to_build('_report_month') }}
),

renamed as (
    select
        activation_id,
        _report_month as report_month,
        employee_id,
        nullif(trim(unit), '') as unit,
        activated_at as activated_at_wib,
        activation_type,
        _source_file as source_file,
        _row_number as source_row_number
    from source
)

select * from renamed
