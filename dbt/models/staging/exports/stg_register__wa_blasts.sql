-- WhatsApp broadcasts (register sheet WA Blast).
{{ config(materialized='incremental') }}
with

source as (
    select * from {{ source('raw', 'register_wa_blasts') }}
    where {{ is_month_to_build('_report_month') }}
),

renamed as (
    select
        _report_month as report_month,
        _row_number as source_row_number,
        "Tanggal" as sent_on,
        trim("Judul") as title,
        "Jumlah Penerima" as recipients,
        _source_file as source_file
    from source
)

select * from renamed
