"""Settings for `make bench`'s web server: the project's, plus a minimal page to compare
every page with (tests/bench_urls.py)."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "tests.bench_urls"
