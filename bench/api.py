"""Benchmark of the API's read endpoints: response time and SQL queries per request.

Runs in-process through Django's test client (no network, no server), against the database
the settings select (the shipped catalogue after `./dev.sh setup`, or DATABASE_URL), or with
`--scale N` against a throwaway copy of it grown by N cloned initiatives:

    .venv/bin/python bench/api.py              # 50 requests per endpoint
    .venv/bin/python bench/api.py --runs 200
    .venv/bin/python bench/api.py --scale 2000 # shipped catalogue + 2000 clones

Prints a Markdown table to paste into bench/README.md.
"""

from common import benchmark_database, measure, parse_args, print_header, print_row
from django.conf import settings
from django.test import Client, override_settings

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


def main():
    args = parse_args(__doc__.splitlines()[0])
    rates = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "1000000/minute"}}
    with (
        benchmark_database(args.scale),
        override_settings(REST_FRAMEWORK=rates, ALLOWED_HOSTS=["testserver"]),
    ):
        client = Client()
        etag = client.get("/api/v1/initiatives/")["ETag"]
        print_header(args)
        for label, url in REQUESTS:
            headers = {"If-None-Match": etag} if label.startswith("304") else {}
            print_row(label, measure(client, url, args.runs, args.budget, headers))


if __name__ == "__main__":
    main()
