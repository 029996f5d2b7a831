-- What was loaded for each source and month (the completeness basis of every figure).
with

source as (
    select * from {{ source('raw', 'load_log') }}
),

renamed as (
    select
        source as source_name,
        report_month,
        raw_table,
        source_file,
        source_sha256,
        rows_in_file,
        rows_loaded,
        rows_quarantined,
        source_file is not null as is_loaded,
        loaded_at
    from source
)

select * from renamed
