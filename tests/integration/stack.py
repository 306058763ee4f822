"""A whole Talent Tracker on project-local PostgreSQL and Redis that a test may stop and
start: the fault tests never touch the machine's own services.

`Stack` starts both services through scripts/devenv.py (in a private folder, on free
ports), migrates and loads the demo world, and runs any of web (gunicorn), worker and beat
as the Procfile does. Everything it started is stopped by `close()`.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def devenv_exports(env: dict[str, str]) -> dict[str, str]:
    """What scripts/devenv.py exports in ``env`` (it starts local services when needed)."""
    done = subprocess.run(
        [sys.executable, "scripts/devenv.py"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return dict(shlex.split(line)[1].split("=", 1) for line in done.stdout.splitlines())


@dataclass
class Process:
    name: str
    popen: subprocess.Popen
    output: list[str] = field(default_factory=list)

    def log(self) -> str:
        return "".join(self.output[-80:])


@dataclass
class Answer:
    status: int
    body: str
    headers: dict[str, str]


class Stack:
    def __init__(self) -> None:
        # Not pytest's tmp_path: its parents are private to root, and PostgreSQL runs as
        # the postgres user.
        self.base = Path(tempfile.mkdtemp(prefix="stack-", dir="/tmp"))
        os.chmod(self.base, 0o755)
        self.pg_port, self.redis_port, self.web_port = free_port(), free_port(), free_port()
        self.processes: dict[str, Process] = {}
        self.env = {
            key: value
            for key, value in os.environ.items()
            if key not in ("DATABASE_URL", "REDIS_URL", "CELERY_QUEUE")
        }
        self.env.update(
            DEVENV_LOCAL_DIR=str(self.base / "local"),
            DEVENV_MACHINE_PG_PORT=str(free_port()),  # nothing listens: use local ones
            DEVENV_MACHINE_REDIS_PORT=str(free_port()),
            DEVENV_LOCAL_PG_PORT=str(self.pg_port),
            DEVENV_LOCAL_REDIS_PORT=str(self.redis_port),
            CELERY_QUEUE=f"stack-{self.pg_port}",
            PYTHONUNBUFFERED="1",
            BEAT_SWEEP_SECONDS="1",
            PAGE_CACHE_GRACE="0",  # a write is on every page at once, as in the other tests
        )
        self.services_up()
        self.manage("migrate", "--no-input")

    # -- services -------------------------------------------------------------------------

    def services_up(self) -> None:
        # Without the URLs devenv finds the local instances and starts any that stopped.
        env = {k: v for k, v in self.env.items() if k not in ("DATABASE_URL", "REDIS_URL")}
        self.env.update(devenv_exports(env))

    def _pg_ctl(self, *args: str) -> None:
        pg_ctl = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))[-1]
        command = [pg_ctl, "-D", str(self.base / "local" / "pg"), *args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, capture_output=True, timeout=60, check=False)

    def postgres_stop(self) -> None:
        self._pg_ctl("-m", "fast", "-w", "stop")

    def postgres_start(self) -> None:
        self.services_up()  # devenv starts the stopped instance again, same data

    def redis_stop(self) -> None:
        import redis

        with contextlib.suppress(redis.exceptions.ConnectionError):
            redis.Redis(port=self.redis_port, socket_connect_timeout=1).shutdown(nosave=True)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and self._listening(self.redis_port):
            time.sleep(0.1)

    def redis_start(self) -> None:
        self.services_up()

    @staticmethod
    def _listening(port: int) -> bool:
        with socket.socket() as sock:
            sock.settimeout(0.3)
            return sock.connect_ex(("127.0.0.1", port)) == 0

    # -- the app ----------------------------------------------------------------------------

    def manage(self, *args: str, timeout: float = 300) -> str:
        done = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    def python(self, code: str, timeout: float = 120) -> str:
        """Run Django code against this stack's database (a line of output back)."""
        script = "import django; django.setup()\n" + code
        done = subprocess.run(
            [sys.executable, "-c", script],
            cwd=ROOT,
            env={**self.env, "DJANGO_SETTINGS_MODULE": "config.settings"},
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout.strip()

    def start(self, name: str, *command: str, ready: str, extra_env: dict | None = None) -> None:
        popen = subprocess.Popen(
            list(command),
            cwd=ROOT,
            env={**self.env, **(extra_env or {})},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        process = Process(name, popen)
        seen = threading.Event()

        def pump() -> None:
            assert popen.stdout is not None
            for line in popen.stdout:
                process.output.append(line)
                if ready in line:
                    seen.set()

        threading.Thread(target=pump, daemon=True).start()
        self.processes[name] = process
        if not seen.wait(60):
            raise RuntimeError(f"{name} did not start:\n{process.log()}")

    def web(self) -> None:
        self.start(
            "web",
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{self.web_port}",
            "--workers",
            "2",
            "--timeout",
            "30",
            ready="Booting worker",
        )

    def worker(self, name: str = "worker") -> None:
        self.start(
            name,
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--loglevel",
            "INFO",
            "--concurrency",
            "2",
            "--hostname",
            f"{name}-{self.pg_port}@%h",
            "--without-gossip",
            "--without-mingle",
            ready=" ready.",
        )

    def beat(self, name: str = "beat") -> None:
        self.start(
            name,
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "beat",
            "--loglevel",
            "INFO",
            "--schedule",
            str(self.base / f"{name}-schedule"),
            ready="beat: Starting",
        )

    def stop(self, name: str, sig: int = signal.SIGTERM) -> None:
        process = self.processes.pop(name, None)
        if process is None or process.popen.poll() is not None:
            return
        os.killpg(process.popen.pid, sig)
        try:
            process.popen.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(process.popen.pid, signal.SIGKILL)
            process.popen.wait(10)

    def get(self, path: str, headers: dict[str, str] | None = None) -> Answer:
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.web_port}{path}", headers=headers or {}
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return Answer(response.status, response.read().decode(), dict(response.headers))
        except urllib.error.HTTPError as error:
            return Answer(error.code, error.read().decode(), dict(error.headers))

    def close(self) -> None:
        for name in list(self.processes):
            self.stop(name, signal.SIGKILL)
        self._pg_ctl("-m", "immediate", "stop")
        self.redis_stop()
        shutil.rmtree(self.base, ignore_errors=True)


def wait_for(predicate, *, timeout: float = 60, interval: float = 0.25, message: str = ""):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout:.0f}s waiting for {message or predicate}")
