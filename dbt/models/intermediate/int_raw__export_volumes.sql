-- How many rows each landed export held, against the median of the same source's trailing loaded months.
-- A source suddenly empty, or 5× larger or smaller than usual, is a volume anomaly: a warning, not a block
-- (test `false_in_run_months` with severity warn), reported by the gate's dbt_tests_passed.
with

loaded as (
    select source_name, report_month, rows_in_file
    from {{ ref('stg_raw__load_log') }}
    where is_loaded
),

with_history as (
    select
        this_month.source_name,
        this_month.report_month,
        this_month.rows_in_file,
        count(earlier.report_month) as trailing_months_loaded,
        median(earlier.rows_in_file) as trailing_median_rows
    from loaded as this_month
    left join loaded as earlier
        on
            this_month.source_name = earlier.source_name
            and this_month.report_month > earlier.report_month
            and earlier.report_month >= this_month.report_month - interval {{ var('volume_trailing_months') }} month
    group by all
)

select
    source_name,
    report_month,
    rows_in_file,
    trailing_months_loaded,
    trailing_median_rows,
    round(rows_in_file / nullif(trailing_median_rows, 0), 3) as ratio_to_trailing_median,
    trailing_months_loaded > 0 and (
        rows_in_file = 0
        or trailing_median_rows = 0
        or rows_in_file >= {{ var('volume_anomaly_factor') }} * trailing_median_rows
        or rows_in_file * {{ var('volume_anomaly_factor') }} <= trailing_median_rows
    ) as is_volume_anomaly
from with_history
