"""bench/run: Casebook under gunicorn against Datasette on the same rows, driven by wrk.

Prepares a PostgreSQL database with the synthetic catalogue (reused when it already holds
exactly --initiatives synthetic cases), exports it to SQLite, starts four servers on free
loopback ports (Casebook with its Redis cache, Casebook with caching off, Datasette, a bare
Django view as the ceiling), builds a URL list per query class q1-q8 for each, drives every
list with wrk and writes bench/results-<N>.md.
Everything is on 127.0.0.1 and every server is stopped on the way out.
"""

import argparse
import collections
import contextlib
import json
import os
import random
import re
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
CACHE = BENCH / ".cache"
sys.path.insert(0, str(ROOT))
PYTHON = sys.executable
MAX_URLS = 2000
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")

CLASSES = {
    "q1": "`/initiatives/?ordering=newest`, shallow pages",
    "q2": "one sector, with facet counts",
    "q3": "sector + country + years",
    "q4": "full-text search of a word",
    "q5": "API JSON of q2 with 3 facets",
    "q6": "one case page",
    "q7": "a deep page (~row 5,000)",
    "q8": "CSV of a ~1,000-row filter",
}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--initiatives", type=int, default=10000, help="Synthetic cases (default 10000).")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--database",
        default=os.environ.get("BENCH_DATABASE", "casebook_bench_harness"),
        help="PostgreSQL database on 127.0.0.1:5432 (user postgres), created if missing.",
    )
    parser.add_argument("--duration", type=int, default=10, help="Seconds of wrk per class and server.")
    parser.add_argument(
        "--warmup",
        type=int,
        default=None,
        help="Seconds of wrk on the cached server before it is measured (default: --duration); 0: none.",
    )
    parser.add_argument(
        "--prime",
        action="store_true",
        help="Before the warm-up, ask the cached server for every URL of the class once (a crawler's "
        "pass), so that the measured hit rate is a warm cache's.",
    )
    parser.add_argument(
        "--datasette-time-limit",
        type=int,
        default=1000,
        help="Datasette's sql_time_limit_ms (its default, 1000, fails q1's sorted pages at 100,000).",
    )
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--only", default="", help="Comma-separated classes to run (e.g. q1,q6).")
    parser.add_argument("--drop", action="store_true", help="Drop the database and the export at the end.")
    return parser.parse_args()


def log(message):
    print(f"[bench {datetime.now(UTC):%H:%M:%S}] {message}", flush=True)


def environment(args):
    """The production-mode environment every Casebook process (commands and servers) gets."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{args.database}",
        DJANGO_SETTINGS_MODULE="bench.settings",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),  # throwaway: nothing signed outlives the run
        ALLOWED_HOSTS="127.0.0.1",
        # Plain HTTP on loopback: production's redirect to HTTPS would answer every request 301.
        SECURE_SSL_REDIRECT="false",
        # wrk is one anonymous client; the API's per-client limit would turn q5/q8 into 429s.
        API_ANON_RATE="1000000000/second",
        BENCH_STATIC_ROOT=str(CACHE / "static"),
        PYTHONPATH=str(ROOT),
    )
    return env


def manage(env, *command):
    log("manage.py " + " ".join(command))
    subprocess.run([PYTHON, "manage.py", *command], cwd=ROOT, env=env, check=True)  # noqa: S603 (our own argv)


@contextlib.contextmanager
def server():
    """A cursor on the server's maintenance database (CREATE/DROP DATABASE need autocommit)."""
    import psycopg2  # the driver Casebook itself uses

    connection = psycopg2.connect(host="127.0.0.1", port=5432, user="postgres", dbname="postgres")
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            yield cursor
    finally:
        connection.close()


def create_database(name):
    with server() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not cursor.fetchone():
            log(f"creating database {name}")
            cursor.execute(f'CREATE DATABASE "{name}"')


# Tables the database's own triggers keep (catalogue migrations 0022 and 0024).
COMPACTED_AFTER_LOAD = ["catalogue_initiative_facet_keys", "catalogue_facet_key_totals"]


def vacuum(name):
    """VACUUM ANALYZE after a bulk load, as autovacuum would do a little later: statistics
    for the planner and the visibility map that index-only scans rely on."""
    import psycopg2

    connection = psycopg2.connect(host="127.0.0.1", port=5432, user="postgres", dbname=name)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            # A bulk load whose triggers ran per statement (generate_synthetic without a
            # superuser; see synthetic.defer_database_triggers) rewrote each initiative's facet
            # keys row once per relation it inserted, and the totals row of every key with
            # them: 85 MB of keys for 100,000 initiatives instead of 16 MB (the totals 20 MB
            # instead of 0.4). A catalogue that grows a case at a time stays near the compact
            # size under autovacuum; rewrite these two tables as an operator would after a
            # bulk import (quick when they are already compact).
            for table in COMPACTED_AFTER_LOAD:
                cursor.execute(f"VACUUM FULL {table}")
            cursor.execute("VACUUM ANALYZE")
    finally:
        connection.close()
    log(f"vacuumed and analysed {name}")


def drop_database(name):
    with server() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    log(f"dropped database {name}")


def prepare(args, env, export):
    """Migrate, load, generate (unless the database already holds exactly N) and export."""
    create_database(args.database)
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "load_catalogue")
    manage(env, "collectstatic", "--noinput", "-v", "0")
    os.environ.update(env)
    import django

    django.setup()
    from catalogue.models import Initiative

    have = Initiative.objects.filter(slug__startswith="synthetic-").count()
    regenerate = have != args.initiatives
    if regenerate:
        size_and_seed = ["--initiatives", str(args.initiatives), "--seed", str(args.seed)]
        manage(env, "generate_synthetic", "--purge", *size_and_seed)
        vacuum(args.database)
    if regenerate or not export.exists():
        manage(env, "generate_synthetic", "--export-sqlite", str(export))
    else:
        log(f"reusing {have} synthetic initiatives and {export.name}")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(name, command, env, probe):
    port = free_port()
    command = [part.replace("{port}", str(port)) for part in command]
    logfile = open(CACHE / f"{name}.log", "w")  # closed when the process ends
    # Our own argv (gunicorn or Datasette), no shell.
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=logfile, stderr=subprocess.STDOUT)  # noqa: S603
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{name} exited; see {logfile.name}")
        try:
            urllib.request.urlopen(base + probe, timeout=30).read()  # noqa: S310 (http on loopback)
            log(f"{name} listening on {base}")
            return process, base
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.5)
    process.terminate()
    raise SystemExit(f"{name} did not answer {probe} within 60 s; see {logfile.name}")


def stop(process):
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def children(pid, field="pid"):
    """A field of each child process of `pid` (the workers of a gunicorn master)."""
    command = ["ps", "--ppid", str(pid), "-o", f"{field}="]
    out = subprocess.run(command, capture_output=True, text=True)  # noqa: S603
    return [int(value) for value in out.stdout.split()]


def worker_rss_mb(process):
    """Resident memory of each gunicorn worker, in MB."""
    return [round(kb / 1024) for kb in children(process.pid, "rss")]


def cpu_ticks(pids):
    """{pid: user + system CPU in clock ticks} from /proc (fields 14 and 15 of stat)."""
    ticks = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        ticks[pid] = int(fields[11]) + int(fields[12])
    return ticks


def server_pids(process, database=None, with_redis=False):
    """The processes that do a server's work: Datasette's own process, or a gunicorn master's
    workers plus the PostgreSQL backends connected to the benchmark database (and Redis, for
    the cached Casebook; the other servers leave it idle)."""
    pids = children(process.pid) or [process.pid]
    if database:
        with server() as cursor:
            cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s", [database])
            pids += [pid for (pid,) in cursor.fetchall()]
    if with_redis:
        out = subprocess.run(["pgrep", "-x", "redis-server"], capture_output=True, text=True)  # noqa: S607
        pids += [int(pid) for pid in out.stdout.split()]
    return pids


# A server is idle when its processes together used at most this share of one CPU over a second.
IDLE_SHARE = 0.05
DRAIN_LIMIT_SECONDS = 600


def wait_until_idle(pids, label):
    """Wait until the processes `pids()` names are idle: wrk stops at the end of its time,
    but requests it had sent stay queued in a server and keep its workers (and PostgreSQL)
    busy, for minutes after a class of seconds-long requests. Measured next, they would be
    charged to the following class or server."""
    started = time.monotonic()
    ticks_per_second = os.sysconf("SC_CLK_TCK")
    while time.monotonic() - started < DRAIN_LIMIT_SECONDS:
        names = pids()
        before = cpu_ticks(names)
        time.sleep(1)
        after = cpu_ticks(names)
        busy = sum(ticks - before.get(pid, ticks) for pid, ticks in after.items())
        if busy <= IDLE_SHARE * ticks_per_second:
            waited = time.monotonic() - started
            if waited > 1.5:
                log(f"{label}: waited {waited:.0f} s for the servers to finish queued requests")
            return
    log(f"{label}: servers still busy after {DRAIN_LIMIT_SECONDS} s; measuring anyway")


class RequestLog:
    """The cached Casebook's own request log (casebook/requestlog.py, one JSON line per request,
    written with the server's output): the hit rate of the requests logged since `mark()`, from
    each line's `cache`. Read from the log production writes anyway, not from an access log that
    only this server would write (gunicorn's costs ~23 µs of CPU per line with a one-header
    format, of the ~1 ms an answer from the cache costs in all)."""

    def __init__(self, path):
        self.path = path
        self.offset = 0

    def mark(self):
        self.offset = self.path.stat().st_size if self.path.exists() else 0

    def hit_rate(self):
        with self.path.open() as log_file:
            log_file.seek(self.offset)
            values = [self.cache_of(line) for line in log_file]
        counted = [value for value in values if value in ("hit", "miss")]
        return counted.count("hit") / len(counted) if counted else float("nan")

    @staticmethod
    def cache_of(line):
        """A request line's `cache` (after the logging's timestamp), or None for any other line."""
        _, brace, rest = line.partition("{")
        try:
            fields = json.loads(brace + rest)
        except ValueError:
            return None
        return fields.get("cache") if isinstance(fields, dict) else None


def get_json(url):
    with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 (http on loopback)
        return json.load(response)


def crawl_next_tokens(datasette, query, pages):
    """Datasette pages by keyset (`_next=`), not by number: follow `next` to collect the
    token of each page up to `pages`, so a deep Datasette page can be requested directly."""
    tokens = [None]
    # Without the count and the facet suggestions (the same `next` tokens): at 1,000,000 rows
    # they made each crawled page take seconds.
    page = f"{datasette}/catalogue/initiatives.json?{query}&_size=20&_nocount=1&_nofacet=1"
    url = page
    while len(tokens) < pages:
        data = get_json(url)
        if not data.get("next"):
            break
        tokens.append(data["next"])
        url = with_next(page, data["next"])
    return tokens


def with_next(path, token):
    return path if token is None else f"{path}&_next={urllib.parse.quote(token)}"


def build_urls(args, export, datasette, rng):
    """{class: (casebook paths, datasette paths)}, each rotating over distinct URLs."""
    from django_countries import countries as all_countries

    from catalogue.models import Initiative, Sector
    from catalogue.synthetic import WORDS

    db = sqlite3.connect(export)
    ids = [row[0] for row in db.execute("SELECT id FROM initiatives ORDER BY id")]
    total = len(ids)
    slugs = dict(Initiative.objects.published().values_list("pk", "slug"))
    sectors = dict(Sector.objects.values_list("name", "slug"))
    distinct = "SELECT DISTINCT value FROM initiatives, json_each({})"
    sector_names = [name for (name,) in db.execute(distinct.format("sectors"))]
    sector_names = [name for name in sector_names if name in sectors]
    code_of = {name: code for code, name in all_countries}
    country_names = [name for (name,) in db.execute(distinct.format("countries"))]
    country_names = [name for name in country_names if name in code_of]
    years = [
        year for (year,) in db.execute("SELECT DISTINCT start_year FROM initiatives WHERE start_year > 0")
    ]
    pages = max(1, total // 20)

    def cursor():
        return str(rng.choice(ids))

    def q(value):
        return urllib.parse.quote_plus(str(value))

    urls = {name: ([], []) for name in CLASSES}

    # Classes left out by --only are not built: q1's and q7's Datasette tokens take a crawl.
    only = {name.strip() for name in args.only.split(",") if name.strip()}
    orderings = [("newest", "_sort_desc=published_at"), ("title", "_sort=title")]

    # q1: the newest (and title) ordering, shallow pages.
    for ordering, sort in orderings if not only or "q1" in only else []:
        tokens = crawl_next_tokens(datasette, sort, min(25, pages))
        for page, token in enumerate(tokens, start=1):
            urls["q1"][0].append(f"/initiatives/?ordering={ordering}&page={page}")
            urls["q1"][1].append(with_next(f"/catalogue/initiatives?{sort}", token))

    # q2 and q5: one sector, some page of it; Datasette with facets over the same columns.
    facets = "_facet_array=sectors&_facet_array=technologies&_facet_array=countries"
    for _ in range(MAX_URLS):
        name = rng.choice(sector_names)
        page = rng.randint(1, 10)
        token = cursor()
        urls["q2"][0].append(f"/initiatives/?sector={sectors[name]}&page={page}")
        urls["q2"][1].append(
            f"/catalogue/initiatives?sectors__arraycontains={q(name)}&{facets}&_next={token}"
        )
        urls["q5"][0].append(
            f"/api/v1/initiatives/?sector={sectors[name]}&facets=sector,technology,country&page={page}"
        )
        urls["q5"][1].append(
            f"/catalogue/initiatives.json?sectors__arraycontains={q(name)}&{facets}&_next={token}"
        )

    # q3: sector + country + a range of start years.
    for _ in range(MAX_URLS):
        name, country, year = rng.choice(sector_names), rng.choice(country_names), rng.choice(years)
        urls["q3"][0].append(
            f"/initiatives/?sector={sectors[name]}&country={code_of[country]}"
            f"&year_min={year}&year_max={year + 5}"
        )
        urls["q3"][1].append(
            f"/catalogue/initiatives?sectors__arraycontains={q(name)}&countries__arraycontains={q(country)}"
            f"&start_year__gte={year}&start_year__lte={year + 5}"
        )

    # q4: single words of the synthetic vocabulary matching 0.5-10% of the rows (a realistic
    # share, like "leopards"/"Kigali"/"snakebite"), first pages.
    words = sorted({word for wordlist in WORDS.values() for word in wordlist.words if word.isalpha()})
    shares = {}
    for word in words:
        match = "SELECT count(*) FROM initiatives_fts WHERE initiatives_fts MATCH ?"
        (count,) = db.execute(match, [word]).fetchone()
        if 0.005 * total <= count <= 0.10 * total:
            shares[word] = count
    search_words = sorted(shares)
    for _ in range(MAX_URLS):
        word, page = rng.choice(search_words), rng.randint(1, 3)
        urls["q4"][0].append(f"/initiatives/?q={q(word)}&page={page}")
        urls["q4"][1].append(f"/catalogue/initiatives?_search={q(word)}&_next={cursor()}")

    # q6: one case page.
    for pk in rng.sample(ids, min(MAX_URLS, total)):
        urls["q6"][0].append(f"/initiatives/{slugs[pk]}/")
        urls["q6"][1].append(f"/catalogue/initiatives/{pk}")

    # q7: deep pages around row 5,000 (or the middle of a smaller catalogue), newest first.
    middle = min(250, max(1, pages // 2))
    low, high = max(1, middle - 50), min(pages, middle + 50)
    tokens = crawl_next_tokens(datasette, "_sort_desc=published_at", high) if not only or "q7" in only else []
    for page in range(low, min(high, len(tokens)) + 1):
        urls["q7"][0].append(f"/initiatives/?ordering=newest&page={page}")
        urls["q7"][1].append(with_next("/catalogue/initiatives?_sort_desc=published_at", tokens[page - 1]))

    # q8: CSV of a sector from a start year, where that selects 500-2,000 rows. Counted in one
    # pass (rows per sector and year, summed from the latest year back), not one scan of the
    # export per sector and year: at 1,000,000 rows those took ten minutes.
    per_year = collections.defaultdict(dict)
    for name, year, count in db.execute(
        "SELECT value, start_year, count(*) FROM initiatives, json_each(sectors) "
        "WHERE start_year > 0 GROUP BY value, start_year"
    ):
        per_year[name][year] = count
    for name in sector_names:
        from_year = {}
        running = 0
        for year in sorted(years, reverse=True):
            running += per_year[name].get(year, 0)
            from_year[year] = running
        for year in sorted(years):
            count = from_year[year]
            if 500 <= count <= 2000:
                urls["q8"][0].append(
                    f"/api/v1/initiatives/?format=csv&sector={sectors[name]}&year_min={year}"
                )
                urls["q8"][1].append(
                    f"/catalogue/initiatives.csv?sectors__arraycontains={q(name)}&start_year__gte={year}"
                    "&_stream=on&_size=max"
                )
    db.close()
    log(f"search words ({len(search_words)}): {', '.join(search_words[:12])}…")
    return urls


def check(base, paths):
    """Fetch a few URLs once: every one must answer 200 (a 404 or 500 would be measured as
    fast). Returns the median size in bytes and the slowest time in ms."""
    sizes, slowest = [], 0.0
    for path in paths[:: max(1, len(paths) // 5)][:5]:
        started = time.monotonic()
        try:
            with urllib.request.urlopen(base + path, timeout=120) as response:  # noqa: S310 (loopback)
                sizes.append(len(response.read()))
        except urllib.error.HTTPError as error:
            raise SystemExit(f"{base}{path} answered {error.code}") from error
        slowest = max(slowest, (time.monotonic() - started) * 1000)
    return sorted(sizes)[len(sizes) // 2], slowest


def prime(base, paths, workers=2):
    """GET every distinct URL once, `workers` at a time (the server's worker count): the
    cache then holds the answer to each. Returns the seconds it took."""
    from concurrent.futures import ThreadPoolExecutor

    def fetch(path):
        with urllib.request.urlopen(base + path, timeout=120) as response:  # noqa: S310 (loopback)
            response.read()

    started = time.monotonic()
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(fetch, sorted(set(paths))))
    return time.monotonic() - started


def drive(args, base, paths, label, pids, duration=None):
    listing = CACHE / f"urls-{label}.txt"
    listing.write_text("\n".join(paths) + "\n")
    command = [
        "wrk",
        f"-t{args.threads}",
        f"-c{args.connections}",
        f"-d{duration or args.duration}s",
        "--timeout",
        "30s",
        "-s",
        str(BENCH / "rotate.lua"),
        base,
        "--",
        str(listing),
    ]
    before = cpu_ticks(pids())
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603
    # CPU the servers spent, over every request: a backend that exited during the run is lost,
    # one that started counts from zero, so this is approximate (Django reconnects after 60 s).
    after = cpu_ticks(pids())
    spent = sum(ticks - before.get(pid, 0) for pid, ticks in after.items())
    match = re.search(r"BENCH_JSON (\{.*\})", out)
    if not match:
        raise SystemExit(f"wrk gave no summary for {label}:\n{out}")
    result = json.loads(match.group(1))
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    result["errors"] = result["status_errors"] + result["timeouts"] + result["socket_errors"]
    result["cpu_ms"] = spent * 1000 / os.sysconf("SC_CLK_TCK") / max(1, result["requests"])
    log(
        f"{label}: {result['rps']:.1f} req/s, p50 {result['p50_us'] / 1000:.1f} ms, "
        f"p99 {result['p99_us'] / 1000:.1f} ms, {result['cpu_ms']:.1f} CPU ms/request, "
        f"{result['errors']} errors, {len(set(paths))} URLs"
    )
    return result


def size(value):
    return f"{value / 1024 / 1024:.1f} MB" if value >= 1024 * 1024 else f"{value / 1024:.0f} KB"


def ms(us):
    return f"{us / 1000:.0f}" if us >= 10000 else f"{us / 1000:.1f}"


def render(args, results, ceiling, rss, started, machine):
    warmup = args.duration if args.warmup is None else args.warmup
    primed = "asked for every URL once (`--prime`), then " if args.prime else ""
    lines = [
        f"# bench/run at {args.initiatives:,} initiatives",
        "",
        f"`bench/run --initiatives {args.initiatives}` on {started:%Y-%m-%d %H:%M} UTC; {machine}. "
        f"wrk {args.threads} threads × {args.connections} connections, {args.duration} s per class and "
        "server; Casebook on PostgreSQL under gunicorn (2 sync workers, DEBUG off), once with its "
        f"Redis cache (empty for each class's URLs, then {primed}warmed by {warmup} s of "
        "the same traffic, not measured) and once with caching off "
        "(`CACHE_URL=dummy://`); Datasette 0.65 on the SQLite export (FTS5); all on loopback on the "
        'same machine. Latencies in ms. The ceiling is a view returning "ok" through the same '
        "settings and middleware.",
        "",
        "| query | cached req/s | p50 | p99 | CPU ms | hit rate | cold req/s | p50 | p99 | CPU ms "
        "| Datasette req/s | p50 | p99 | CPU ms | cached × Datasette | cold × Datasette | cached × ceiling "
        "| Casebook page | Datasette page | URLs | errors |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, (cached, cold, datasette) in results.items():

        def ratio(result, datasette=datasette):
            if not datasette["requests"]:  # Datasette answered none within the class's time
                return "> 1×" if result["requests"] else "–"
            return f"{result['rps'] / datasette['rps']:.2f}×"

        def figures(result, cpu_decimals):
            """req/s, p50, p99 and CPU ms; none but a word when no request completed (the CPU
            the server spent would otherwise read as one request's)."""
            if not result["requests"]:
                return f"none in {args.duration} s", "", "", ""
            cpu = f"{result['cpu_ms']:.{cpu_decimals}f}"
            return f"{result['rps']:.1f}", ms(result["p50_us"]), ms(result["p99_us"]), cpu

        cached_rps, cached_p50, cached_p99, cached_cpu = figures(cached, 1)
        cold_figures, datasette_figures = " | ".join(figures(cold, 0)), " | ".join(figures(datasette, 0))
        lines.append(
            f"| {name} {CLASSES[name]} | {cached_rps} | {cached_p50} | {cached_p99} | {cached_cpu} "
            f"| {cached['hit_rate']:.0%} | {cold_figures} | {datasette_figures} "
            f"| {ratio(cached)} | {ratio(cold)} "
            f"| {cached['rps'] / ceiling['rps']:.3f}× | {size(cached['size'])} | {size(datasette['size'])} "
            f"| {cached['urls']} | {cached['errors']}/{cold['errors']}/{datasette['errors']} |"
        )
    lines.append(
        f"| ceiling: a bare Django view, same server | {ceiling['rps']:.0f} | {ms(ceiling['p50_us'])} | "
        f"{ms(ceiling['p99_us'])} | {ceiling['cpu_ms']:.1f} | | | | | | | | | | | | 1× | | | 1 "
        f"| {ceiling['errors']} |"
    )
    lines += [
        "",
        f"Casebook's gunicorn workers' RSS after the run (cached server): "
        f"{', '.join(f'{mb} MB' for mb in rss)}. Errors (cached/cold/Datasette) are non-2xx answers, "
        "timeouts (30 s) and socket errors; a class with errors is not a valid figure. CPU ms: user + "
        "system CPU per request of the gunicorn workers and the PostgreSQL backends on the benchmark "
        "database (and Redis, for the cached server), or of the Datasette process, from /proc, "
        "approximate. Hit rate: the share of the cached server's answers with `X-Cache: hit`, from its "
        "request log.",
        "",
    ]
    return "\n".join(lines)


def main():
    args = parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: sudo apt-get install wrk")
    started = datetime.now(UTC)
    CACHE.mkdir(exist_ok=True)
    env = environment(args)
    export = CACHE / f"catalogue-{args.initiatives}.db"
    prepare(args, env, export)
    # Datasette names the database after the file: serve it as "catalogue".
    served = CACHE / "catalogue.db"
    shutil.copyfile(export, served)

    gunicorn = [PYTHON, "-m", "gunicorn", "--workers", "2", "--worker-class", "sync", "--timeout", "120"]
    # gunicorn.conf.py (read from the repository) recycles workers every ~1,000 requests, which
    # would restart them cold several times within one measured class; not here.
    gunicorn += ["--max-requests", "0"]
    gunicorn += ["--bind", "127.0.0.1:{port}", "casebook.wsgi:application"]
    # start() writes each server's output, its request log included, to CACHE/<name>.log.
    request_log = RequestLog(CACHE / "casebook.log")
    # Production's cache, under a prefix of this run's own: never an entry of an earlier run.
    cached_env = {**env, "CACHE_URL": REDIS_URL, "CACHE_KEY_PREFIX": f"bench-{secrets.token_hex(4)}"}
    processes = []
    try:
        casebook, casebook_base = start("casebook", gunicorn, cached_env, "/initiatives/")
        processes.append(casebook)
        cold, cold_base = start("casebook-cold", gunicorn, {**env, "CACHE_URL": "dummy://"}, "/initiatives/")
        processes.append(cold)
        ceiling_env = {**env, "DJANGO_SETTINGS_MODULE": "bench.ceiling"}
        ceiling_process, ceiling_base = start("ceiling", gunicorn, ceiling_env, "/ok/")
        processes.append(ceiling_process)
        datasette = [PYTHON, "-m", "datasette", "serve", str(served), "-h", "127.0.0.1", "-p", "{port}"]
        datasette += ["--setting", "sql_time_limit_ms", str(args.datasette_time_limit)]
        datasette_process, datasette_base = start("datasette", datasette, env, "/catalogue/initiatives")
        processes.append(datasette_process)

        urls = build_urls(args, served, datasette_base, random.Random(args.seed))  # noqa: S311 (URL choice, not secrets)

        def casebook_pids():
            return server_pids(casebook, args.database, with_redis=True)

        def cold_pids():
            return server_pids(cold, args.database)

        def datasette_pids():
            return server_pids(datasette_process)

        def every_server_pids():
            # The two Casebooks share the database's backends (and the ceiling is idle).
            return casebook_pids() + cold_pids() + datasette_pids()

        only = {name.strip() for name in args.only.split(",") if name.strip()}
        warmup = args.duration if args.warmup is None else args.warmup
        results = {}
        for name, (casebook_paths, datasette_paths) in urls.items():
            if only and name not in only:
                continue
            if not casebook_paths:
                # q8 at 1,000,000: no sector and start year selects only 500-2,000 rows.
                log(f"{name}: no URL fits this catalogue; not measured")
                continue
            pair = []
            for base, paths, label, pids in [
                (casebook_base, casebook_paths, f"{name}-casebook", casebook_pids),
                (cold_base, casebook_paths, f"{name}-casebook-cold", cold_pids),
                (datasette_base, datasette_paths, f"{name}-datasette", datasette_pids),
            ]:
                page, slowest = check(base, paths)
                log(f"{label}: {len(paths)} URLs, page {size(page)}, slowest of 5 checks {slowest:.0f} ms")
                if base == casebook_base and args.prime:
                    log(f"{label}: primed {len(set(paths))} URLs in {prime(base, paths):.0f} s")
                if base == casebook_base and warmup:
                    # Not measured: the cache fills as a live site's would under this traffic.
                    drive(args, base, paths, f"{label}-warmup", pids, duration=warmup)
                    wait_until_idle(every_server_pids, f"{label}-warmup")
                request_log.mark()
                result = drive(args, base, paths, label, pids)
                result.update(size=page, urls=len(set(paths)), hit_rate=request_log.hit_rate())
                wait_until_idle(every_server_pids, label)
                pair.append(result)
            results[name] = tuple(pair)
        ceiling = drive(args, ceiling_base, ["/ok/"], "ceiling", lambda: server_pids(ceiling_process))
        rss = worker_rss_mb(casebook)
    finally:
        for process in processes:
            stop(process)
    machine = f"{os.cpu_count()} CPUs, {os.uname().sysname} {os.uname().release}"
    machine += f", Python {sys.version.split()[0]}"
    table = render(args, results, ceiling, rss, started, machine)
    print(table)
    if not only:
        (BENCH / f"results-{args.initiatives}.md").write_text(table)
        log(f"wrote bench/results-{args.initiatives}.md")
    if args.drop:
        from django.db import connections

        connections.close_all()
        drop_database(args.database)
        export.unlink(missing_ok=True)
        served.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
