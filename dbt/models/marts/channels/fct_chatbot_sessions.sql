-- Chatbot sessions with how each ended, linked to the Deskpro ticket an agent took over.
{#- a session at a month's end may link a ticket of the next month: rebuild the month before a changed one -#}
{{ config(materialized='incremental', meta={'month_rule': 'own_and_previous'}) }}
with

sessions as (
    select * from {{ ref('stg_chatbot__sessions') }}
    where {{ is_month_to_build('report_month') }}
),

tickets as (
    select ticket_ref, ticket_id from {{ ref('fct_tickets') }}
),

classified as (
    select
        sessions.*,
        sessions.menu is null as is_left_before_menu,
        sessions.menu is not null
        and sessions.menu <> 'Chat Agent'
        and not sessions.is_handed_to_agent as is_without_agent,
        tickets.ticket_id as linked_ticket_id,
        sessions.is_handed_to_agent and tickets.ticket_id is null as is_handed_without_ticket
    from sessions
    left join tickets on sessions.ticket_ref = tickets.ticket_ref
)

select * from classified
