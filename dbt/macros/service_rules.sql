{#-
  Service rules (seeds/service_rules.csv) in force on a date: join condition for a rule row
  aliased `rule_alias`, so every limit has one definition with effective dates.
-#}
{% macro rule_in_force(rule_alias, rule_name, date_expr) -%}
    ({{ rule_alias }}.rule_name = '{{ rule_name }}'
     and {{ rule_alias }}.effective_from <= {{ date_expr }}
     and ({{ rule_alias }}.effective_to is null or {{ date_expr }} < {{ rule_alias }}.effective_to))
{%- endmacro %}

{#- Months for which a source's export was loaded (the months its figures exist for). -#}
{% macro loaded_months(source_names) -%}
    select distinct report_month
    from {{ ref('stg_raw__load_log') }}
    where is_loaded and source_name in ({% for name in source_names %}'{{ name }}'{{ ', ' if not loop.last }}{% endfor %})
{%- endmacro %}

{#- Percentage with two decimals, NULL when the denominator is zero: the one rounding rule of the report. -#}
{% macro pct(numerator, denominator) -%}
    round(100.0 * ({{ numerator }}) / nullif({{ denominator }}, 0), 2)
{%- endmacro %}
