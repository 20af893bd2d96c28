"""The production stack as `make serve` runs it: gunicorn with its config file, DEBUG off,
static files collected with hashed names and served by whitenoise, compressed and cached
forever. Run in subprocesses on a database of their own."""

import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str, **headers) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - localhost
        return response.status, dict(response.headers), response.read()


@pytest.fixture
def server(tmp_path):
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))},
        "DJANGO_SETTINGS_MODULE": "kexie_perf.settings",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "STATIC_ROOT": str(tmp_path / "static"),
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "SECURE_HSTS_SECONDS": "0",
        "BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "2",
        "DEBUG": "0",
    }
    for command in (["migrate", "--noinput"], ["collectstatic", "--noinput", "-v", "0"]):
        subprocess.run(
            [sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True, timeout=300
        )
    process = subprocess.Popen(
        [BIN / "gunicorn", "-c", "kexie_perf/gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                get(f"{base}/login/")
                break
            except OSError:
                time.sleep(0.2)
        else:
            process.terminate()
            pytest.fail(f"gunicorn did not answer: {process.communicate(timeout=10)[0]}")
        yield base, process
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_gunicorn_serves_pages_and_whitenoise_the_hashed_static_files(server):
    base, process = server
    status, _, body = get(f"{base}/login/")
    page = body.decode()
    assert status == 200 and "登录" in page
    css = re.search(r'href="(/static/css/app\.[0-9a-f]{12}\.css)"', page)
    assert css, "the page links the hashed name"
    status, headers, body = get(base + css.group(1), **{"Accept-Encoding": "gzip"})
    assert status == 200 and b"" != body
    assert headers["Cache-Control"] == "max-age=315360000, public, immutable"
    assert headers.get("Content-Encoding") == "gzip"
    # The workers are gunicorn's, as configured.
    assert process.poll() is None
    status, _, _ = get(f"{base}/favicon.ico")
    assert status == 200
