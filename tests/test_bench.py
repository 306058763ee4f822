from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_make_bench_prints_name_value_unit_lines_with_baselines():
    """The benchmark itself, shrunk to a few feeds, so it cannot rot unnoticed."""
    result = subprocess.run(
        [sys.executable, "-m", "tests.bench"],
        cwd=ROOT,
        env={**os.environ, "BENCH_SCALE": "0.003"},
        capture_output=True,
        text=True,
        timeout=240,
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
    ):
        assert float(figures[name]) > 0, name
