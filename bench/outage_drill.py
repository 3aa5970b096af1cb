"""The database-outage drill: what clients see, second by second, while PostgreSQL is stopped.

    .venv/bin/python bench/outage_drill.py                 # 5 s up, 10 s down, 10 s up again
    .venv/bin/python bench/outage_drill.py --down 30 --clients 8

It runs Casebook under gunicorn (the repository's gunicorn.conf.py, production settings) on a
PostgreSQL cluster of its own (`--cluster`, created with pg_createcluster if missing; never the
shared server), with the shipped catalogue loaded. Clients request pages and API reads in a
loop; the cluster is stopped (fast shutdown) for `--down` seconds and started again. It prints
per second how many answers were 200, 503 (with Retry-After), 500 and anything else, the time
from the database's restart to the first 200 and to a second of 200s only, and what the
server's log holds (tracebacks, one-line outage records). It exits non-zero if any answer was a
500 or the site did not recover. Bounded: setup, then before + down + after seconds.
Loopback only; needs Debian's postgresql-common tools and the right to run them (root or postgres).
"""

import argparse
import collections
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import servers

PATHS = [
    "/",
    "/initiatives/",
    "/initiatives/?sector=education",
    "/initiatives/?q=reading",
    "/organisations/",
    "/api/v1/initiatives/",
    "/api/v1/initiatives/?requirement=safety",
    "/api/v1/sectors/",
]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cluster", default="15/ops:5499", help="version/name:port (default 15/ops:5499)")
    parser.add_argument("--database", default="casebook_drill")
    parser.add_argument("--before", type=int, default=5, help="seconds with the database up first")
    parser.add_argument("--down", type=int, default=10, help="seconds with the database stopped")
    parser.add_argument("--after", type=int, default=10, help="seconds after it is started again")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    return parser.parse_args()


class Recorder:
    """Every answer, by the whole second (since the start) it came back in."""

    def __init__(self, started):
        self.started = started
        self.lock = threading.Lock()
        self.by_second = collections.defaultdict(collections.Counter)
        self.first_200_after = {}

    def add(self, status, retry_after):
        now = time.monotonic()
        label = status if status in (200, 500) else ("503" if status == 503 and retry_after else str(status))
        with self.lock:
            self.by_second[int(now - self.started)][str(label)] += 1
        return now


def client(base, recorder, stop, index, answers):
    n = index
    while not stop.is_set():
        status, retry_after = servers.status_of(base + PATHS[n % len(PATHS)], timeout=15)
        answers.append((recorder.add(status, retry_after), status))
        n += 1
        time.sleep(0.05)


def main():
    args = parse_args()
    cluster = servers.Cluster.from_spec(args.cluster)
    if not cluster.available():
        raise SystemExit(
            f"pg_createcluster/pg_ctlcluster or PostgreSQL {cluster.version} missing: "
            f"apt-get install postgresql-{cluster.version}"
        )
    print(f"cluster {cluster.version}/{cluster.name} on port {cluster.port}; preparing {args.database}")
    cluster.ensure()
    cluster.create_database(args.database)
    # The clients share one address: the API's per-address limit would answer them 429.
    env = servers.production_env(
        cluster.url(args.database), CACHE_URL="locmem://", API_ANON_RATE="1000000/second"
    )
    servers.prepare(env)
    servers.manage(env, "load_catalogue")
    log_path = servers.CACHE / "outage-drill-gunicorn.log"
    process, base = servers.start_gunicorn(env, log_path, workers=args.workers)
    print(f"gunicorn ({args.workers} workers) on {base}; log {log_path}")

    stop = threading.Event()
    started = time.monotonic()
    recorder = Recorder(started)
    answers = collections.deque()
    threads = [
        threading.Thread(target=client, args=(base, recorder, stop, i, answers), daemon=True)
        for i in range(args.clients)
    ]
    stopped_at = start_issued_at = restarted_at = None
    try:
        for thread in threads:
            thread.start()
        time.sleep(args.before)
        cluster.stop()
        stopped_at = time.monotonic()
        time.sleep(args.down)
        start_issued_at = time.monotonic()
        cluster.start()
        restarted_at = time.monotonic()  # pg_ctlcluster returns once the server accepts connections
        time.sleep(args.after)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=20)
        cluster.start()
        servers.stop_process(process)

    report(args, recorder, answers, started, (stopped_at, start_issued_at, restarted_at), log_path)


def report(args, recorder, answers, started, times, log_path):
    stopped_at, start_issued_at, restarted_at = times
    down_from, starting_from, up_from = (int(moment - started) for moment in times)
    print()
    print("| second | database | 200 | 503 + Retry-After | 500 | other |")
    print("|---:|---|---:|---:|---:|---|")
    totals = collections.Counter()
    for second in sorted(recorder.by_second):
        counts = recorder.by_second[second]
        totals.update(counts)
        state = "up"
        if down_from <= second < starting_from:
            state = "down"
        elif starting_from <= second <= up_from:
            state = "starting"
        other = ", ".join(f"{k}: {v}" for k, v in sorted(counts.items()) if k not in ("200", "503", "500"))
        print(f"| {second} | {state} | {counts['200']} | {counts['503']} | {counts['500']} | {other} |")
    after = sorted((at, status) for at, status in answers if at >= start_issued_at)
    first_200 = next((at for at, status in after if status == 200), None)
    # Recovered: from then on every answer is a 200.
    last_not_200 = max((at for at, status in after if status != 200), default=start_issued_at)
    all_200 = last_not_200 if any(at > last_not_200 for at, _ in after) else None
    log = log_path.read_text(errors="replace")
    print()
    print(
        f"answers: {sum(totals.values())}; 200: {totals['200']}, 503: {totals['503']}, "
        f"500: {totals['500']}, other: {sum(totals.values()) - totals['200'] - totals['503'] - totals['500']}"
    )
    print(
        f"database stopped at {stopped_at - started:.1f} s; "
        f"start issued at {start_issued_at - started:.1f} s, "
        f"accepting connections at {restarted_at - started:.1f} s"
    )
    if first_200 is not None:
        print(f"first 200 after the start was issued: {first_200 - start_issued_at:.2f} s")
    print(
        "every answer 200 from: "
        + (
            f"{all_200 - start_issued_at:.2f} s after the start was issued"
            if all_200
            else "never (within --after)"
        )
    )
    print(
        f"server log: {log.count('Traceback')} tracebacks, "
        f"{log.count('database unavailable')} one-line outage records"
    )
    if totals["500"] or all_200 is None:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
