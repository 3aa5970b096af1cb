"""Casebook's own settings for bench/run, with static files collected under bench/.cache
(production mode needs the manifest; the checkout's staticfiles/ is left alone)."""

import os

from casebook.settings import *  # noqa: F403

STATIC_ROOT = os.environ.get("BENCH_STATIC_ROOT", STATIC_ROOT)  # noqa: F405
