{#-
  The run's months: one row (month_from, month_to: first days, both inclusive) in dbt_state.run_months, read
  by every model and test that filters on the run (in_run_months, months_to_build).

  Written before any model builds: by the Dagster dbt asset (dagster_project/defs/dbt/run_months.py), which
  then passes the var djpk_run_months_recorded, or else by the on-run-start hook below from the vars
  djpk_month_from / djpk_month_to (dbt_project.yml: the whole history, from calendar_start, unless given on the
  command line).
-#}
{% macro run_months_table() -%}
    dbt_state.run_months
{%- endmacro %}

{% macro record_run_months() -%}
    create schema if not exists dbt_state;
    {%- if var('djpk_run_months_recorded') %}
    create table if not exists {{ run_months_table() }} (month_from date, month_to date)
    {%- else %}
    create or replace table {{ run_months_table() }} as
    select date '{{ var("djpk_month_from", var("calendar_start")) }}' as month_from, date '{{ var("djpk_month_to") }}' as month_to
    {%- endif %}
{%- endmacro %}

{#- First days of the run's months, as a query. -#}
{% macro run_months() -%}
    select cast(unnest(generate_series(month_from, month_to, interval 1 month)) as date) as report_month
    from {{ run_months_table() }}
{%- endmacro %}

{#- True for a month (first day) of the run. -#}
{% macro in_run_months(month_column) -%}
    ({{ month_column }} >= (select min(month_from) from {{ run_months_table() }})
     and {{ month_column }} < (select max(month_to) from {{ run_months_table() }}) + interval 1 month)
{%- endmacro %}
