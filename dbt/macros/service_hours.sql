{#-
  The one definition of "inside service hours": the contact center answers Monday to Friday,
  08:00 to 16:00 WIB (end exclusive), except national holidays and cuti bersama. The day part
  lives in dim_service_calendar (service_starts_at / service_ends_at are NULL on days off); this
  macro compares a WIB timestamp with that day's window. Users in WITA / WIT are judged on the
  WIB clock too: the service hours are the contact center's, not the user's.
-#}
{% macro is_in_service_hours(timestamp_wib, calendar_alias) -%}
    coalesce({{ timestamp_wib }} >= {{ calendar_alias }}.service_starts_at
             and {{ timestamp_wib }} < {{ calendar_alias }}.service_ends_at, false)
{%- endmacro %}

{% macro to_wib(timestamp_utc) -%}
    ({{ timestamp_utc }} + interval ({{ var('wib_utc_offset_hours') }}) hour)
{%- endmacro %}

