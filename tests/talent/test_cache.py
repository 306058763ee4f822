"""With Redis down the shared cache is a cache that remembers nothing: nothing raises."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django_ratelimit.core import is_ratelimited

from talent.cache import ForgivingRedisCache

DOWN = "redis://127.0.0.1:9/0"  # nothing listens on port 9


@pytest.fixture
def down_cache():
    return ForgivingRedisCache(DOWN, {"OPTIONS": {"socket_connect_timeout": 0.3}})


def test_reads_miss_and_writes_are_dropped(down_cache):
    assert down_cache.get("key") is None and down_cache.get("key", 7) == 7
    assert down_cache.get_many(["a", "b"]) == {}
    assert down_cache.add("key", 1) is False and down_cache.has_key("key") is False
    down_cache.set("key", 1)
    down_cache.delete("key")
    with pytest.raises(ValueError):  # "no such counter", which callers already handle
        down_cache.incr("key")


def test_rate_limits_fail_open_while_the_cache_is_down(down_cache, settings, monkeypatch):
    from django_ratelimit import core

    monkeypatch.setattr(core, "caches", {"default": down_cache})
    request = RequestFactory().post("/", REMOTE_ADDR="192.0.2.1")
    for _ in range(5):
        assert not is_ratelimited(
            request, group="t", key="ip", rate="1/h", method="POST", increment=True
        )
