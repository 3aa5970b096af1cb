"""Load held: browsing and searching clients while partners submit drafts through the API.

    .venv/bin/python bench/load_reliability.py     # 50 browsers for 60 s, 20 partners × 25 drafts
    .venv/bin/python bench/load_reliability.py --browsers 10 --duration 15 --drafts 100

Casebook runs under gunicorn (the repository's gunicorn.conf.py: workers from the CPU count,
`--workers` to choose) in production settings, on loopback, on a PostgreSQL database of its own
(`--database-url`, default casebook_load on 127.0.0.1:5432, created if missing, migrated, the
shipped catalogue loaded) with Redis as the cache (under a key prefix of the run's own).
Partner accounts and their API tokens are made through the ORM first (`partner_tokens`).

Browsers request list pages (filters, search, pages), case pages and API reads in a loop for
`--duration` seconds. Each partner POSTs its share of the drafts to /api/v1/submissions/ with
`Authorization: Token …` and an `Idempotency-Key` per draft; a draft whose answer was lost (a
5xx, a timeout, a refused connection) is sent again with the same key, up to 5 times. Prints
requests served, 5xx answers (must be 0), drafts requested vs stored exactly once, and browse
p50/p99; exits non-zero if a 5xx was seen or the drafts do not match. Bounded: setup, then
`--duration` seconds, and at most 120 s more for the partners to finish.
"""

import argparse
import collections
import json
import os
import random
import secrets
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import servers

PARTNER_GRACE_SECONDS = 120


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/casebook_load")
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0"))
    parser.add_argument("--browsers", type=int, default=50)
    parser.add_argument("--duration", type=int, default=60, help="seconds the browsers run")
    parser.add_argument("--partners", type=int, default=20)
    parser.add_argument("--drafts", type=int, default=500, help="drafts, shared among the partners")
    parser.add_argument(
        "--workers", type=int, default=None, help="gunicorn workers (default: gunicorn.conf.py)"
    )
    return parser.parse_args()


def create_database(url):
    """Create the PostgreSQL database of `url` if missing (psql on loopback)."""
    rest = url.split("://", 1)[1]
    server, _, name = rest.partition("/")
    host, _, port = server.split("@")[-1].partition(":")
    client = ["-h", host, "-p", port or "5432", "-U", "postgres"]
    exists = subprocess.run(  # noqa: S603
        ["psql", *client, "-tA", "-v", f"name={name}"],  # noqa: S607 (the operator's psql)
        input="SELECT 1 FROM pg_database WHERE datname = :'name'",
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if not exists:
        subprocess.run(["createdb", *client, name], check=True)  # noqa: S603, S607


def partner_tokens(count, run):
    """`count` new partner accounts, each with an API token; returns the keys to send as
    `Authorization: Token <key>`. How tokens are stored may change: adapt this function only."""
    from django.contrib.auth import get_user_model

    from accounts.services import create_api_token
    from catalogue.models import PartnerProfile

    keys = []
    for number in range(count):
        email = f"load-{run}-{number}@example.org"
        user = get_user_model().objects.create_user(
            username=email, email=email, password=secrets.token_urlsafe()
        )
        PartnerProfile.objects.create(user=user)
        keys.append(create_api_token(user, f"load test {run}")[1])
    return keys


def drafts_stored(run):
    """(drafts stored for this run's partners, distinct titles among them)."""
    from catalogue.models import Initiative

    drafts = Initiative.objects.filter(submitted_by__email__startswith=f"load-{run}-")
    return drafts.count(), drafts.values("title").distinct().count()


def browse_urls():
    """Pages and API reads over the loaded catalogue: lists, filters, search, pages, cases."""
    from catalogue.models import Initiative, Sector

    slugs = list(Initiative.objects.published().values_list("slug", flat=True)[:200])
    sectors = list(Sector.objects.values_list("slug", flat=True))
    words = ["reading", "health", "privacy", "speech", "children", "school", "safety"]
    urls = ["/", "/initiatives/", "/organisations/", "/api/v1/initiatives/", "/api/v1/sectors/"]
    urls += [f"/initiatives/?sector={slug}" for slug in sectors]
    urls += [f"/api/v1/initiatives/?sector={slug}" for slug in sectors]
    urls += [f"/initiatives/?q={word}" for word in words] + [
        f"/api/v1/initiatives/?q={word}" for word in words
    ]
    urls += ["/initiatives/?page=2", "/initiatives/?ordering=title&page=3"]
    urls += [f"/initiatives/{slug}/" for slug in slugs] + [
        f"/api/v1/initiatives/{slug}/" for slug in slugs[:50]
    ]
    return urls


def draft_body(run, partner, number, vocabulary):
    return {
        "title": f"Load draft {run} p{partner} n{number}",
        "summary": "A draft sent by the reliability load script.",
        "proposed_organisation": {"name": f"Load Org {run} {partner}", "kind": "company", "country": "KE"},
        "sectors": vocabulary["sectors"],
        "technologies": vocabulary["technologies"],
        "countries": ["KE"],
        "requirements": [{"requirement": vocabulary["requirement"], "rationale": "Measured under load."}],
        "sources": [{"title": "Load report", "url": "https://load.example.org/report.pdf"}],
    }


def vocabulary_for_drafts():
    from catalogue.models import Requirement, Sector, Technology

    return {
        "sectors": [Sector.objects.values_list("slug", flat=True).first()],
        "technologies": [Technology.objects.values_list("slug", flat=True).first()],
        "requirement": Requirement.objects.values_list("slug", flat=True).first(),
    }


class Tally:
    def __init__(self):
        self.lock = threading.Lock()
        self.statuses = collections.Counter()
        self.browse_seconds = []
        self.retries = 0

    def add(self, status, seconds=None):
        with self.lock:
            self.statuses[status] += 1
            if seconds is not None:
                self.browse_seconds.append(seconds)


def request(method, url, body=None, headers=None, timeout=30):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method, headers=headers or {})  # noqa: S310 (loopback)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:  # noqa: S310
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        error.read()
        return error.code
    except (urllib.error.URLError, ConnectionError):
        return "refused"
    except TimeoutError:
        return "timeout"


def browser(base, urls, deadline, tally, seed):
    rng = random.Random(seed)  # noqa: S311 (which page to read next, not a secret)
    while time.monotonic() < deadline:
        started = time.perf_counter()
        status = request("GET", base + rng.choice(urls))
        tally.add(status, time.perf_counter() - started)


def partner(base, key, index, count, run, vocabulary, deadline, tally):
    headers = {"Authorization": f"Token {key}", "Content-Type": "application/json"}
    for number in range(count):
        body = draft_body(run, index, number, vocabulary)
        headers["Idempotency-Key"] = f"{run}-{index}-{number}-{uuid.uuid4().hex[:8]}"
        for attempt in range(5):
            if attempt:
                with tally.lock:
                    tally.retries += 1
                time.sleep(0.5 * attempt)
            status = request("POST", base + "/api/v1/submissions/", body, headers)
            tally.add(status)
            if status in (200, 201) or (isinstance(status, int) and 400 <= status < 500 and status != 429):
                break
        if time.monotonic() > deadline:
            return


def percentile(values, share):
    return statistics.quantiles(values, n=100)[share - 1] if len(values) >= 2 else float("nan")


def main():
    args = parse_args()
    run = secrets.token_hex(3)
    env = servers.production_env(
        args.database_url,
        CACHE_URL=args.redis_url,
        CACHE_KEY_PREFIX=f"load-{run}",
        # Every client is 127.0.0.1: the per-address API limit would answer them 429.
        API_ANON_RATE="1000000/second",
        SUBMISSIONS_PER_HOUR="100000",
    )
    os.environ.update(
        {name: env[name] for name in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "DEBUG", "SECRET_KEY")}
    )
    os.environ.update(ALLOWED_HOSTS="127.0.0.1", BENCH_STATIC_ROOT=env["BENCH_STATIC_ROOT"])
    print(f"run {run}: preparing {args.database_url}")
    create_database(args.database_url)
    servers.prepare(env)
    servers.manage(env, "load_catalogue")

    import django

    django.setup()
    keys = partner_tokens(args.partners, run)
    urls = browse_urls()
    vocabulary = vocabulary_for_drafts()

    log_path = servers.CACHE / "load-reliability-gunicorn.log"
    workers = args.workers or int(os.environ.get("WEB_CONCURRENCY", os.cpu_count() * 2 + 1))
    process, base = servers.start_gunicorn(env, log_path, workers=workers)
    print(f"gunicorn ({workers} workers) on {base}; {len(urls)} browse URLs; log {log_path}")

    browse, submit = Tally(), Tally()
    started = time.monotonic()
    deadline = started + args.duration
    shares = [args.drafts // args.partners + (i < args.drafts % args.partners) for i in range(args.partners)]
    threads = [
        threading.Thread(target=browser, args=(base, urls, deadline, browse, i), daemon=True)
        for i in range(args.browsers)
    ] + [
        threading.Thread(
            target=partner,
            args=(base, key, i, shares[i], run, vocabulary, deadline + PARTNER_GRACE_SECONDS, submit),
            daemon=True,
        )
        for i, key in enumerate(keys)
    ]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=max(0.0, deadline + PARTNER_GRACE_SECONDS + 40 - time.monotonic()))
    finally:
        servers.stop_process(process)
    elapsed = time.monotonic() - started
    report(args, run, browse, submit, elapsed, log_path)


def report(args, run, browse, submit, elapsed, log_path):
    stored, distinct = drafts_stored(run)
    every = browse.statuses + submit.statuses
    served = sum(count for status, count in every.items() if isinstance(status, int))
    errors = sum(count for status, count in every.items() if isinstance(status, int) and status >= 500)
    failed = sum(count for status, count in every.items() if not isinstance(status, int))
    log = log_path.read_text(errors="replace")
    print()
    print("| measure | value |\n|---|---|")
    print(f"| duration (browsers) / until the last partner finished | {args.duration} s / {elapsed:.0f} s |")
    print(f"| requests served (any HTTP answer) | {served} ({served / elapsed:.0f}/s) |")
    print(f"| browse answers by status | {dict(sorted(browse.statuses.items(), key=str))} |")
    print(f"| submission answers by status | {dict(sorted(submit.statuses.items(), key=str))} |")
    print(f"| 5xx | {errors} |")
    print(f"| drafts sent again with the same Idempotency-Key | {submit.retries} |")
    print(f"| no answer (refused, timed out) | {failed} |")
    print(f"| drafts requested / stored / distinct | {args.drafts} / {stored} / {distinct} |")
    p50, p99 = percentile(browse.browse_seconds, 50), percentile(browse.browse_seconds, 99)
    print(f"| browse p50 / p99 | {p50 * 1000:.0f} ms / {p99 * 1000:.0f} ms |")
    print(f"| tracebacks in the server log | {log.count('Traceback')} |")
    if errors or stored != args.drafts or distinct != stored:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
