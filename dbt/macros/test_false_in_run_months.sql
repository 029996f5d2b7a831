{#- Rows of the run's months (vars djpk_month_from … djpk_month_to) where the flag column is true. -#}
{% test false_in_run_months(model, column_name, month_column='report_month') %}
    select *
    from {{ model }}
    where {{ column_name }}
        and {{ month_column }} >= cast('{{ var("djpk_month_from") }}' as date)
        and {{ month_column }} < cast('{{ var("djpk_month_to") }}' as date) + interval 1 month
{% endtest %}
