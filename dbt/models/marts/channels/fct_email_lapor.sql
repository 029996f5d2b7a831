-- Mails to lapor.djpk counted once: a forwarded copy repeats the Message-ID.
{{ config(materialized='incremental') }}
with

copies as (
    select * from {{ ref('stg_lapor__emails') }}
    where {{ is_month_to_build('report_month') }}
),

numbered as (
    select
        *,
        count(*) over (partition by report_month, message_id) as copies_received,
        row_number()
            over (partition by report_month, message_id order by received_at_utc, source_row_number)
            as copy_number
    from copies
)

select * exclude (copy_number)
from numbered
where copy_number = 1
