{#-
  Counts per month for every value of a closed list (channels, user categories, purposes), zero
  included: months × list values, left-joined to the facts and summed.
-#}
{% macro zero_filled_counts(months, values, value_column, facts, fact_column, measure) -%}
    select
        months.report_month,
        listed.{{ value_column }} as dimension,
        coalesce(sum(facts.{{ measure }}), 0) as value
    from {{ months }} as months
    cross join {{ values }} as listed
    left join {{ facts }} as facts
        on facts.report_month = months.report_month
        and facts.{{ fact_column }} = listed.{{ value_column }}
    group by all
{%- endmacro %}
