{#-
  A raw API table, or an empty relation with its columns before the first pull of that source
  (the raw tables are created by the Dagster pull assets, so a fresh warehouse may not have them).
  Column lists mirror dagster_project/defs/social/raw_store.py.
-#}
{% macro raw_api_table(table) -%}
    {%- set columns_by_table = {
        'api_follower_snapshots': 'platform varchar, taken_at timestamp, snapshot_date date, report_month date, followers bigint, provider varchar, endpoint varchar, response_json json, loaded_at timestamp',
        'api_instagram_stories': 'taken_at timestamp, snapshot_date date, report_month date, provider varchar, endpoint varchar, response_index integer, response_json json, loaded_at timestamp',
    } -%}
    {%- set response_columns = 'report_month date, provider varchar, endpoint varchar, response_index integer, requested_at timestamp, http_status integer, response_json json, loaded_at timestamp' -%}
    {%- set relation = source('raw', table) -%}
    {%- if not execute or load_relation(relation) is not none -%}
        {{ relation }}
    {%- else -%}
        (select
        {%- for column in columns_by_table.get(table, response_columns).split(', ') %}
            null::{{ column.split(' ')[1] }} as {{ column.split(' ')[0] }}{{ ',' if not loop.last }}
        {%- endfor %}
        where false)
    {%- endif -%}
{%- endmacro %}
