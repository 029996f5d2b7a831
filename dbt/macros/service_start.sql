{#-
  The first day of a service, or of a cumulative count, as a SQL date expression: the one home of these
  dates is the seed service_starts (the report reads the same CSV).
    where report_month >= {{ service_start('whatsapp') }}
-#}
{% macro service_start(code) -%}
    (select starts_on from {{ ref('service_starts') }} where code = '{{ code }}')
{%- endmacro %}
