-- Video conferences held (register sheet Vicon).
{{ config(materialized='incremental') }}
with

source as (
    select * from {{ source('raw', 'register_vicon') }}
    where {{ is_month_to_build('_report_month') }}
),

renamed as (
    select
        _report_month as report_month,
        _row_number as source_row_number,
        "Tanggal" as held_on,
        nullif(trim("Daerah"), '') as region_text,
        nullif(trim("Topik"), '') as topic,
        nullif(trim("Platform"), '') as platform,
        "Jumlah Peserta" as participants,
        _source_file as source_file
    from source
)

select * from renamed
