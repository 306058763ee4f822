from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.feeds.server import FeedServer


@pytest.fixture(scope="session")
def feed_server_session() -> Iterator[FeedServer]:
    server = FeedServer()
    yield server
    server.close()


@pytest.fixture
def feed_server(feed_server_session, settings) -> Iterator[FeedServer]:
    """The loopback feed server, allowed by FEED_ALLOW_PRIVATE_HOSTS for this test only
    (by host:port, so other ports and names on loopback stay refused)."""
    settings.FEED_ALLOW_PRIVATE_HOSTS = [f"127.0.0.1:{feed_server_session.port}"]
    feed_server_session.routes.clear()
    feed_server_session.requests.clear()
    yield feed_server_session
