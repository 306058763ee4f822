#!/usr/bin/env python3
"""Make sure PostgreSQL and Redis are reachable, then print shell `export` lines.

Used by the Makefile as `eval "$(python scripts/devenv.py)"`. Order of preference:
1. DATABASE_URL / REDIS_URL from the environment: used as given.
2. The machine's services on 127.0.0.1:5432 / :6379, when they answer.
3. Project-local instances under .local/ (ignored by git), started from the installed
   PostgreSQL / Redis binaries on ports 5433 / 6380.
Then the database named in the URL is created if missing. Progress goes to stderr;
only the exports go to stdout, with SECRET_KEY (made once under .local/) when the
environment has none: with DEBUG off, settings refuse to load without one.
"""

from __future__ import annotations

import glob
import os
import shlex
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
LOCAL = Path(os.environ.get("DEVENV_LOCAL_DIR", ROOT / ".local"))
# Where the machine's own services are expected; overridable so a test can play "stopped".
MACHINE_PG_PORT = int(os.environ.get("DEVENV_MACHINE_PG_PORT", "5432"))
MACHINE_REDIS_PORT = int(os.environ.get("DEVENV_MACHINE_REDIS_PORT", "6379"))
LOCAL_PG_PORT = int(os.environ.get("DEVENV_LOCAL_PG_PORT", "5433"))
LOCAL_REDIS_PORT = int(os.environ.get("DEVENV_LOCAL_REDIS_PORT", "6380"))
DEFAULT_DB = "talent"
HELP = (
    "install PostgreSQL and Redis (apt-get install postgresql redis-server) "
    "or run `docker compose up -d db redis`"
)


def say(message: str) -> None:
    print(f"devenv: {message}", file=sys.stderr)


def fail(message: str) -> None:
    print(f"devenv: {message}", file=sys.stderr)
    sys.exit(1)


def reachable(host: str, port: int, timeout: float = 0.5) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def wait_for(host: str, port: int, what: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if reachable(host, port):
            return
        time.sleep(0.2)
    fail(f"{what} did not start on {host}:{port} within {seconds:.0f}s")


def _as_postgres_user(cmd: list[str]) -> list[str]:
    # initdb and postgres refuse to run as root; run them as the packaged 'postgres' user.
    if os.geteuid() == 0:
        runuser = shutil.which("runuser")
        if not runuser:
            fail("running as root without runuser: cannot start a local PostgreSQL")
        return [runuser, "-u", "postgres", "--", *cmd]
    return cmd


def local_postgres() -> str:
    port = LOCAL_PG_PORT
    url = f"postgres://postgres@127.0.0.1:{port}/{DEFAULT_DB}"
    if reachable("127.0.0.1", port):
        return url
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    initdb = candidates[-1] if candidates else shutil.which("initdb")
    if not initdb:
        fail(f"PostgreSQL is not running and not installed: {HELP}")
    bindir = Path(initdb).parent
    data = LOCAL / "pg"
    LOCAL.mkdir(exist_ok=True)
    if not (data / "PG_VERSION").exists():
        say(f"creating a project-local PostgreSQL in {data}")
        data.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(LOCAL, "postgres")
            shutil.chown(data, "postgres")
        done = subprocess.run(
            _as_postgres_user(
                [str(initdb), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8"]
            ),
            capture_output=True,
            text=True,
        )
        if done.returncode:
            last = (done.stderr.strip().splitlines() or ["no output"])[-1]
            fail(f"initdb failed in {data}: {last}")
    say(f"starting the project-local PostgreSQL on 127.0.0.1:{port}")
    subprocess.run(
        _as_postgres_user(
            [
                str(bindir / "pg_ctl"),
                "-D",
                str(data),
                "-l",
                str(data / "server.log"),
                "-w",
                "-o",
                f"-p {port} -k {data} -c listen_addresses=127.0.0.1",
                "start",
            ]
        ),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    wait_for("127.0.0.1", port, "PostgreSQL")
    return url


def local_redis() -> str:
    port = LOCAL_REDIS_PORT
    url = f"redis://127.0.0.1:{port}/0"
    if reachable("127.0.0.1", port):
        return url
    server = shutil.which("redis-server")
    if not server:
        fail(f"Redis is not running and not installed: {HELP}")
    folder = LOCAL / "redis"
    folder.mkdir(parents=True, exist_ok=True)
    say(f"starting a project-local Redis on 127.0.0.1:{port}")
    subprocess.run(
        [
            server,
            "--daemonize",
            "yes",
            "--bind",
            "127.0.0.1",
            "--port",
            str(port),
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(folder),
            "--logfile",
            str(folder / "redis.log"),
            "--pidfile",
            str(folder / "redis.pid"),
        ],
        check=True,
    )
    wait_for("127.0.0.1", port, "Redis")
    return url


def ensure_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/") or DEFAULT_DB
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    try:
        with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if not exists:
                say(f"creating database {name}")
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    except psycopg.OperationalError as exc:
        fail(f"cannot reach PostgreSQL at {parts.hostname}:{parts.port or 5432}: {exc}".strip())


def local_secret_key() -> str:
    """The SECRET_KEY `make run` serves with: made once, kept in .local/ (ignored by git),
    readable by this user only, so sessions and signed links survive a restart."""
    import secrets

    path = LOCAL / "secret_key"
    if not path.exists() or not path.read_text().strip():
        LOCAL.mkdir(exist_ok=True)
        say(f"generating a secret key in {path}")
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_urlsafe(50) + "\n")
    return path.read_text().strip()


def main() -> None:
    database_url = os.environ.get("DATABASE_URL")
    if not database_url:
        database_url = (
            f"postgres://postgres@127.0.0.1:{MACHINE_PG_PORT}/{DEFAULT_DB}"
            if reachable("127.0.0.1", MACHINE_PG_PORT)
            else local_postgres()
        )
    redis_url = os.environ.get("REDIS_URL")
    if not redis_url:
        redis_url = (
            f"redis://127.0.0.1:{MACHINE_REDIS_PORT}/0"
            if reachable("127.0.0.1", MACHINE_REDIS_PORT)
            else local_redis()
        )
    ensure_database(database_url)
    print(f"export DATABASE_URL={shlex.quote(database_url)}")
    print(f"export REDIS_URL={shlex.quote(redis_url)}")
    if not os.environ.get("SECRET_KEY"):
        print(f"export SECRET_KEY={shlex.quote(local_secret_key())}")


if __name__ == "__main__":
    main()
