-- Public-information requests (PPID); the applicant's name dropped.
{{ config(materialized='incremental') }}
with

source as (
    select * from {{ source('raw', 'ppid_requests') }}
    where {{ is_month_to_build('_report_month') }}
),

renamed as (
    select
        nomor_registrasi as request_number,
        _report_month as report_month,
        tanggal_permohonan as requested_on,
        kategori_pemohon as applicant_category,
        saluran as request_channel,
        status as request_status,
        tanggal_tanggapan as answered_on,
        coalesce(perpanjangan, false) as has_extension,
        nullif(trim(alasan_penolakan), '') as rejection_reason,
        coalesce(keberatan, false) as has_objection,
        _source_file as source_file,
        _row_number as source_row_number
    from source
)

select * from renamed
