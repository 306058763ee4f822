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


# What the tests' own environment sets (pyproject's pytest env) is not what a deployment has.
_TEST_ONLY = (
    "DEBUG",
    "SECRET_KEY",
    "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_HSTS_SECONDS",
)


def _manage(*args: str, env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess:
    full_env = {k: v for k, v in os.environ.items() if k not in _TEST_ONLY} | env
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


def test_debug_is_off_unless_asked_for():
    show = ("shell", "-c", "from django.conf import settings; print(settings.DEBUG)")
    assert _manage(*show, env=PRODUCTION_ENV | {"DEBUG": ""}).stdout.strip().endswith("False")
    assert _manage(*show, env={"DEBUG": "1"}).stdout.strip().endswith("True")


@pytest.mark.parametrize(
    ("secret", "problem"),
    [
        (None, "is not set"),
        ("change-me-to-a-long-random-string", "is a placeholder"),
        ("dev-only-insecure-key-do-not-use-in-production", "is a placeholder"),
        ("django-insecure-" + "k" * 50, "is a placeholder"),
        ("short-but-real-9f8e7d", "is too short"),
        ("a" * 80, "is too short"),  # long, but five distinct characters or fewer
    ],
)
def test_it_refuses_to_start_on_a_weak_or_placeholder_secret_when_debug_is_off(secret, problem):
    env = {"DEBUG": "0", "ALLOWED_HOSTS": "talent.example.org"}
    if secret is not None:
        env["SECRET_KEY"] = secret
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert f"SECRET_KEY {problem}" in result.stderr and "secrets.token_urlsafe" in result.stderr


def test_the_shipped_examples_do_not_carry_a_usable_secret():
    example = (ROOT / ".env.example").read_text()
    assert "SECRET_KEY=\n" in example or "SECRET_KEY=" not in example.replace("# SECRET", "")
    compose = (ROOT / "docker-compose.yml").read_text()
    assert "${SECRET_KEY:?" in compose  # compose itself refuses to start without one


def test_it_refuses_a_database_that_is_not_postgres():
    result = _manage("check", env=PRODUCTION_ENV | {"DATABASE_URL": "sqlite:///db.sqlite3"})
    assert result.returncode != 0
    assert "DATABASE_URL must be a PostgreSQL URL" in result.stderr


def test_the_llm_extractor_refuses_to_start_without_an_endpoint_and_a_model():
    result = _manage("check", env=PRODUCTION_ENV | {"EXTRACTOR": "llm", "LLM_MODEL": "m"})
    assert result.returncode != 0
    assert "EXTRACTOR=llm needs LLM_ENDPOINT and LLM_MODEL" in result.stderr


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
            env={**os.environ, "SECRET_KEY": PRODUCTION_ENV["SECRET_KEY"]},
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


def _locked(path: Path) -> dict[str, str]:
    import re

    pins = re.findall(r"^([A-Za-z0-9_.\-\[\]]+)==([^\s\\]+)", path.read_text(), re.MULTILINE)
    return {re.sub(r"[-_.]+", "-", name.split("[")[0]).lower(): version for name, version in pins}


def test_every_dependency_is_locked_to_a_version_that_satisfies_pyproject():
    """make lock was run after the last change to the dependencies: CI, the image and a
    fresh machine install exactly what the lock files say."""
    import tomllib

    from packaging.requirements import Requirement

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    for wanted, lock in (
        (project["dependencies"], ROOT / "requirements" / "app.txt"),
        (
            project["dependencies"] + project["optional-dependencies"]["dev"],
            ROOT / "requirements" / "dev.txt",
        ),
    ):
        locked = _locked(lock)
        for line in wanted:
            requirement = Requirement(line)
            name = requirement.name.lower().replace("_", "-")
            assert name in locked, f"{name} is not in {lock.name}: run make lock"
            assert requirement.specifier.contains(locked[name], prereleases=True), (
                f"{name}=={locked[name]} in {lock.name} does not satisfy {requirement}: make lock"
            )
    app, dev = (
        _locked(ROOT / "requirements" / "app.txt"),
        _locked(ROOT / "requirements" / "dev.txt"),
    )
    assert dev.items() >= app.items(), "dev.txt must pin the app's packages to the same versions"


@pytest.mark.django_db
def test_new_connections_to_the_database_run_without_jit():
    """JIT compilation costs the pages' counting queries more than it saves (migration 0022)."""
    import psycopg
    from django.db import connection

    settings = connection.settings_dict
    params = {"host": settings["HOST"], "port": settings["PORT"], "user": settings["USER"]}
    with psycopg.connect(dbname=settings["NAME"], **{k: v for k, v in params.items() if v}) as new:
        assert new.execute("SHOW jit").fetchone()[0] == "off"
