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

{#-
  The report clock: var report_timezone (Asia/Jakarta, the one home of the zone, which Python reads too).
  Its UTC offset is taken from the zone's own rules (pytz), and refused if it is not the same in every
  year from calendar_start to 2040: a fixed offset lets a UTC timestamp become WIB by adding hours, which DuckDB
  does without a time-zone extension and at the speed of an addition.
-#}
{% macro report_clock_utc_offset_hours() -%}
    {%- set zone = modules.pytz.timezone(var('report_timezone')) -%}
    {%- set offsets = [] -%}
    {%- for year in range(var('calendar_start')[:4] | int, 2041) -%}
        {%- for month in [1, 7] -%}
            {%- do offsets.append(zone.utcoffset(modules.datetime.datetime(year, month, 1)).total_seconds()) -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- if offsets | unique | list | length != 1 or offsets[0] % 3600 != 0 -%}
        {{ exceptions.raise_compiler_error("report_timezone " ~ var('report_timezone') ~ " has no fixed whole-hour UTC offset; to_wib needs one") }}
    {%- endif -%}
    {{- (offsets[0] // 3600) | int -}}
{%- endmacro %}

{% macro to_wib(timestamp_utc) -%}
    ({{ timestamp_utc }} + interval ({{ report_clock_utc_offset_hours() }}) hour)
{%- endmacro %}

