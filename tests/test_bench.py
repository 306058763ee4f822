from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_make_bench_prints_name_value_unit_lines_with_baselines():
    """The benchmark itself, shrunk to a few feeds and a small seeded world, so it cannot
    rot unnoticed. Its databases get a suffix of their own: a developer's full-size bench
    data set is left alone."""
    url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/talent")
    result = subprocess.run(
        [sys.executable, "-m", "tests.bench"],
        cwd=ROOT,
        env={
            **os.environ,
            "BENCH_SCALE": "0.003",
            "BENCH_REQUESTS": "20",
            "BENCH_LOAD_SECONDS": "3",
            "DATABASE_URL": url.rstrip("/") + "_selftest",
        },
        capture_output=True,
        text=True,
        timeout=400,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    figures = dict(
        re.fullmatch(r"(\w+): (\S+) (\S+)", line).groups()[:2]
        for line in result.stdout.splitlines()
        if line and not line.startswith("#")
    )
    for name in (
        "feedparser_parse_rate",
        "pipeline_rate",
        "pipeline_vs_feedparser",
        "not_modified_cycle",
        "not_modified_cycle_bare_http",
        "alert_fanout_baseline_bare_insert_s",
        "alert_fanout_rows_s",
        "alert_send_baseline_smtplib_rate",
        "alert_send_rate",
        "page_p99_ms_minimal",
        "load_rps",
        "load_p99_ms",
        "load_rps_minimal",
        "load_p99_ms_minimal",
        *(
            f"page_p{q}_{kind}_{page}"
            for q, kind in (("50", "ms"), ("99", "ms"), ("99", "ratio"), ("50", "ms_uncached"))
            for page in (
                "home",
                "search",
                "person",
                "company",
                "flows",
                "company_at",
                "team",
                "moves",
                "flows_matrix",
                "moves_api",
            )
        ),
    ):
        assert float(figures[name]) > 0, name
    assert float(figures["load_rps_with_writes"]) > 0
    assert float(figures["load_errors"]) == 0  # no request of the load mix failed
    assert float(figures["load_errors_with_writes"]) == 0
