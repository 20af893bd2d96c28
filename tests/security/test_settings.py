"""Settings as a server builds them from its environment (in a subprocess, with DEBUG off),
the Content-Security-Policy, and the site address in e-mail links."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail
from django.urls import reverse

from declarations import workflow
from declarations.models import Declaration, User

ROOT = Path(__file__).resolve().parents[2]
KEY = "a-production-key-for-tests-" + "Zq8rT2vLx9" * 4
PRODUCTION = {"SECRET_KEY": KEY, "ALLOWED_HOSTS": "example.org"}


def run(code: list[str], **env) -> subprocess.CompletedProcess:
    """Runs python with the server's environment: ours, without anything the test run set."""
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "SITE_URL", "PROXY_COUNT"}
        # Set by the browser tests' conftest; the deploy check rightly objects to it.
        and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
        and not k.startswith("PYTEST")
    }
    environment["DJANGO_SETTINGS_MODULE"] = "kexie_perf.settings"
    environment.update(env)
    return subprocess.run(
        [sys.executable, *code], cwd=ROOT, env=environment, capture_output=True, text=True
    )


def production_settings(**env) -> dict:
    names = [
        "DEBUG",
        "SESSION_COOKIE_AGE",
        "SESSION_SAVE_EVERY_REQUEST",
        "SESSION_EXPIRE_AT_BROWSER_CLOSE",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_PROXY_SSL_HEADER",
        "SITE_URL",
    ]
    code = (
        "import json, kexie_perf.settings as s; "
        f"print(json.dumps({{n: getattr(s, n, None) for n in {names!r}}}))"
    )
    result = run(["-c", code], **{**PRODUCTION, **env})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_is_the_default_with_an_idle_time_out_and_https():
    values = production_settings()
    assert values["DEBUG"] is False
    assert values["SESSION_COOKIE_AGE"] <= 1800
    # Renewed by security.middleware.SessionRenewalMiddleware (tests/security/test_sessions.py).
    assert values["SESSION_SAVE_EVERY_REQUEST"] is False
    assert values["SESSION_EXPIRE_AT_BROWSER_CLOSE"] is True
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"]
    assert values["SECURE_SSL_REDIRECT"] and values["SECURE_HSTS_SECONDS"] >= 3600
    assert values["SECURE_PROXY_SSL_HEADER"] is None
    assert values["SITE_URL"] == "https://example.org"


def test_proxy_and_site_address_come_from_the_environment():
    values = production_settings(
        PROXY_COUNT="1", SITE_URL="https://kexie.example.org/", SECURE_HSTS_SECONDS="3600"
    )
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["SITE_URL"] == "https://kexie.example.org"
    assert values["SECURE_HSTS_SECONDS"] == 3600


def test_debug_only_when_asked():
    values = production_settings(DEBUG="1", SECRET_KEY="")
    assert values["DEBUG"] is True and values["SITE_URL"] == "http://127.0.0.1:8000"


@pytest.mark.parametrize(
    "key",
    [None, "", "too-short-" + "x" * 39, "django-insecure-" + "k" * 50],
    ids=["missing", "empty", "49 characters", "django-insecure"],
)
def test_production_refuses_to_start_without_a_real_key(key):
    env = {"ALLOWED_HOSTS": "example.org"} | ({} if key is None else {"SECRET_KEY": key})
    result = run(["-c", "import kexie_perf.settings"], **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY 未设置或太弱" in result.stderr


def test_the_deploy_check_finds_nothing():
    result = run(["manage.py", "check", "--deploy"], DEBUG="0", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNINGS" not in result.stdout + result.stderr


@pytest.mark.django_db
def test_pages_carry_a_content_security_policy_without_inline_scripts(client):
    client.force_login(User.objects.get(username="shapingba"))
    declaration = Declaration.objects.get(sample_key="000-1")
    for url in [reverse("login"), reverse("declaration_detail", args=[declaration.pk])]:
        header = client.get(url)["Content-Security-Policy"]
        directives = dict(d.strip().split(" ", 1) for d in header.split(";") if d.strip())
        assert directives["script-src"] == "'self'"
        assert directives["object-src"] == "'none'"
        assert directives["frame-ancestors"] == "'none'"


def test_templates_have_no_inline_script_or_handler():
    """The policy runs scripts from our static files only: an inline one would be dead."""
    offenders = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        text = path.read_text("utf-8")
        for pattern in (r"<script(?![^>]*\bsrc=)[^>]*>", r"\son[a-z]+\s*=", r"javascript:"):
            offenders += [f"{path.relative_to(ROOT)}: {m}" for m in re.findall(pattern, text)]
    assert offenders == []


@pytest.mark.django_db
def test_e_mail_links_use_the_site_address(settings, django_capture_on_commit_callbacks):
    settings.SITE_URL = "https://kexie.example.org"
    declaration = Declaration.objects.get(sample_key="000-1")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.perform(declaration, "submit", by=User.objects.get(username="shapingba"))
    link = "https://kexie.example.org" + reverse("declaration_detail", args=[declaration.pk])
    assert link in mail.outbox[-1].body
