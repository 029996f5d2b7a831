{#-
  Monthly models are incremental by report month ("one pass per month").

  An incremental model (materialized='incremental', incremental_strategy='replace_months', set for
  staging / marts / reporting in dbt_project.yml) rebuilds only its *months to build*, in the one
  transaction of the model (delete those months, insert their new rows; other months untouched):

    1. every month of the run (dbt_state.run_months: macros/run_months.sql);
    2. every month whose raw rows changed since this model last built it: the raw version of a
       month (raw_month_versions: the newest loaded_at of raw.load_log and of raw.api_pull_modes, where
       every API pull records its keys, for that report month) differs from the version recorded for this model in
       dbt_state.incremental_months after its last successful build (for a model that reads
       incremental models: the oldest version they recorded, see model_month_versions). So a
       history month ingested with `djpk ingest` (raw only, no dbt) or a re-export of an old month
       reaches the model in the next build, whatever the run's months. Every month counts as changed when the project's
       models or seeds changed since (project_code_version), so new code recomputes all history;
    3. by the model's meta month_rule (config(meta={'month_rule': …})), the months whose rows
       read a changed month:
         own                 nothing more: a month's rows read only that month (the default)
         own_and_previous    also the month before each changed month (it reads the next month)
         own_and_adjacent    also the loaded months before and after each changed month (social posts:
                             a month's pull may list posts whose own WIB timestamp is in the month
                             before or after, and a post counts in its own month)
         own_and_later       also every loaded month after the earliest changed month (cumulative)
         previous_and_later  every loaded month from the month before the earliest changed month

  Models read other months (previous month, previous year, cumulative) from their upstream models,
  which hold every month. `dbt build --full-refresh` rebuilds every month of every model: use it
  after a change that the month versions cannot see: a macro, a var, a raw lookup table (person
  keys, region matches). A change of a model's columns fails the build (on_schema_change: fail)
  until it is run with --full-refresh.
-#}

{#- The state table: per incremental model, the raw version of every month when it last built. -#}
{% macro month_state_table() -%}
    dbt_state.incremental_months
{%- endmacro %}

{#- A hash of every model's and seed's file: a build after any of them changed rebuilds every month. -#}
{% macro project_code_version() -%}
    {%- set parts = [] -%}
    {%- for node in graph.nodes.values() | sort(attribute='unique_id') if node.resource_type in ('model', 'seed') -%}
        {%- do parts.append(node.unique_id ~ '=' ~ node.checksum.checksum) -%}
    {%- endfor -%}
    {{- local_md5(parts | join(',')) -}}
{%- endmacro %}

{#-
  Report month → raw_loaded_at: when any raw row of that month was last loaded (export loads in raw.load_log,
  API pulls in raw.api_pull_modes). A load_log not created yet (a warehouse with API pulls only) adds nothing.
-#}
{% macro raw_month_versions() -%}
    {%- set load_log = source('raw', 'load_log') -%}
    select report_month, max(loaded_at) as raw_loaded_at
    from (
        {%- if not execute or load_relation(load_log) is not none %}
        select report_month, loaded_at from {{ load_log }}
        union all
        {%- endif %}
        {# every pull of every API table records its key (report month, snapshot day) there #}
        select cast(date_trunc('month', pull_key) as date) as report_month, loaded_at
        from {{ source('raw', 'api_pull_modes') }}
    )
    where report_month is not null
    group by report_month
{%- endmacro %}

{#-
  The incremental models this model reads, directly or through views (the int_ views): the months
  it can build are only as new as what they last built.
-#}
{% macro incremental_ancestors(node) -%}
    {%- set found = [] -%}
    {%- for unique_id in node.depends_on.nodes -%}
        {%- set parent = graph.nodes.get(unique_id) -%}
        {%- if parent is not none and parent.resource_type == 'model' -%}
            {%- if parent.config.materialized == 'incremental' -%}
                {%- do found.append(parent.schema ~ '.' ~ parent.alias) -%}
            {%- elif parent.config.materialized in ('view', 'ephemeral') -%}
                {%- for name in incremental_ancestors(parent) -%}
                    {%- do found.append(name) -%}
                {%- endfor -%}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}
    {{- return(found | unique | list) -}}
{%- endmacro %}

{#-
  Report month → the version this model builds that month from: the raw version, or, when the
  model reads incremental models, the oldest version they recorded for the month (-infinity while
  one of them has not built it). So a model built while an upstream model lagged (a Dagster run of
  a subset of the models) rebuilds the month once the upstream model has caught up.
-#}
{% macro model_month_versions(state_exists) -%}
    {%- set parents = incremental_ancestors(model) -%}
    with raw_versions as (
        {{ raw_month_versions() }}
    )
    {%- if parents and state_exists %},
    parent_versions as (
        select report_month, min(raw_loaded_at) as raw_loaded_at, count(distinct model_name) as parents_built
        from {{ month_state_table() }}
        where model_name in ({% for name in parents %}'{{ name }}'{{ ', ' if not loop.last }}{% endfor %})
        group by report_month
    )
    select
        raw_versions.report_month,
        case when parent_versions.parents_built = {{ parents | length }}
            then least(raw_versions.raw_loaded_at, parent_versions.raw_loaded_at)
            else timestamp '-infinity'
        end as raw_loaded_at
    from raw_versions
    left join parent_versions on parent_versions.report_month = raw_versions.report_month
    {%- elif parents %}
    select report_month, timestamp '-infinity' as raw_loaded_at from raw_versions
    {%- else %}
    select report_month, raw_loaded_at from raw_versions
    {%- endif %}
{%- endmacro %}

{#- Whether the state table exists (in its current shape). The commands that run the on-run-start hooks (dbt
    build, run, test, seed, snapshot: dbt's RunTask and its subclasses) have just created it there, so only another
    command (dbt show, compile) asks the warehouse. -#}
{% macro month_state_exists() -%}
    {%- if not execute -%}
        {{- return(false) -}}
    {%- endif -%}
    {%- if flags.WHICH in ('build', 'run', 'test', 'seed', 'snapshot') -%}
        {{- return(true) -}}
    {%- endif -%}
    {%- set found = run_query("select count(*) from information_schema.columns where table_schema = 'dbt_state' and table_name = 'incremental_months' and column_name = 'code_version'") -%}
    {{- return(found.columns[0].values()[0] > 0) -}}
{%- endmacro %}

{#- The months this model builds now (a query returning report_month); see the top of this file.
    Rendered once per model and stage: a model calls it for every upstream it reads by month, and each rendering
    asks the warehouse whether the state table exists and walks the whole graph for the code version. The first
    rendering is kept in the node's own context (`model`, a dict built afresh for each node and stage). -#}
{% macro months_to_build() -%}
    {%- set kept_as = 'djpk_months_to_build_sql' -%}
    {%- if model is mapping and kept_as in model -%}
        {{- return(model[kept_as]) -}}
    {%- endif -%}
    {%- set rule = (config.get('meta') or {}).get('month_rule', 'own') -%}
    {%- if rule not in ('own', 'own_and_previous', 'own_and_adjacent', 'own_and_later', 'previous_and_later') -%}
        {{ exceptions.raise_compiler_error("month_rule must be own, own_and_previous, own_and_adjacent, own_and_later or previous_and_later, not " ~ rule) }}
    {%- endif -%}
    {%- set model_name = this.schema ~ '.' ~ this.identifier -%}
    {%- set state_exists = month_state_exists() -%}
    {%- set months_sql -%}
    select report_month from (
        with versions as (
            {{ model_month_versions(state_exists) }}
        ),
        built as (
            {%- if state_exists %}
            select report_month, raw_loaded_at, code_version from {{ month_state_table() }} where model_name = '{{ model_name }}'
            {%- else %}
            select null::date as report_month, null::timestamp as raw_loaded_at, null::varchar as code_version where false
            {%- endif %}
        ),
        changed as (
            select versions.report_month
            from versions
            left join built on built.report_month = versions.report_month
            where built.raw_loaded_at is distinct from versions.raw_loaded_at
               or built.code_version is distinct from '{{ project_code_version() }}'
        ),
        run_months as (
            {{ run_months() }}
        )
        select report_month from run_months
        union
        select report_month from changed
        {%- if rule in ('own_and_previous', 'own_and_adjacent') %}
        union
        select cast(report_month - interval 1 month as date) from changed
        {%- endif %}
        {%- if rule == 'own_and_adjacent' %}
        union
        select cast(report_month + interval 1 month as date) from changed
        where cast(report_month + interval 1 month as date) in (select report_month from versions)
        {%- elif rule in ('own_and_later', 'previous_and_later') %}
        union
        select report_month from versions
        where report_month >= (select min(report_month) {{- ' - interval 1 month' if rule == 'previous_and_later' }} from changed)
        {%- endif %}
    )
    {%- endset -%}
    {%- if model is mapping -%}
        {%- do model.update({kept_as: months_sql}) -%}
    {%- endif -%}
    {{- return(months_sql) -}}
{%- endmacro %}

{#-
  Filter on a month column: true on a full build, the months to build on an incremental one. Use it
  wherever a model reads its upstream by month, and on the months it outputs.
-#}
{% macro is_month_to_build(month_column) -%}
    {#- a unit test renders a model without a relation (this is none): a full build -#}
    {%- if this is not none and is_incremental() -%}
        ({{ month_column }} in ({{ months_to_build() }}))
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}

{#-
  Incremental strategy 'replace_months': in the model's transaction, delete the months to build
  (also those that now have no rows) and insert the new rows. The month column is the model's
  meta month_column (default report_month).
-#}
{% macro get_incremental_replace_months_sql(arg_dict) -%}
    {%- set month_column = (config.get('meta') or {}).get('month_column', 'report_month') -%}
    {%- set dest_cols_csv = get_quoted_csv(arg_dict['dest_columns'] | map(attribute='name')) -%}
    {#- The contract's not_null constraints hold on a table created before they were declared too (DuckDB checks
        the rows already there; a no-op when the column has the constraint). -#}
    {%- for column in model.get('columns', {}).values() if column.get('constraints', []) | selectattr('type', 'equalto', 'not_null') | list %}
    alter table {{ arg_dict['target_relation'] }} alter column {{ adapter.quote(column.name) }} set not null;
    {%- endfor %}

    delete from {{ arg_dict['target_relation'] }}
    where {{ month_column }} in ({{ months_to_build() }});

    insert into {{ arg_dict['target_relation'] }} ({{ dest_cols_csv }})
    select {{ dest_cols_csv }} from {{ arg_dict['temp_relation'] }}
{%- endmacro %}

{#- Once per dbt invocation (on-run-start), before any model: models build side by side (threads), and
    concurrent `create table if not exists` of one table conflict in DuckDB's catalog. -#}
{% macro create_month_state_table() -%}
    create schema if not exists dbt_state;
    create table if not exists {{ month_state_table() }} (
        model_name varchar, report_month date, raw_loaded_at timestamp, code_version varchar, recorded_at timestamp
    );
    alter table {{ month_state_table() }} add column if not exists code_version varchar
{%- endmacro %}

{#-
  Post-hook of every model (inside its transaction, so only a successful build records anything):
  an incremental model now holds every month as of the current versions, so record them all.
-#}
{% macro record_built_months() -%}
    {%- if model.config.materialized == 'incremental' -%}
    delete from {{ month_state_table() }} where model_name = '{{ this.schema ~ "." ~ this.identifier }}';
    insert into {{ month_state_table() }} (model_name, report_month, raw_loaded_at, code_version, recorded_at)
    select '{{ this.schema ~ "." ~ this.identifier }}', report_month, raw_loaded_at, '{{ project_code_version() }}', now()
    from ({{ model_month_versions(true) }})
    {%- endif -%}
{%- endmacro %}
