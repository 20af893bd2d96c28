"""The idle time-out: a signed-in user's session is renewed as they use the site, but written
at most once a minute (security.middleware.SessionRenewalMiddleware)."""

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse

from declarations.models import User
from security import middleware

pytestmark = pytest.mark.django_db


def expiry(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_a_session_is_renewed_at_most_once_a_minute(client, monkeypatch, settings):
    now = [1_000_000.0]
    monkeypatch.setattr(middleware.time, "time", lambda: now[0])
    client.force_login(User.objects.get(username="shapingba"))
    client.get(reverse("home"))
    first = expiry(client)
    now[0] += 59
    client.get(reverse("declaration_list"))
    assert expiry(client) == first  # not written again within the minute
    now[0] += 2
    client.get(reverse("declaration_list"))
    assert expiry(client) > first  # written again, with a new expiry


def test_the_session_lives_the_idle_time_out_from_its_renewal(client):
    from django.utils import timezone

    client.force_login(User.objects.get(username="shapingba"))
    client.get(reverse("home"))
    left = (expiry(client) - timezone.now()).total_seconds()
    assert 29 * 60 < left <= 30 * 60


def test_an_anonymous_request_writes_no_session(client):
    client.get(reverse("login"))
    assert not Session.objects.exists()
