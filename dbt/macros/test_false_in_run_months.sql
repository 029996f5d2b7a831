{#- Rows of the run's months (macros/run_months.sql) where the flag column is true. -#}
{% test false_in_run_months(model, column_name, month_column='report_month') %}
    select *
    from {{ model }}
    where {{ column_name }}
        and {{ in_run_months(month_column) }}
{% endtest %}
