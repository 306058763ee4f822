"""The shared cache (rate-limit counters, cached fragments) degrades instead of failing:
with Redis down, a read is a miss and a write is dropped, so pages still serve. Rate
limits then fail open for as long as Redis is away; /healthz says Redis is down."""

from __future__ import annotations

import functools
import logging
import time

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

log = logging.getLogger(__name__)

_DOWN = (RedisConnectionError, RedisTimeoutError, OSError)
_last_warning = 0.0


def _warn(method: str, exc: Exception) -> None:
    global _last_warning
    if time.monotonic() - _last_warning > 60:  # once a minute, not once a request
        _last_warning = time.monotonic()
        log.warning("cache unavailable (%s: %s); serving without it", method, exc)


def _forgiving(method: str, default):
    def wrap(function):
        @functools.wraps(function)
        def wrapper(self, *args, **kwargs):
            try:
                return function(self, *args, **kwargs)
            except _DOWN as exc:
                _warn(method, exc)
                if isinstance(default, type) and issubclass(default, Exception):
                    raise default(f"cache unavailable: {exc}") from exc
                return default(args, kwargs) if callable(default) else default

        return wrapper

    return wrap


class ForgivingRedisCache(RedisCache):
    get = _forgiving(
        "get", lambda args, kwargs: kwargs.get("default", args[1] if len(args) > 1 else None)
    )(RedisCache.get)
    get_many = _forgiving("get_many", {})(RedisCache.get_many)
    has_key = _forgiving("has_key", False)(RedisCache.has_key)
    add = _forgiving("add", False)(RedisCache.add)
    set = _forgiving("set", None)(RedisCache.set)
    set_many = _forgiving("set_many", [])(RedisCache.set_many)
    touch = _forgiving("touch", False)(RedisCache.touch)
    delete = _forgiving("delete", False)(RedisCache.delete)
    delete_many = _forgiving("delete_many", None)(RedisCache.delete_many)
    # A counter that cannot be read is a counter that does not exist (what callers such
    # as django-ratelimit already handle).
    incr = _forgiving("incr", ValueError)(RedisCache.incr)
    clear = _forgiving("clear", None)(RedisCache.clear)
