-- Announcements on the DJPK website (register sheet Publikasi Web).
{{ config(materialized='incremental') }}
with

source as (
    select * from {{ source('raw', 'register_web_publications') }}
    where {{ is_month_to_build('_report_month') }}
),

renamed as (
    select
        _report_month as report_month,
        _row_number as source_row_number,
        "Tanggal" as published_on,
        nullif(trim("Nomor"), '') as letter_number,
        trim("Perihal") as subject,
        _source_file as source_file
    from source
)

select * from renamed
