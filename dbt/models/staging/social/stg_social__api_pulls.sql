-- Which report months were pulled from which monthly API (even a month without any post).
{# Before the first pull of a source its raw table does not exist yet: it then adds no month. -#}
{%- set pulls = [
    ('instagram', 'api_instagram_media'), ('facebook', 'api_facebook_posts'),
    ('x', 'api_x_tweets'), ('website', 'api_ga4_reports'),
] -%}
{%- set selects = [] -%}
{%- for platform, table in pulls -%}
    {%- set raw_relation = source('raw', table) -%}
    {%- if not execute or load_relation(raw_relation) is not none -%}
        {%- do selects.append("select '" ~ platform ~ "' as platform, report_month, count(*) as responses, max(requested_at) as last_requested_at from " ~ raw_relation ~ " group by report_month") -%}
    {%- endif -%}
{%- endfor %}
{% if selects %}
{{ selects | join('\nunion all\n') }}
{% else %}
    select
        null::varchar as platform,
        null::date as report_month,
        null::bigint as responses,
        null::timestamp as last_requested_at
    where false
{% endif %}
