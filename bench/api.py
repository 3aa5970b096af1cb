"""Benchmark of the API's read endpoints: response time and SQL queries per request.

Runs in-process through Django's test client (no network, no server), against the database
the settings select (the shipped catalogue after `./dev.sh setup`, or DATABASE_URL):

    .venv/bin/python bench/api.py            # 50 requests per endpoint
    .venv/bin/python bench/api.py --runs 200

Prints a Markdown table to paste into bench/README.md.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casebook.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

REQUESTS = [
    ("root", "/api/v1/"),
    ("initiatives, default page (20)", "/api/v1/initiatives/"),
    ("initiatives, page_size=2", "/api/v1/initiatives/?page_size=2"),
    ("initiatives, page_size=100", "/api/v1/initiatives/?page_size=100"),
    (
        "initiatives, sector+technology",
        "/api/v1/initiatives/?sector=accessibility&technology=speech-recognition",
    ),
    ("initiatives, q=children", "/api/v1/initiatives/?q=children"),
    ("initiatives, 3 facets", "/api/v1/initiatives/?facets=sector,requirement,country"),
    ("initiatives, CSV (every row)", "/api/v1/initiatives/?format=csv"),
    ("initiative detail", "/api/v1/initiatives/google-llvision-caption-glasses/"),
    ("organisations, page_size=100", "/api/v1/organisations/?page_size=100"),
    ("sectors", "/api/v1/sectors/"),
    ("requirement detail", "/api/v1/requirements/5/"),
    ("304 Not Modified (initiatives)", "/api/v1/initiatives/"),
]


def measure(client, url, runs, headers):
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url, headers=headers)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        timings.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers=headers)
        if response.streaming:
            b"".join(response.streaming_content)
    return response.status_code, len(body), len(queries), statistics.median(timings), max(timings)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()

    rates = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "1000000/minute"}}
    with override_settings(REST_FRAMEWORK=rates, ALLOWED_HOSTS=["testserver"]):
        client = Client()
        etag = client.get("/api/v1/initiatives/")["ETag"]
        print(f"database: {connection.vendor}, {args.runs} requests per row\n")
        print("| request | status | bytes | SQL queries | median ms | max ms |")
        print("|---|---|---|---|---|---|")
        for label, url in REQUESTS:
            headers = {"If-None-Match": etag} if label.startswith("304") else {}
            status, size, queries, median, worst = measure(client, url, args.runs, headers)
            print(f"| {label} | {status} | {size} | {queries} | {median:.1f} | {worst:.1f} |")


if __name__ == "__main__":
    main()
