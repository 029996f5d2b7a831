-- Webinars, FGDs, workshops and other events (register sheet Kegiatan).
{{ config(materialized='incremental') }}
with

source as (
    select * from {{ source('raw', 'register_events') }}
    where {{ is_month_to_build('_report_month') }}
),

renamed as (
    select
        _report_month as report_month,
        _row_number as source_row_number,
        "Tanggal" as held_on,
        trim("Nama Kegiatan") as event_name,
        coalesce("Jenis", 'Lainnya') as event_kind,
        _source_file as source_file
    from source
)

select * from renamed
