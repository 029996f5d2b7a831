-- Follower snapshots of the three accounts, one row per platform and pull.
with

source as (
    select * from {{ source('raw', 'api_follower_snapshots') }}
)

select
    platform,
    taken_at as taken_at_utc,
    {{ to_wib('taken_at') }} as taken_at_wib,
    {{ wib_report_month('taken_at') }} as report_month,
    followers
from source
qualify row_number() over (partition by platform, taken_at order by loaded_at desc) = 1
