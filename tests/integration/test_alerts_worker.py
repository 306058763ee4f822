"""The alerts' outbox on a real worker, delivering to an SMTP server on loopback."""

from __future__ import annotations

import datetime as dt
import os
import signal
import threading
import time

import pytest

from talent.alerts.models import Delivery
from tests import factories as f
from tests.integration.conftest import start_worker, stop_worker, wait_until
from tests.smtp_sink import SmtpSink
from tests.talent.alerts.conftest import approve, follower, follows

pytestmark = pytest.mark.integration

LEASE = 8  # seconds: how long a killed worker's claimed rows wait before being sent again


def _readers(count: int, openai, anthropic, jan) -> list[str]:
    addresses = []
    for i in range(count):
        reader = follower(f"reader{i}@example.org")
        # Overlapping follows: each reader still gets one message per move.
        follows(reader, organization=anthropic)
        follows(reader, from_org=openai, to_org=anthropic)
        if i % 2:
            follows(reader, person=jan)
        addresses.append(reader.email)
    follows(follower("unconfirmed@example.org", confirmed=False), organization=anthropic)
    return addresses


def _world():
    openai, anthropic = f.org("OpenAI"), f.org("Anthropic")
    jan = f.person("Jan Leike")
    f.stint(jan, openai, "2021-01", "present")
    return openai, anthropic, jan


def _env(sink: SmtpSink) -> dict[str, str]:
    return {
        "EMAIL_URL": sink.url,
        "ALERTS_SEND_LEASE_SECONDS": str(LEASE),
        "SITE_URL": "https://tracker.example.org",
        "BEAT_SWEEP_SECONDS": "1",
    }


def test_an_approved_move_reaches_each_follower_once_with_list_headers(
    transactional_db, worker_queue
):
    openai, anthropic, jan = _world()
    with SmtpSink() as sink:
        addresses = _readers(4, openai, anthropic, jan)
        worker = start_worker(worker_queue, "--concurrency", "1", env=_env(sink))
        try:
            approve("join", "Jan Leike", from_org="OpenAI", to_org="Anthropic")
            wait_until(
                lambda: len(sink.recorder.messages) >= 4,
                message=f"four messages at the sink\n{worker.log()}",
            )
            time.sleep(1.5)  # room for a duplicate to show up, if there were one
        finally:
            stop_worker(worker)
        assert sink.recorder.recipients() == dict.fromkeys(addresses, 1)
        for message in sink.recorder.messages:
            assert message["Subject"] == "Jan Leike joined Anthropic from OpenAI, 1 Mar 2026"
            unsubscribe = str(message["List-Unsubscribe"]).strip()
            assert unsubscribe.startswith("<https://tracker.example.org/alerts/unsubscribe/")
            assert "<mailto:unsubscribe@tracker.example.org?subject=" in unsubscribe
            assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
            assert message["List-Id"] and message["Auto-Submitted"] == "auto-generated"
            assert message["Message-ID"].endswith("@tracker.example.org>")
            assert message.get_body(("plain",)) and message.get_body(("html",))
    assert set(Delivery.objects.values_list("state", flat=True)) == {"sent"}


def test_a_worker_killed_mid_send_and_restarted_still_sends_each_message_once(
    transactional_db, worker_queue, tmp_path
):
    openai, anthropic, jan = _world()
    sixth_in_flight = threading.Event()

    def on_data(number: int) -> None:
        if number == 6:
            sixth_in_flight.set()

    # A slow server (0.4 s a message) and two connections: messages go two at a time.
    env_two = {"ALERTS_SMTP_CONNECTIONS": "2"}
    with SmtpSink(delay=0.4, on_data=on_data) as sink:
        addresses = _readers(8, openai, anthropic, jan)
        worker = start_worker(worker_queue, "--concurrency", "1", env=_env(sink) | env_two)
        try:
            approve("join", "Jan Leike", from_org="OpenAI", to_org="Anthropic")
            assert sixth_in_flight.wait(30), worker.log()
            # SIGKILL, the whole worker (main process and pool child), while the server
            # holds the fifth and sixth messages and has answered neither.
            os.killpg(worker.process.pid, signal.SIGKILL)
            worker.process.wait(10)
        finally:
            stop_worker(worker)
        time.sleep(0.5)
        accepted = set(sink.recorder.recipients())
        recorded = set(
            Delivery.objects.filter(state="sent").values_list("subscriber__email", flat=True)
        )
        # What the server accepted is exactly what was recorded as sent; the rest waits.
        assert len(accepted) == 4 and accepted == recorded
        assert Delivery.objects.filter(state="sending").count() == 4

        # Restarted, with beat sweeping every second: the killed worker's rows come back
        # when their lease runs out, and are sent once.
        schedule = str(tmp_path / "beat-schedule")
        worker = start_worker(
            worker_queue, "--concurrency", "1", "-B", "--schedule", schedule, env=_env(sink)
        )
        try:
            wait_until(
                lambda: Delivery.objects.filter(state="sent").count() == 8,
                timeout=LEASE + 30,
                message=f"all rows sent\n{worker.log()}",
            )
            time.sleep(2)  # beat keeps sweeping: nothing more may go out
        finally:
            stop_worker(worker)
        assert sink.recorder.recipients() == dict.fromkeys(addresses, 1)
        message_ids = [m["Message-ID"] for m in sink.recorder.messages]
        assert len(set(message_ids)) == 8
    assert all(
        d.sent_at and d.sent_at > d.created - dt.timedelta(seconds=1)
        for d in Delivery.objects.all()
    )
