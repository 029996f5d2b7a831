-- Chatbot, phone line, WhatsApp users and e-mail lapor figures, one row per (month, metric,
-- dimension). metric_domain is the source: a figure is compared only with months its source was loaded.
{#- reads fct_chatbot_sessions (a month reads the next one) and the cumulative WhatsApp users -#}
{{ config(materialized='incremental', meta={'month_rule': 'previous_and_later'}) }}
with

chatbot as (
    select * from {{ ref('fct_chatbot_sessions') }}
    where {{ is_month_to_build('report_month') }}
),

chatbot_months as (
    select report_month from ({{ loaded_months(['chatbot']) }})
    where {{ is_month_to_build('report_month') }}
),

chatbot_menus as (
    select dimension_value as menu from {{ ref('report_dimensions') }}
    where dimension_set = 'chatbot_menu'
),

calls as (
    select * from {{ ref('fct_calls_monthly') }}
    where {{ is_month_to_build('report_month') }}
),

queued_calls as (
    select * from {{ ref('fct_calls') }}
    where is_queued and is_offered and {{ is_month_to_build('report_month') }}
),

queued_by_date as (
    -- the days on which callers waited in the queue (the 2020 report: "dijumpai di tanggal 1, 20, 21 dan 31")
    select
        report_month,
        strftime(cast(segment_started_at_wib as date), '%Y-%m-%d') as dimension,
        count(*) as value
    from queued_calls
    group by all
),

call_agents as (
    select * from {{ ref('fct_call_agents_monthly') }}
    where {{ is_month_to_build('report_month') }}
),

whatsapp as (
    select * from {{ ref('fct_whatsapp_users_monthly') }}
    where {{ is_month_to_build('report_month') }}
),

emails as (
    select * from {{ ref('fct_email_lapor') }}
    where {{ is_month_to_build('report_month') }}
),

email_months as (
    select report_month from ({{ loaded_months(['email_lapor']) }})
    where {{ is_month_to_build('report_month') }}
),

email_categories as (
    select dimension_value as category from {{ ref('report_dimensions') }}
    where dimension_set = 'email_lapor_category'
),

chatbot_totals as (
    select
        months.report_month,
        count(chatbot.session_id) as sessions,
        count(chatbot.session_id) filter (where chatbot.is_without_agent) as without_agent,
        count(chatbot.session_id) filter (where chatbot.is_handed_to_agent) as handed_to_agent,
        count(chatbot.session_id) filter (where chatbot.is_left_before_menu) as left_before_menu,
        count(chatbot.session_id) filter (where chatbot.is_handed_without_ticket) as handed_without_ticket
    from chatbot_months as months
    left join chatbot on months.report_month = chatbot.report_month
    group by months.report_month
),

chatbot_by_menu as (
    select months.report_month, chatbot_menus.menu as dimension, count(chatbot.session_id) as value
    from chatbot_months as months
    cross join chatbot_menus
    left join chatbot
        on months.report_month = chatbot.report_month and chatbot_menus.menu = chatbot.menu and chatbot.is_without_agent
    group by all
),

email_totals as (
    select
        months.report_month,
        count(emails.message_id) as messages,
        coalesce(sum(emails.copies_received - 1), 0) as duplicate_copies
    from email_months as months
    left join emails on months.report_month = emails.report_month
    group by months.report_month
),

email_by_category as (
    select months.report_month, email_categories.category as dimension, count(emails.message_id) as value
    from email_months as months
    cross join email_categories
    left join emails on months.report_month = emails.report_month and email_categories.category = emails.category
    group by all
),

metrics as (
    select
        'chatbot' as metric_domain,
        report_month,
        'chatbot_sessions_total' as metric,
        '' as dimension,
        cast(sessions as double) as value
    from chatbot_totals
    union all
    select 'chatbot', report_month, 'chatbot_sessions_without_agent', '', without_agent from chatbot_totals
    union all
    select 'chatbot', report_month, 'chatbot_sessions_handed_to_agent', '', handed_to_agent
    from chatbot_totals
    union all
    select 'chatbot', report_month, 'chatbot_sessions_left_before_menu', '', left_before_menu
    from chatbot_totals
    union all
    select 'chatbot', report_month, 'chatbot_handed_without_ticket', '', handed_without_ticket
    from chatbot_totals
    union all
    select 'chatbot', report_month, 'chatbot_menu', dimension, value from chatbot_by_menu

    union all
    select 'calls', report_month, 'calls_offered', '', calls_offered from calls
    union all
    select 'calls', report_month, 'calls_answered', '', calls_answered from calls
    union all
    select 'calls', report_month, 'calls_abandoned', '', calls_abandoned from calls
    union all
    select 'calls', report_month, 'calls_busy', '', calls_busy from calls
    union all
    select 'calls', report_month, 'calls_answered_within_10s', '', calls_answered_within_threshold from calls
    union all
    select 'calls', report_month, 'calls_service_level_pct', '', service_level_pct from calls
    union all
    select 'calls', report_month, 'calls_abandoned_pct', '', abandoned_pct from calls
    union all
    select 'calls', report_month, 'calls_queued', '', calls_queued from calls
    union all
    select 'calls', report_month, 'calls_queued_answered', '', calls_queued_answered from calls
    union all
    select 'calls', report_month, 'calls_queued_answered_pct', '', queued_answered_pct from calls
    union all
    select 'calls', report_month, 'calls_avg_speed_of_answer_seconds', '', average_speed_of_answer_seconds
    from calls
    union all
    select 'calls', report_month, 'calls_queued_by_date', dimension, value from queued_by_date
    union all
    select 'calls', report_month, 'calls_answered_by_agent', agent_login, calls_answered from call_agents
    union all
    select 'calls', report_month, 'calls_avg_talk_seconds_by_agent', agent_login, talk_seconds_avg
    from call_agents
    union all
    select 'calls', report_month, 'calls_avg_acw_seconds_by_agent', agent_login, after_call_work_seconds_avg
    from call_agents

    union all
    select 'whatsapp', report_month, 'whatsapp_users', '', whatsapp_users from whatsapp
    union all
    select 'whatsapp', report_month, 'whatsapp_users_cumulative', '', whatsapp_users_cumulative
    from whatsapp
    where is_cumulative_complete

    union all
    select 'email_lapor', report_month, 'email_lapor_total', '', messages from email_totals
    union all
    select 'email_lapor', report_month, 'email_lapor_duplicates', '', duplicate_copies from email_totals
    union all
    select 'email_lapor', report_month, 'email_lapor_by_category', dimension, value from email_by_category
)

select metric_domain, report_month, metric, dimension, cast(value as double) as value
from metrics
where value is not null
