-- Distinct WhatsApp users per month (ticket phone numbers of the WhatsApp channel and chatbot
-- WhatsApp ids, one key space) and cumulatively since the channel opened.
{#- cumulative since the channel opened: a changed month changes every later month -#}
{{ config(materialized='incremental', meta={'month_rule': 'own_and_later'}) }}
with

ticket_users as (
    select report_month, phone_person_key as person_key
    from {{ ref('fct_tickets') }}
    where channel_code = 'whatsapp' and phone_person_key is not null
),

chatbot_users as (
    select report_month, person_key from {{ ref('fct_chatbot_sessions') }}
    where person_key is not null
),

users as (
    select * from ticket_users
    union
    select * from chatbot_users
),

first_seen as (
    select person_key, min(report_month) as first_month
    from users
    where report_month >= {{ service_start('whatsapp') }}
    group by person_key
),

loaded as (
    {{ loaded_months(['tickets']) }}
),

months as (
    select report_month from loaded
    where {{ is_month_to_build('report_month') }}
),

monthly as (
    select
        months.report_month,
        count(distinct users.person_key) as whatsapp_users,
        (
            select count(*) from first_seen
            where first_seen.first_month <= months.report_month
        ) as users_seen_since_start,
        (
            select count(*) from loaded
            where
                loaded.report_month >= {{ service_start('whatsapp') }}
                and loaded.report_month <= months.report_month
        ) as months_loaded_since_start,
        datediff('month', {{ service_start('whatsapp') }}, months.report_month) + 1 as months_since_start
    from months
    left join users on months.report_month = users.report_month
    group by months.report_month
)

select
    report_month,
    whatsapp_users,
    months_loaded_since_start = months_since_start as is_cumulative_complete,
    case when months_loaded_since_start = months_since_start then users_seen_since_start end
        as whatsapp_users_cumulative,
    months_loaded_since_start,
    months_since_start
from monthly
where report_month >= {{ service_start('whatsapp') }}
