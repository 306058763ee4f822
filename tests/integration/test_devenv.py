"""`make run` and `make test` on a machine whose PostgreSQL and Redis are installed but
stopped: scripts/devenv.py starts project-local instances instead of failing."""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import psycopg
import pytest
import redis

from tests.integration.stack import free_port

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.integration


def test_stopped_services_are_replaced_by_project_local_ones():
    if not glob.glob("/usr/lib/postgresql/*/bin/initdb") or not shutil.which("redis-server"):
        pytest.fail("this machine should have PostgreSQL and Redis installed (see .ci/run)")
    # Not pytest's tmp_path: its parents are private to root, and PostgreSQL runs as postgres.
    base = Path(tempfile.mkdtemp(prefix="devenv-", dir="/tmp"))
    os.chmod(base, 0o755)
    local = base / "local"
    pg_port, redis_port = free_port(), free_port()
    env = {
        key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "REDIS_URL")
    }
    env.update(
        DEVENV_LOCAL_DIR=str(local),
        DEVENV_MACHINE_PG_PORT=str(free_port()),  # nothing listens: "installed but stopped"
        DEVENV_MACHINE_REDIS_PORT=str(free_port()),
        DEVENV_LOCAL_PG_PORT=str(pg_port),
        DEVENV_LOCAL_REDIS_PORT=str(redis_port),
    )
    try:
        result = subprocess.run(
            [sys.executable, "scripts/devenv.py"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        exports = dict(
            line.removeprefix("export ").split("=", 1) for line in result.stdout.splitlines()
        )
        assert exports["DATABASE_URL"] == f"postgres://postgres@127.0.0.1:{pg_port}/talent"
        assert exports["REDIS_URL"] == f"redis://127.0.0.1:{redis_port}/0"
        with psycopg.connect(exports["DATABASE_URL"], connect_timeout=5) as conn:
            assert conn.execute("SELECT current_database()").fetchone() == ("talent",)
        assert redis.Redis.from_url(exports["REDIS_URL"]).ping()
        # A second run finds them running and starts nothing new.
        again = subprocess.run(
            [sys.executable, "scripts/devenv.py"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert again.returncode == 0 and again.stdout == result.stdout
        assert "starting" not in again.stderr
    finally:
        pg_ctl = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))[-1]
        stop = [pg_ctl, "-D", str(local / "pg"), "-m", "immediate", "stop"]
        if os.geteuid() == 0:
            stop = ["runuser", "-u", "postgres", "--", *stop]
        subprocess.run(stop, capture_output=True, timeout=30)
        with contextlib.suppress(redis.exceptions.ConnectionError):
            redis.Redis(port=redis_port, socket_connect_timeout=1).shutdown(nosave=True)
        shutil.rmtree(base, ignore_errors=True)


def test_missing_services_get_a_one_line_hint(tmp_path):
    env = {
        key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "REDIS_URL")
    }
    env.update(
        DEVENV_LOCAL_DIR=str(tmp_path),
        DEVENV_MACHINE_PG_PORT=str(free_port()),
        DEVENV_LOCAL_PG_PORT=str(free_port()),
        PATH="/nonexistent",  # no initdb, no redis-server to be found
    )
    script = (
        "import glob, runpy; glob.glob = lambda pattern: []; "
        "runpy.run_path('scripts/devenv.py', run_name='__main__')"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == (
        "devenv: PostgreSQL is not running and not installed: install PostgreSQL and Redis "
        "(apt-get install postgresql redis-server) or run `docker compose up -d db redis`"
    )


def test_make_targets_get_a_secret_key_made_once_and_kept_private(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env["DEVENV_LOCAL_DIR"] = str(tmp_path / "local")

    def secret(environment) -> str:
        result = subprocess.run(
            [sys.executable, "scripts/devenv.py"],
            cwd=ROOT,
            env=environment,
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert result.returncode == 0, result.stderr
        exports = dict(
            line.removeprefix("export ").split("=", 1) for line in result.stdout.splitlines()
        )
        return exports.get("SECRET_KEY", "")

    first = secret(env)
    assert len(first) >= 60 and secret(env) == first  # kept, not made anew at each start
    path = tmp_path / "local" / "secret_key"
    assert path.read_text().strip() == first and (path.stat().st_mode & 0o777) == 0o600
    assert secret({**env, "SECRET_KEY": "x" * 60}) == ""  # one given is left alone
    from config.env import secret_key_problem

    assert secret_key_problem(first) == ""
