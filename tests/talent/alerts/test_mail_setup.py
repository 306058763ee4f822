"""Mail settings from EMAIL_URL, the .eml files of `make run`, and the mailto: unsubscribe."""

from __future__ import annotations

import email
import email.policy
import io
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage, get_connection
from django.core.management import call_command

from config.env import email_settings
from talent.alerts import tokens
from talent.alerts.models import Follow
from tests import factories as f
from tests.talent.alerts.conftest import follower, follows


def test_email_url_reads_smtp_smtps_and_files():
    smtp = email_settings("smtp://alerts:p%40ss@mail.example.org:587?tls=1")
    assert smtp["EMAIL_HOST"] == "mail.example.org" and smtp["EMAIL_PORT"] == 587
    assert smtp["EMAIL_HOST_USER"] == "alerts" and smtp["EMAIL_HOST_PASSWORD"] == "p@ss"
    assert smtp["EMAIL_USE_TLS"] is True and smtp["EMAIL_USE_SSL"] is False
    smtps = email_settings("smtps://a:b@mail.example.org")
    assert smtps["EMAIL_PORT"] == 465 and smtps["EMAIL_USE_SSL"] is True
    files = email_settings("file:///srv/mail")
    assert files == {
        "EMAIL_BACKEND": "talent.alerts.mailfiles.EmailBackend",
        "EMAIL_FILE_PATH": "/srv/mail",
    }
    for bad in ("http://x", "smtp://", "smtp://h:99999", "smtp://h?tls=maybe", "file://"):
        with pytest.raises(ImproperlyConfigured):
            email_settings(bad)


def test_the_file_backend_writes_one_eml_file_per_message(tmp_path):
    backend = get_connection("talent.alerts.mailfiles.EmailBackend", file_path=str(tmp_path))
    sent = backend.send_messages(
        [EmailMessage("Hello", "Body", "from@example.org", [f"r{i}@example.org"]) for i in (1, 2)]
    )
    files = sorted(tmp_path.glob("*.eml"))
    assert sent == 2 and len(files) == 2
    parsed = email.message_from_bytes(files[0].read_bytes(), policy=email.policy.default)
    assert parsed["Subject"] == "Hello" and parsed["To"] == "r1@example.org"


@pytest.mark.django_db
def test_a_mail_to_the_unsubscribe_address_stops_the_follows_it_names(monkeypatch, capsys):
    reader = follower("reader@example.org")
    stopped = follows(reader, organization=f.org("Anthropic"))
    kept = follows(reader, organization=f.org("OpenAI"))
    token = tokens.unsubscribe_token(reader, [stopped.pk])
    raw = f"From: reader@example.org\r\nSubject: unsubscribe {token}\r\n\r\n\r\n".encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw)))
    call_command("alerts_unsubscribe_mail")
    assert "stopped 1" in capsys.readouterr().out
    assert Follow.objects.get(pk=stopped.pk).state == "stopped"
    assert Follow.objects.get(pk=kept.pk).state == "active"
    forged = f"Subject: unsubscribe {token[:-2]}xx\r\n\r\n".encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(forged)))
    call_command("alerts_unsubscribe_mail")
    assert "refused" in capsys.readouterr().out
    assert Follow.objects.get(pk=kept.pk).state == "active"
