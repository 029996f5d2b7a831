-- Face-to-face consultations and declined reservations (register sheet Tatap Muka).
{{ config(materialized='incremental') }}
with

source as (
    select * from {{ source('raw', 'register_face_to_face') }}
    where {{ is_month_to_build('_report_month') }}
),

renamed as (
    select
        _report_month as report_month,
        _row_number as source_row_number,
        "Tanggal" as visit_date,
        trim("Daerah/Instansi") as region_text,
        nullif(trim("Topik"), '') as topic,
        "Jumlah Tamu" as guests,
        coalesce("SPPD", false) as has_sppd,
        "Status" as visit_status,
        _source_file as source_file
    from source
)

select * from renamed
