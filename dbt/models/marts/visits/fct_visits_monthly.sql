-- Monthly visit figures, and face-to-face visits held since the start of 2023 (only when every
-- month since then was loaded: a cumulative figure over a gap would be wrong, so it stays NULL).
{#- cumulative since 2023: a changed month changes every later month; the running total reads every month -#}
{{ config(materialized='incremental', meta={'month_rule': 'own_and_later'}) }}
with

visits as (
    select * from {{ ref('fct_visits') }}
),

vicon_months as (
    {{ loaded_months(['registers_vicon']) }}
),

face_to_face_months as (
    {{ loaded_months(['registers_face_to_face']) }}
),

months as (
    select report_month from vicon_months
    union
    select report_month from face_to_face_months
),

monthly as (
    select
        months.report_month,
        months.report_month in (select report_month from vicon_months) as has_vicon_register,
        months.report_month in (select report_month from face_to_face_months) as has_face_to_face_register,
        count(*) filter (where visits.visit_kind = 'vicon') as vicon_total,
        count(*) filter (where visits.visit_kind = 'face_to_face' and visits.is_held) as face_to_face_total,
        coalesce(sum(visits.guests) filter (where visits.visit_kind = 'face_to_face' and visits.is_held), 0)
            as face_to_face_guests,
        count(*) filter (where visits.visit_kind = 'face_to_face' and visits.is_held and visits.has_sppd)
            as face_to_face_with_sppd,
        count(*) filter (where visits.visit_kind = 'face_to_face' and visits.is_held and not visits.has_sppd)
            as face_to_face_without_sppd,
        count(*) filter (where visits.visit_kind = 'face_to_face' and not visits.is_held) as reservations_declined,
        count(*) filter (where visits.is_over_guest_limit) as face_to_face_over_guest_limit
    from months
    left join visits on months.report_month = visits.report_month
    group by months.report_month
),

with_cumulative as (
    select
        monthly.*,
        (
            select count(*) from face_to_face_months as loaded
            where
                loaded.report_month >= {{ service_start('face_to_face_cumulative') }}
                and loaded.report_month <= monthly.report_month
        ) as months_loaded_since_cumulative_start,
        datediff('month', {{ service_start('face_to_face_cumulative') }}, monthly.report_month)
        + 1 as months_since_cumulative_start,
        (
            select sum(earlier.face_to_face_total) from monthly as earlier
            where
                earlier.report_month >= {{ service_start('face_to_face_cumulative') }}
                and earlier.report_month <= monthly.report_month
        ) as running_total_since_start
    from monthly
)

select
    report_month,
    has_vicon_register,
    has_face_to_face_register,
    vicon_total,
    face_to_face_total,
    face_to_face_guests,
    face_to_face_with_sppd,
    face_to_face_without_sppd,
    {{ pct('face_to_face_without_sppd', 'face_to_face_total') }} as face_to_face_without_sppd_pct,
    reservations_declined,
    face_to_face_over_guest_limit,
    case
        when
            report_month >= {{ service_start('face_to_face_cumulative') }}
            and months_loaded_since_cumulative_start = months_since_cumulative_start
            then running_total_since_start
    end as face_to_face_cumulative
from with_cumulative
where {{ is_month_to_build('report_month') }}
