"""Write the bundled recorded API responses of the sample months (deterministic).

A small in-memory imitation of the four providers (GA4 Data API, Instagram and Facebook Graph
API, X API v2), answering in their exact shapes (``/work/shared/contracts/apis.md``) from data
calibrated by ``calibration/social.yaml``, is mounted on the session of the *real* clients; the
pipeline's own pull functions (``dagster_project.defs.social.pulls``) then make exactly the
requests the assets make, and every response is written where ``RecordedResponsesAdapter``
looks for it::

    <out>/<provider>/<recording file>                    monthly pulls
    <out>/daily/<YYYY-MM-DD>/<provider>/<recording file>  the daily pull of that day (23:00 WIB):
                                                         follower counts and live stories

Paging is real: Graph lists come in pages of 10 (``paging.next``), X timelines in pages of 10
(``meta.next_token``), GA4 top pages with ``offset`` (28 rows, pages of 10). Tokens never reach
the files (``access_token=***`` in ``paging.next``, as a scrubbed recording would hold).

    python -m dagster_project.sample.api_recordings [--out DIR] [--check]

``--check`` regenerates into a temporary folder and exits 1 if the bundled folder differs.
"""

from __future__ import annotations

import argparse
import base64
import filecmp
import hashlib
import json
import random
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import requests
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict

from ..apis import FacebookPageClient, Ga4Client, InstagramClient, XClient
from ..apis.recorded import recording_filename
from ..lib.months import WIB, month_bounds
from .common import load_calibration

CALIBRATION_FILE = "social.yaml"
DEFAULT_OUT = Path(__file__).resolve().parent / "recordings"
DAILY_PULL = time(23, 0)
TOKEN = "generator-placeholder-token"
FILLER_PAGES = [
    ("/portal-apbd", "Portal APBD"),
    ("/portal-tkdd", "Portal TKDD"),
    ("/", "Halaman Utama"),
    ("/portal-data", "Portal Data"),
    ("/faq/sumber-pendapatan-daerah", "Apa saja sumber-sumber Pendapatan Daerah?"),
    ("/publikasi/berita", "Berita"),
    ("/publikasi/pengumuman", "Pengumuman"),
    ("/profil", "Profil DJPK"),
    ("/data-apbd", "Data APBD"),
    ("/tkd/dau", "Dana Alokasi Umum"),
    ("/tkd/dak-fisik", "DAK Fisik"),
    ("/tkd/dak-nonfisik", "DAK Nonfisik"),
    ("/tkd/dbh", "Dana Bagi Hasil"),
    ("/tkd/dana-desa", "Dana Desa"),
    ("/regulasi", "Regulasi"),
    ("/ppid", "PPID DJPK"),
    ("/hubungi-kami", "Hubungi Kami"),
    ("/visualisasi-apbd", "Visualisasi APBD"),
    ("/aladin", "ALADIN"),
    ("/sikd", "SIKD"),
    ("/faq", "FAQ"),
    ("/kontak-center", "Contact Center DJPK"),
    ("/publikasi/buku", "Buku dan Kajian"),
    ("/statistik", "Statistik Keuangan Daerah"),
    ("/pdrd", "Pajak Daerah dan Retribusi Daerah"),
    ("/hkpd", "UU HKPD"),
    ("/infografis", "Infografis"),
    ("/galeri", "Galeri"),
    ("/karir", "Karir"),
    ("/peta-situs", "Peta Situs"),
    ("/kebijakan-privasi", "Kebijakan Privasi"),
]


def split_total(total: int, parts: int, rng: random.Random, spread: float = 0.45) -> list[int]:
    """``parts`` positive integers summing exactly to ``total``."""
    if parts == 0:
        return []
    weights = [rng.uniform(1 - spread, 1 + spread) for _ in range(parts)]
    values = [max(1, int(total * w / sum(weights))) for w in weights]
    difference = total - sum(values)
    index = 0
    while difference:
        step = 1 if difference > 0 else -1
        if values[index % parts] + step >= 1:
            values[index % parts] += step
            difference -= step
        index += 1
    return values


def random_moments(month: str, count: int, rng: random.Random, hours: tuple[int, int]) -> list[datetime]:
    """``count`` distinct WIB times in the month between ``hours`` (sorted)."""
    first, after = month_bounds(month)
    days = (after - first).days
    moments = set()
    while len(moments) < count:
        day = first + timedelta(days=rng.randrange(days))
        moments.add(datetime.combine(day, time(rng.randrange(*hours), rng.randrange(60), rng.randrange(60)), WIB))
    return sorted(moments)


def graph_ts(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S+0000")


def x_ts(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")


@dataclass
class Item:
    id: str
    at: datetime
    fields: dict[str, Any]
    insights: dict[str, int] = field(default_factory=dict)


@dataclass
class World:
    """Every calibrated month's posts, stories, follower curves and website figures."""

    ig_media: list[Item] = field(default_factory=list)
    ig_stories: list[Item] = field(default_factory=list)
    fb_posts: list[Item] = field(default_factory=list)
    tweets: list[Item] = field(default_factory=list)
    followers: dict[tuple[str, date], int] = field(default_factory=dict)
    website: dict[str, dict] = field(default_factory=dict)
    insights_by_id: dict[str, dict[str, int]] = field(default_factory=dict)


def build_world(calibration: dict) -> World:
    world = World()
    for month, figures in sorted(calibration["months"].items()):
        rng = random.Random(f"djpk-social-{month}")
        tag = month.replace("-", "")
        ig, fb, x = figures["instagram"], figures["facebook"], figures["x"]
        for index, (moment, reach) in enumerate(
            zip(
                random_moments(month, ig["feed_posts"], rng, (8, 21)),
                split_total(ig["reach_total"], ig["feed_posts"], rng),
            )
        ):
            media_id = f"179{tag}{index:04d}"
            item = Item(
                media_id,
                moment,
                {
                    "media_type": rng.choice(["IMAGE", "CAROUSEL_ALBUM", "IMAGE"]),
                    "media_product_type": "FEED",
                    "permalink": f"https://www.instagram.com/p/DJPK{tag}{index:03d}/",
                },
                {"reach": reach, "views": int(reach * rng.uniform(1.3, 1.9))},
            )
            world.ig_media.append(item)
        for index, moment in enumerate(random_moments(month, ig["stories"], rng, (8, 22))):
            world.ig_stories.append(Item(f"180{tag}{index:04d}", moment, {}))
        fb_values = split_total(fb["reach_avg"] * fb["posts"], fb["posts"], rng)
        for index, (moment, reach) in enumerate(zip(random_moments(month, fb["posts"], rng, (8, 21)), fb_values)):
            post_id = f"100000000000001_{tag}{index:04d}"
            world.fb_posts.append(Item(post_id, moment, {}, {"post_total_media_view_unique": reach}))
        x_values = split_total(x["impressions"], x["posts"], rng)
        for index, (moment, impressions) in enumerate(zip(random_moments(month, x["posts"], rng, (7, 21)), x_values)):
            likes = max(0, int(impressions * rng.uniform(0.01, 0.04)))
            world.tweets.append(
                Item(
                    f"17{tag}{index:05d}",
                    moment,
                    {
                        "text": f"#InfoTKDD Informasi DJPK {month} ({index + 1})",
                        "public_metrics": {
                            "retweet_count": likes // 4,
                            "reply_count": likes // 10,
                            "like_count": likes,
                            "quote_count": 0,
                            "bookmark_count": likes // 8,
                            "impression_count": impressions,
                        },
                    },
                )
            )
        first, after = month_bounds(month)
        days = (after - first).days
        for platform, key in (("instagram", ig), ("facebook", fb), ("x", x)):
            for offset in range(days):
                followers = key["followers_start"] + round(
                    (key["followers"] - key["followers_start"]) * offset / max(days - 1, 1)
                )
                world.followers[(platform, first + timedelta(days=offset))] = followers
        world.website[month] = figures["website"]
    for item in world.ig_media + world.fb_posts:
        world.insights_by_id[item.id] = item.insights
    return world


def top_page_rows(month: str, website: dict, rows: int) -> list[dict]:
    rng = random.Random(f"djpk-ga4-{month}")
    titles = list(website["top_pages"])
    pages = [(path, title) for path, title in FILLER_PAGES if title in titles]
    pages.sort(key=lambda page: titles.index(page[1]))
    pages += [page for page in FILLER_PAGES if page[1] not in titles][: rows - len(pages)]
    users_total = website["active_users"]
    views = int(users_total * 0.9)
    result = []
    for path, title in pages:
        users = max(1, int(views * rng.uniform(0.45, 0.7)))
        result.append({"pagePath": path, "pageTitle": title, "activeUsers": users, "screenPageViews": views})
        views = max(1, int(views * rng.uniform(0.55, 0.85)))
    return result


class FakeProviders(BaseAdapter):
    """Answers like the four providers from a :class:`World`; writes every response it sends."""

    def __init__(self, world: World, calibration: dict, ids: dict[str, str]) -> None:
        super().__init__()
        self.world, self.ids = world, ids
        self.graph_page = calibration["paging"]["graph_page_size"]
        self.x_page = calibration["paging"]["x_page_size"]
        self.ga4_rows = calibration["paging"]["ga4_rows"]
        self.out: Path | None = None
        self.now: datetime | None = None  # pull time of a daily pull

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        url = request.url or ""
        body = json.loads(request.body) if request.body else None
        data = self.answer(request.method or "GET", urlsplit(url).path, dict(parse_qsl(urlsplit(url).query)), body, url)
        content = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
        assert self.out is not None
        self.out.mkdir(parents=True, exist_ok=True)
        (self.out / recording_filename(request.method or "GET", url, request.body)).write_bytes(content)
        response = requests.Response()
        response.status_code, response.reason, response._content = 200, "OK", content
        response.headers = CaseInsensitiveDict({"Content-Type": "application/json"})
        response.url, response.request, response.encoding = url, request, "utf-8"
        return response

    def close(self) -> None:
        pass

    # -- the providers --------------------------------------------------------------------

    def answer(self, method: str, path: str, query: dict, body: Any, url: str) -> Any:
        ids = self.ids
        parts = path.strip("/").split("/")
        if method == "POST" and path.endswith(":runReport"):
            return self.ga4(body)
        if parts[0] == "2":
            if parts[1:4] == ["users", "by", "username"]:
                return self.x_user(parts[4])
            if parts[1] == "users" and parts[3] == "tweets":
                return self.x_tweets(parts[2], query)
        tail = parts[1:]
        if tail == [ids["ig"]]:
            return {
                "followers_count": self.world.followers[("instagram", self.now.date())],
                "media_count": 3100 + len([m for m in self.world.ig_media if m.at <= self.now]),
                "id": ids["ig"],
            }
        if tail == [ids["fb"]]:
            followers = self.world.followers[("facebook", self.now.date())]
            return {"followers_count": followers, "fan_count": int(followers * 0.93), "id": ids["fb"]}
        if tail == [ids["ig"], "media"]:
            items = [
                {"id": m.id, **m.fields, "timestamp": graph_ts(m.at)} for m in self.window(self.world.ig_media, query)
            ]
            return self.graph_page_of(items, query, url)
        if tail == [ids["ig"], "stories"]:
            live = [s for s in self.world.ig_stories if self.now - timedelta(hours=24) < s.at <= self.now]
            return self.graph_page_of(
                [{"id": s.id, "timestamp": graph_ts(s.at)} for s in sorted(live, key=lambda s: s.at, reverse=True)],
                query,
                url,
            )
        if tail == [ids["fb"], "posts"]:
            items = [{"created_time": graph_ts(p.at), "id": p.id} for p in self.window(self.world.fb_posts, query)]
            return self.graph_page_of(items, query, url)
        if len(tail) == 2 and tail[1] == "insights":
            values = self.world.insights_by_id[tail[0]]
            return {
                "data": [
                    {
                        "name": name,
                        "period": "lifetime",
                        "values": [{"value": values[name]}],
                        "title": {"reach": "Accounts reached", "views": "Views"}.get(
                            name, "Lifetime post media views (unique)"
                        ),
                        "description": f"Lifetime {name}",
                        "id": f"{tail[0]}/insights/{name}/lifetime",
                    }
                    for name in query["metric"].split(",")
                ]
            }
        raise AssertionError(f"the recording generator does not answer {method} {path}")

    @staticmethod
    def window(items: list[Item], query: dict) -> list[Item]:
        since, until = int(query["since"]), int(query["until"])
        chosen = [item for item in items if since <= item.at.timestamp() < until]
        return sorted(chosen, key=lambda item: item.at, reverse=True)

    def graph_page_of(self, items: list[dict], query: dict, url: str) -> dict:
        offset = int(base64.b64decode(query["after"]).decode()) if "after" in query else 0
        page = items[offset : offset + self.graph_page]
        result: dict[str, Any] = {"data": page}
        if page:
            cursor = lambda n: base64.b64encode(str(n).encode()).decode()  # noqa: E731
            result["paging"] = {"cursors": {"before": cursor(offset), "after": cursor(offset + len(page))}}
            if offset + len(page) < len(items):
                parts = urlsplit(url)
                params = [(k, v) for k, v in parse_qsl(parts.query) if k not in ("after", "access_token")]
                params = [("access_token", "***")] + params + [("after", cursor(offset + len(page)))]
                result["paging"]["next"] = urlunsplit(parts._replace(query=urlencode(params, safe=",*")))
        return result

    def ga4(self, body: dict) -> dict:
        start = body["dateRanges"][0]["startDate"]
        website = self.world.website[start[:7]]
        meta = {"currencyCode": "IDR", "timeZone": "Asia/Jakarta"}
        metric_headers = [{"name": m["name"], "type": "TYPE_INTEGER"} for m in body["metrics"]]
        if not body.get("dimensions"):
            return {
                "metricHeaders": metric_headers,
                "rows": [{"metricValues": [{"value": str(website["active_users"])}]}],
                "rowCount": 1,
                "metadata": meta,
                "kind": "analyticsData#runReport",
            }
        rows = top_page_rows(start[:7], website, self.ga4_rows)
        offset, limit = int(body.get("offset", 0)), int(body.get("limit", 10000))
        names = [m["name"] for m in body["metrics"]]
        return {
            "dimensionHeaders": [{"name": d["name"]} for d in body["dimensions"]],
            "metricHeaders": metric_headers,
            "rows": [
                {
                    "dimensionValues": [{"value": r["pagePath"]}, {"value": r["pageTitle"]}],
                    "metricValues": [{"value": str(r[n])} for n in names],
                }
                for r in rows[offset : offset + limit]
            ],
            "totals": [
                {
                    "dimensionValues": [{"value": "RESERVED_TOTAL"}, {"value": "RESERVED_TOTAL"}],
                    "metricValues": [
                        {"value": str(website["active_users"])},
                        {"value": str(sum(r["screenPageViews"] for r in rows))},
                    ],
                }
            ],
            "rowCount": len(rows),
            "metadata": meta,
            "kind": "analyticsData#runReport",
        }

    def x_user(self, username: str) -> dict:
        followers = self.world.followers[("x", self.now.date())]
        return {
            "data": {
                "id": self.ids["x"],
                "name": "DJPK Kemenkeu",
                "username": username,
                "public_metrics": {
                    "followers_count": followers,
                    "following_count": 312,
                    "tweet_count": 9800 + len([t for t in self.world.tweets if t.at <= self.now]),
                    "listed_count": 41,
                    "like_count": 2210,
                },
            }
        }

    def x_tweets(self, user_id: str, query: dict) -> dict:
        start = datetime.strptime(query["start_time"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
        end = datetime.strptime(query["end_time"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
        tweets = sorted((t for t in self.world.tweets if start <= t.at < end), key=lambda t: t.at, reverse=True)
        offset = int(query["pagination_token"].rsplit("o", 1)[1]) if "pagination_token" in query else 0
        page = tweets[offset : offset + self.x_page]
        data = [
            {
                "id": t.id,
                "created_at": x_ts(t.at),
                "text": t.fields["text"],
                "edit_history_tweet_ids": [t.id],
                "public_metrics": t.fields["public_metrics"],
            }
            for t in page
        ]
        meta: dict[str, Any] = {"result_count": len(page)}
        if page:
            meta.update(newest_id=page[0].id, oldest_id=page[-1].id)
        if offset + len(page) < len(tweets):
            token = hashlib.sha256(f"{user_id}{query['start_time']}{offset}".encode()).hexdigest()[:12]
            meta["next_token"] = f"{token}o{offset + len(page)}"
        return {"data": data, "meta": meta} if data else {"meta": meta}


def generate(out: Path = DEFAULT_OUT) -> list[Path]:
    """(Re)write every recording under ``out``; returns the files written."""
    from ..defs.social import pulls
    from ..defs.social.resources import FacebookResource, Ga4Resource, InstagramResource, XResource

    calibration = load_calibration(CALIBRATION_FILE)
    world = build_world(calibration)
    ga4_cfg, ig_cfg, fb_cfg, x_cfg = Ga4Resource(), InstagramResource(), FacebookResource(), XResource()
    fake = FakeProviders(world, calibration, {"ig": ig_cfg.ig_user_id, "fb": fb_cfg.page_id, "x": x_cfg.user_id})
    session = requests.Session()
    session.mount("https://", fake)
    out = Path(out)
    if out.exists():
        shutil.rmtree(out)

    def clients():
        return (
            Ga4Client(ga4_cfg.base_url, ga4_cfg.property_id, TOKEN, page_size=ga4_cfg.page_size, session=session),
            InstagramClient(ig_cfg.base_url, ig_cfg.ig_user_id, TOKEN, ig_cfg.account_name, session=session),
            FacebookPageClient(
                fb_cfg.base_url, fb_cfg.page_id, TOKEN, fb_cfg.account_name, fb_cfg.post_metric, session=session
            ),
            XClient(x_cfg.base_url, TOKEN, x_cfg.username, session=session),
        )

    for month in sorted(calibration["months"]):
        ga4, ig, fb, x = clients()
        fake.out = out / ga4_cfg.provider_folder
        pulls.pull_ga4_month(ga4, month, ga4_cfg.top_pages)
        fake.out = out / ig_cfg.provider_folder
        pulls.pull_instagram_month(ig, month, ig_cfg.media_metrics)
        fake.out = out / fb_cfg.provider_folder
        pulls.pull_facebook_month(fb, month)
        fake.out = out / x_cfg.provider_folder
        pulls.pull_x_month(x, x_cfg.user_id, month)
        first, after = month_bounds(month)
        day = first
        while day < after:
            fake.now = datetime.combine(day, DAILY_PULL, WIB)
            daily = out / "daily" / day.isoformat()
            _, ig, fb, x = clients()
            fake.out = daily / ig_cfg.provider_folder
            ig.profile()
            pulls.pull_instagram_stories(ig)
            fake.out = daily / fb_cfg.provider_folder
            fb.page()
            fake.out = daily / x_cfg.provider_folder
            x.user()
            day += timedelta(days=1)
    return sorted(path for path in out.rglob("*.json"))


def same_tree(left: Path, right: Path) -> bool:
    left_files = sorted(p.relative_to(left) for p in left.rglob("*") if p.is_file())
    right_files = sorted(p.relative_to(right) for p in right.rglob("*") if p.is_file())
    if left_files != right_files:
        return False
    return all(filecmp.cmp(left / p, right / p, shallow=False) for p in left_files)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--check", action="store_true", help="exit 1 if --out differs from a fresh generation")
    args = parser.parse_args(argv)
    if args.check:
        with tempfile.TemporaryDirectory(prefix="djpk-recordings-") as folder:
            generate(Path(folder))
            same = same_tree(Path(folder), args.out)
        print("recordings up to date" if same else f"recordings in {args.out} differ from the generator: regenerate")
        return 0 if same else 1
    files = generate(args.out)
    print(f"{len(files)} recorded responses under {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
