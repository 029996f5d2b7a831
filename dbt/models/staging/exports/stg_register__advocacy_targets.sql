-- Employee-advocacy target per quarter (register sheet Target Advokasi), as landed each month.
{{ config(materialized='incremental') }}
with

source as (
    select * from {{ source('raw', 'register_advocacy_targets') }}
    where {{ is_month_to_build('_report_month') }}
),

renamed as (
    select
        _report_month as report_month,
        trim("Periode") as quarter_label,
        "Target Pegawai" as target_employees,
        "Jumlah Pegawai Seluruhnya" as all_employees,
        _source_file as source_file,
        _row_number as source_row_number
    from source
)

select * from renamed
