{#-
  A timestamp as the APIs send it (Graph `2024-02-29T17:30:00+0000`, X `2024-02-29T17:30:00.000Z`, any
  ISO 8601 offset) → TIMESTAMP on the UTC clock. The offset is applied (a text without one is taken as
  UTC), whatever the session's TimeZone.
-#}
{% macro api_timestamp_utc(text) -%}
    (cast(case
        when regexp_matches({{ text }}, '[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?\s*(Z|z|[+-]\d{2}(:?\d{2})?)$') then {{ text }}
        else {{ text }} || 'Z'
    end as timestamptz) at time zone 'UTC')
{%- endmacro %}

{#-
  The report month of a moment given on the UTC clock: the first day of its month on the WIB clock
  (var report_timezone, Asia/Jakarta: macro to_wib). A post, story or tweet belongs to the month of
  its own timestamp, whatever window the API call that listed it asked for or returned.
-#}
{% macro wib_report_month(utc_timestamp) -%}
    date_trunc('month', {{ to_wib(utc_timestamp) }})::date
{%- endmacro %}
