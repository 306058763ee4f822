"""Strict readers for settings that come from the environment.

Each helper fails loudly (ImproperlyConfigured) on a value it cannot read, so a typo in a
deployment's env file stops the process at start-up instead of silently picking a default.
"""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use 1/0, true/false, yes/no)")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not an integer") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name}={value} is below the minimum of {minimum}")
    return value


def env_float(name: str, default: float, *, minimum: float = 0.0, maximum: float = 1.0) -> float:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a number") from None
    if not minimum <= value <= maximum:
        raise ImproperlyConfigured(f"{name}={value} is outside [{minimum}, {maximum}]")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


# Values that ship in examples and docs, never fit to sign anything.
_PLACEHOLDER_WORDS = ("change-me", "changeme", "change_me", "placeholder", "insecure", "your-")


def secret_key_problem(value: str) -> str:
    """Why a SECRET_KEY is unfit for a deployment, or "" when it will do."""
    if not value:
        return "is not set"
    lowered = value.lower()
    if any(word in lowered for word in _PLACEHOLDER_WORDS) or lowered.startswith("dev-only"):
        return "is a placeholder from an example"
    if len(value) < 50 or len(set(value)) < 5:
        return "is too short to be secret (at least 50 random characters)"
    return ""


def email_settings(url: str) -> dict[str, object]:
    """Django's e-mail settings from one URL (EMAIL_URL):

    smtp://user:password@host:587?tls=1  (STARTTLS), smtps://…@host:465 (TLS from the start),
    file:///path/to/dir (one .eml file per message), console:, locmem:.
    """
    from urllib.parse import parse_qs, unquote, urlsplit

    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "file":
        if not parts.path:
            raise ImproperlyConfigured(f"EMAIL_URL={url!r} names no directory")
        return {
            "EMAIL_BACKEND": "talent.alerts.mailfiles.EmailBackend",
            "EMAIL_FILE_PATH": unquote(parts.path),
        }
    if scheme in ("console", "locmem"):
        return {"EMAIL_BACKEND": f"django.core.mail.backends.{scheme}.EmailBackend"}
    if scheme not in ("smtp", "smtps"):
        raise ImproperlyConfigured(
            f"EMAIL_URL={url!r}: use smtp://, smtps://, file://, console: or locmem:"
        )
    if not parts.hostname:
        raise ImproperlyConfigured(f"EMAIL_URL={url!r} names no host")
    query = {k: v[-1].strip().lower() for k, v in parse_qs(parts.query).items()}
    tls = query.get("tls", "0")
    if tls not in _TRUE | _FALSE:
        raise ImproperlyConfigured(f"EMAIL_URL={url!r}: tls= must be 1 or 0")
    try:
        port = parts.port
    except ValueError:
        raise ImproperlyConfigured(f"EMAIL_URL={url!r} has a bad port") from None
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parts.hostname,
        "EMAIL_PORT": port or (465 if scheme == "smtps" else 25),
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_SSL": scheme == "smtps",
        "EMAIL_USE_TLS": scheme == "smtp" and tls in _TRUE,
        "EMAIL_TIMEOUT": 30,
    }
