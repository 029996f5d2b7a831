-- Chatbot sessions with how each ended, linked to the Deskpro ticket an agent took over.
{#- a session at a month's end may link a ticket of the next month: rebuild the month before a changed one -#}
{{ config(materialized='incremental', meta={'month_rule': 'own_and_previous'}) }}
with

-- read twice (the links, the sessions' rows): not materialized, or DuckDB would first copy every column of a
-- month's sessions into a buffer
sessions as not materialized (
    select * from {{ ref('stg_chatbot__sessions') }}
    where {{ is_month_to_build('report_month') }}
),

tickets as (
    select ticket_ref, ticket_id from {{ ref('fct_tickets') }}
),

-- the ticket each session names, found on the key columns alone: joining every column of the sessions to the
-- tickets made a large month spill to disk (12.8 M sessions against 9.7 M tickets: 13.8 s, against 11.0 s so)
links as (
    select
        sessions.report_month,
        sessions.source_row_number,
        tickets.ticket_id
    from sessions
    inner join tickets on sessions.ticket_ref = tickets.ticket_ref
),

classified as (
    select
        sessions.*,
        sessions.menu is null as is_left_before_menu,
        sessions.menu is not null
        and sessions.menu <> 'Chat Agent'
        and not sessions.is_handed_to_agent as is_without_agent,
        links.ticket_id as linked_ticket_id,
        sessions.is_handed_to_agent and links.ticket_id is null as is_handed_without_ticket
    from sessions
    -- a session's row in its month's export: one row per session (the session_id unique test holds it)
    left join links
        on sessions.report_month = links.report_month and sessions.source_row_number = links.source_row_number
)

select * from classified
