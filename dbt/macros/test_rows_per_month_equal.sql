{#-
  Reconciliation (as dbt_zendesk's "staging count = mart count"): for every report month, the model
  holds as many rows as `compare_to` (the raw table it stages, or the staging model it is built from).
  Nothing lost or doubled between layers. A failing row names the month and both counts.
-#}
{% test rows_per_month_equal(model, compare_to, month_column='report_month', compare_month_column='_report_month') %}
    with model_months as (
        select {{ month_column }} as report_month, count(*) as model_rows
        from {{ model }}
        group by 1
    ),

    compared_months as (
        select {{ compare_month_column }} as report_month, count(*) as compared_rows
        from {{ compare_to }}
        group by 1
    )

    select
        coalesce(model_months.report_month, compared_months.report_month) as report_month,
        coalesce(model_rows, 0) as model_rows,
        coalesce(compared_rows, 0) as compared_rows
    from model_months
    full outer join compared_months on model_months.report_month = compared_months.report_month
    where coalesce(model_rows, 0) <> coalesce(compared_rows, 0)
{% endtest %}
