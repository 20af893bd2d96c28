"""The load figure of issue 12: the production stack under eight users at once.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kexie_scale \\
        .venv/bin/python bench/load.py [--clients 8] [--seconds 30] [--workers 2] [--json]

Makes the province ready (bench/scale.py --build-only), renders the declarations that will be
downloaded into an export cache on disk (as the background pre-rendering will), starts
gunicorn with ``--workers`` workers (kexie_perf/gunicorn.conf.py, DEBUG off, plain HTTP),
logs each client in through the log-in form (CSRF token and all), warms up for a few seconds,
then lets the clients browse for ``--seconds``: pages of their role and downloads of Excel and
PDF files, each client one request at a time, with ``--think`` seconds (on average) between
two of them; without (the default) eight clients keep two workers busy all the time, and a
request's time is mostly its wait for a worker. Prints requests per second, p50/p95/p99 of
pages and of downloads, and every answer that was not a 200 by status. With ``--json`` the
last line is one JSON object.
"""

import argparse
import http.client
import json
import math
import os
import random
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/kexie_scale"
WARM_UP_SECONDS = 5
DOWNLOAD_SHARE = 0.25
DECLARATIONS_PER_CLIENT = 3


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--think",
        type=float,
        default=0,
        help="mean seconds a user reads between two requests (0: none, the heaviest load)",
    )
    parser.add_argument("--declarations", type=int, default=50_000)
    parser.add_argument("--indicators", type=int, default=1_000_000)
    parser.add_argument("--json", action="store_true", help="end with one line of JSON")
    return parser.parse_args()


ARGS = parse_args()
DATABASE_URL = os.environ.get("DATABASE_URL") or DEFAULT_URL
WORKDIR = Path(tempfile.mkdtemp(prefix="kexie-bench-load-"))
# What gunicorn and this process share: the database, the key that signs the sessions, the
# export cache on disk and the collected static files.
SERVER_ENV = {
    "DATABASE_URL": DATABASE_URL,
    "DJANGO_SETTINGS_MODULE": "kexie_perf.settings",
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "127.0.0.1",
    "SECURE_SSL_REDIRECT": "0",
    "SECURE_COOKIES": "0",
    "SECURE_HSTS_SECONDS": "0",
    "EXPORT_CACHE_DIR": str(WORKDIR / "exports"),
    "STATIC_ROOT": str(Path(tempfile.gettempdir()) / "kexie-bench-static"),
}
os.environ.update(SERVER_ENV)

import django  # noqa: E402

django.setup()

from django.urls import Resolver404, resolve  # noqa: E402
from province import MEASURED_CLERK, SCALE_PASSWORD  # noqa: E402

from declarations.domain.choices import Status  # noqa: E402
from declarations.exports.service import export_declaration, with_export_data  # noqa: E402
from declarations.models import Declaration, User  # noqa: E402
from declarations.roles import declarations_visible_to  # noqa: E402


@dataclass
class Client:
    """One user with a browser's cookies, asking one thing at a time."""

    username: str
    password: str
    port: int
    pages: list[str] = field(default_factory=list)
    downloads: list[str] = field(default_factory=list)
    cookies: dict[str, str] = field(default_factory=dict)

    def __post_init__(self):
        self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, bytes]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in (1, 2):
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                data = response.read()
                break
            except (http.client.HTTPException, ConnectionError):
                # gunicorn's sync workers close the connection after each answer.
                self.connection.close()
                if attempt == 2:
                    raise
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        if response.getheader("Connection", "").lower() == "close":
            self.connection.close()
        return response.status, data

    def log_in(self) -> None:
        status, page = self.request("GET", "/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        form = urlencode(
            {
                "csrfmiddlewaretoken": token.decode(),
                "username": self.username,
                "password": self.password,
            }
        )
        status, _ = self.request("POST", "/login/", form)
        if status != 302:
            raise SystemExit(f"{self.username} 登录失败（{status}）。")


def exists(path: str) -> bool:
    """Whether the site has ``path`` yet (pages built by others may not be there)."""
    try:
        resolve(path)
    except Resolver404:
        return False
    return True


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def ready_province() -> None:
    command = [
        sys.executable,
        str(ROOT / "bench" / "scale.py"),
        "--build-only",
        "--declarations",
        str(ARGS.declarations),
        "--indicators",
        str(ARGS.indicators),
    ]
    subprocess.run(command, env={**os.environ, **SERVER_ENV}, check=True)


def clients_of(port: int) -> list[Client]:
    """Half reviewers (the demo reviewer of 500 departments first), half clerks of that
    division, each with the pages of their role and their own downloads."""
    reviewer = User.objects.get(username="reviewer")
    people = [("reviewer", "kexie-review-2025")]
    people += [
        (name, SCALE_PASSWORD)
        for name in User.objects.filter(
            division=reviewer.division, username__startswith="reviewer0"
        )
        .order_by("username")
        .values_list("username", flat=True)[: max(0, ARGS.clients // 2 - 1)]
    ]
    clerks = User.objects.filter(
        department__supervising_division=reviewer.division, username__startswith="clerk"
    ).order_by("username")
    people += [(MEASURED_CLERK, SCALE_PASSWORD)] + [
        (name, SCALE_PASSWORD)
        for name in clerks.exclude(username=MEASURED_CLERK).values_list("username", flat=True)
    ]
    people = people[: ARGS.clients]
    made = []
    for n, (username, password) in enumerate(people):
        user = User.objects.get(username=username)
        visible = declarations_visible_to(user)
        total = visible.count()
        mine = list(visible.order_by("-fiscal_year", "pk")[n : n + DECLARATIONS_PER_CLIENT])
        client = Client(username, password, port)
        client.pages = ["/", "/declarations/", f"/declarations/{mine[0].pk}/"] + [
            f"/declarations/{d.pk}/" for d in mine[1:]
        ]
        if user.division_id:
            client.pages += [
                f"/declarations/?page={max(1, math.ceil(total / 20) // 2)}",
                f"/declarations/?fiscal_year={mine[0].fiscal_year}&status={Status.APPROVED}",
                "/declarations/?q=" + quote("机器人竞赛"),
                "/reviews/",
                "/reviews/?status=approved&page=3",
                *(["/dashboard/"] if exists("/dashboard/") else []),
            ]
        else:
            client.pages += [
                "/indicators/library/?q=" + quote("科普日"),
                "/declarations/?q=" + quote("满意度"),
            ]
        client.downloads = [
            f"/declarations/{d.pk}/export/{fmt}/" for d in mine for fmt in ("xlsx", "pdf")
        ]
        made.append((client, mine))
    return made


def pre_render(declarations) -> float:
    """Their Excel and PDF files into the shared export cache, as a background job will."""
    started = time.perf_counter()
    for declaration in with_export_data(
        Declaration.objects.filter(pk__in=[d.pk for d in declarations])
    ):
        for fmt in ("xlsx", "pdf"):
            export_declaration(declaration, fmt)
    return time.perf_counter() - started


def start_server(port: int) -> subprocess.Popen:
    log = open(WORKDIR / "gunicorn.log", "w")  # noqa: SIM115 - closed with the process
    server = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "-c", "kexie_perf/gunicorn.conf.py"],
        cwd=ROOT,
        env={
            **os.environ,
            **SERVER_ENV,
            "WEB_CONCURRENCY": str(ARGS.workers),
            "BIND": f"127.0.0.1:{port}",
        },
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            probe = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            probe.request("GET", "/login/")
            if probe.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise SystemExit(f"gunicorn 未能启动，见 {WORKDIR / 'gunicorn.log'}。")


def browse(client: Client, until: float, seed: int, results: list) -> None:
    rng = random.Random(seed)
    while time.monotonic() < until:
        kind = "download" if rng.random() < DOWNLOAD_SHARE else "page"
        path = rng.choice(client.downloads if kind == "download" else client.pages)
        start = time.perf_counter()
        try:
            status, _ = client.request("GET", path)
        except (OSError, http.client.HTTPException):
            status = "connection"
        results.append((kind, path, status, (time.perf_counter() - start) * 1000))
        if ARGS.think:
            time.sleep(max(0, min(rng.expovariate(1 / ARGS.think), until - time.monotonic())))


def run(clients: list[Client], seconds: float) -> tuple[list, float]:
    results: list = []
    until = time.monotonic() + seconds
    threads = [
        threading.Thread(target=browse, args=(client, until, n, results))
        for n, client in enumerate(clients)
    ]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, time.monotonic() - started


def percentile(values: list[float], share: float) -> float:
    values = sorted(values)
    return round(values[max(0, math.ceil(share * len(values)) - 1)], 1) if values else 0.0


def summary(results: list, elapsed: float) -> dict:
    figures = {
        "requests": len(results),
        "seconds": round(elapsed, 1),
        "requests_per_second": round(len(results) / elapsed, 1),
        "errors": dict(Counter(str(s) for _, _, s, _ in results if s != 200)),
    }
    for kind in ("all", "page", "download"):
        times = [ms for k, _, s, ms in results if kind in ("all", k)]
        figures[kind] = {
            "count": len(times),
            "p50_ms": percentile(times, 0.5),
            "p95_ms": percentile(times, 0.95),
            "p99_ms": percentile(times, 0.99),
        }
    slowest: dict[str, list[float]] = {}
    for _, path, _, ms in results:
        slowest.setdefault(re.sub(r"\d+", "N", path.split("?")[0]), []).append(ms)
    figures["by_page_p95_ms"] = {
        path: percentile(times, 0.95) for path, times in sorted(slowest.items())
    }
    return figures


def main() -> None:
    ready_province()
    port = free_port()
    made = clients_of(port)
    seconds = pre_render([d for _, mine in made for d in mine])
    print(
        f"预先生成 {len(made) * DECLARATIONS_PER_CLIENT * 2} 个下载文件：{seconds:.1f} s",
        flush=True,
    )
    server = start_server(port)
    try:
        clients = [client for client, _ in made]
        for client in clients:
            client.log_in()
        run(clients, WARM_UP_SECONDS)
        results, elapsed = run(clients, ARGS.seconds)
    finally:
        server.terminate()
        server.wait(timeout=30)
    # The export cache and the server's log are kept only when something went wrong.
    shutil.rmtree(WORKDIR, ignore_errors=True)
    figures = summary(results, elapsed)
    print(
        f"\ngunicorn {ARGS.workers} 个进程，{len(clients)} 个用户"
        f"（两次请求之间平均 {ARGS.think} s），{figures['seconds']} s："
        f"{figures['requests']} 个请求，{figures['requests_per_second']} 个/秒"
    )
    print(f"{'':<10}{'count':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    for kind in ("all", "page", "download"):
        row = figures[kind]
        print(f"{kind:<10}{row['count']:>7}{row['p50_ms']:>9}{row['p95_ms']:>9}{row['p99_ms']:>9}")
    print("错误：" + (json.dumps(figures["errors"]) if figures["errors"] else "无"))
    print("各页 p95 (ms)：")
    for path, p95 in figures["by_page_p95_ms"].items():
        print(f"  {path:<40}{p95:>9}")
    if ARGS.json:
        print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
