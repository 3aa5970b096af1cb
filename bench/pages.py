"""Benchmark of the HTML browse pages: response time and SQL queries per request.

Same approach as bench/api.py (in-process through Django's test client, against the configured
database, or with `--scale N` a throwaway copy grown by N cloned initiatives):

    .venv/bin/python bench/pages.py
    .venv/bin/python bench/pages.py --scale 2000 --runs 20

Prints a Markdown table to paste into bench/README.md.
"""

from common import benchmark_database, measure, parse_args, print_header, print_row
from django.test import Client, override_settings

CHINESE = {"Accept-Language": "zh-Hans"}
DETAIL = "/initiatives/google-llvision-caption-glasses/"

REQUESTS = [
    ("overview /", "/", None),
    ("initiatives, page 1 (20)", "/initiatives/", None),
    ("initiatives, page 2", "/initiatives/?page=2", None),
    (
        "initiatives, sector+technology",
        "/initiatives/?sector=accessibility&technology=speech-recognition",
        None,
    ),
    ("initiatives, q=children", "/initiatives/?q=children", None),
    ("initiatives, q=hearing+sector", "/initiatives/?q=hearing&sector=accessibility", None),
    (
        "initiatives, 3 filters",
        "/initiatives/?sector=accessibility&technology=speech-recognition&requirement=ensure-inclusion",
        None,
    ),
    ("initiative detail", DETAIL, None),
    ("organisations, page 1 (50)", "/organisations/", None),
    ("source (WIC action plan)", "/sources/wic-ai-for-social-good-action-plan-2023-2025/", None),
    ("requirement 5", "/requirements/5/", None),
    ("initiatives, Chinese", "/initiatives/", CHINESE),
    ("initiative detail, Chinese", DETAIL, CHINESE),
]


def main():
    args = parse_args(__doc__.splitlines()[0])
    with benchmark_database(args.scale), override_settings(ALLOWED_HOSTS=["testserver"]):
        client = Client()
        print_header(args)
        for label, url, headers in REQUESTS:
            print_row(label, measure(client, url, args.runs, args.budget, headers))


if __name__ == "__main__":
    main()
