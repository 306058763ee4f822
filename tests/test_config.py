from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_float, env_int, env_list

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "x" * 60 + "production-like-secret",
    "ALLOWED_HOSTS": "talent.example.org",
}


def _manage(*args: str, env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess:
    full_env = {**os.environ, **env}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.mark.parametrize(
    ("helper", "value"),
    [(env_bool, "maybe"), (env_int, "twelve"), (env_float, "lots"), (env_float, "1.5")],
)
def test_settings_helpers_fail_loudly_on_bad_values(monkeypatch, helper, value):
    monkeypatch.setenv("SOME_SETTING", value)
    with pytest.raises(ImproperlyConfigured, match="SOME_SETTING"):
        helper("SOME_SETTING", 0 if helper is not env_bool else False)


def test_settings_helpers_read_good_values(monkeypatch):
    monkeypatch.setenv("A_BOOL", "Yes")
    monkeypatch.setenv("AN_INT", "42")
    monkeypatch.setenv("A_LIST", " a.example, b.example ,,")
    assert env_bool("A_BOOL", False) is True
    assert env_int("AN_INT", 0, minimum=1) == 42
    assert env_list("A_LIST", []) == ["a.example", "b.example"]
    assert env_int("UNSET_INT", 7) == 7


def test_it_refuses_to_start_without_a_secret_key_when_debug_is_off():
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env["DEBUG"] = "0"
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_it_refuses_a_database_that_is_not_postgres():
    result = _manage("check", env={"DATABASE_URL": "sqlite:///db.sqlite3"})
    assert result.returncode != 0
    assert "DATABASE_URL must be a PostgreSQL URL" in result.stderr


def test_check_deploy_is_clean_with_production_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_compose_file_describes_the_whole_stack():
    compose = ROOT / "docker-compose.yml"
    data = yaml.safe_load(compose.read_text())
    services = data["services"]
    assert {"db", "redis", "web", "worker", "beat"} <= services.keys()
    for name in ("db", "redis", "web", "worker"):
        assert "healthcheck" in services[name], name
    assert "gunicorn" in (ROOT / "Dockerfile").read_text()
    assert services["worker"]["command"][:3] == ["celery", "-A", "config"]
    assert "beat" in services["beat"]["command"]
    docker = shutil.which("docker")
    has_compose = (
        docker
        and subprocess.run([docker, "compose", "version"], capture_output=True).returncode == 0
    )
    if has_compose:
        result = subprocess.run(
            [docker, "compose", "-f", str(compose), "config", "--quiet"],
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        assert result.returncode == 0, result.stderr


def test_the_procfile_runs_web_worker_and_beat():
    lines = dict(
        line.split(":", 1) for line in (ROOT / "Procfile").read_text().splitlines() if line.strip()
    )
    assert set(lines) == {"web", "worker", "beat", "feeds"}
    assert "gunicorn config.wsgi" in lines["web"]
    assert "celery -A config worker" in lines["worker"]
    assert "celery -A config beat" in lines["beat"]


def test_tests_enqueue_on_a_queue_of_their_own():
    from config.celery import app

    assert app.conf.task_default_queue.startswith("tests-")
