"""Browser tests: Debian's chromium driven by Playwright against pytest-django's live server.

- ``browser`` (session): one headless chromium. Without /usr/bin/chromium, or if it cannot be
  launched, the tests are skipped -- unless ``KEXIE_REQUIRE_BROWSER=1`` (set by CI), in which
  case they fail, so that a missing browser can never pass unnoticed.
- ``page``: a fresh browser context and page per test, pointed at the live server, with the
  sample tables and demo accounts loaded (live-server tests are transactional: the database
  is flushed after each of them, so every test loads the samples itself).
- ``login(page, username)``: logs in through the real login page.
- ``screenshot(page, label)``: a full-page screenshot under
  ``test-results/e2e/<test function name>/``; a failing test also leaves ``failure.png`` there.
"""

import os
import re
from pathlib import Path

import pytest
from django.core.management import call_command

# Playwright's sync API keeps an asyncio event loop in the main thread; without this Django
# refuses ORM calls made from the test (loading the samples, checking the database).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEMO_PASSWORD = "kexie-demo-2025"
REPO_ROOT = Path(__file__).resolve().parents[2]
RESULTS_DIR = REPO_ROOT / "test-results" / "e2e"
# Playwright's own waits; generous enough for a slow CI machine, short enough to fail fast.
TIMEOUT_MS = 10_000


def _browser_unavailable(reason: str):
    if os.environ.get("KEXIE_REQUIRE_BROWSER") == "1":
        pytest.fail(
            f"{reason}; KEXIE_REQUIRE_BROWSER=1 forbids skipping the browser tests.",
            pytrace=False,
        )
    pytest.skip(f"browser tests skipped: {reason}")


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        _browser_unavailable(f"{CHROMIUM} not found (install the Debian package chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        _browser_unavailable(f"the playwright package is not installed ({exc})")
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
    except Exception as exc:  # noqa: BLE001 - any launch failure means "no browser"
        playwright.stop()
        first_line = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        _browser_unavailable(f"chromium could not be launched from {CHROMIUM}: {first_line}")
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture
def fast_passwords(settings):
    """Demo accounts hashed with a cheap hasher: seven PBKDF2 hashes per test add up.

    PBKDF2 stays accepted: the first live-server test still sees the accounts that the
    session-wide set-up (tests/conftest.py) created before any flush."""
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]


@pytest.fixture
def samples(transactional_db, fast_passwords):
    """The sample tables, taxonomy and demo accounts, in the (flushed) live-server database."""
    call_command("load_samples", "--demo-accounts", verbosity=0)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


def results_dir(node) -> Path:
    name = getattr(node, "originalname", None) or node.name
    folder = RESULTS_DIR / name
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def page(request, browser, live_server, samples):
    context = browser.new_context(
        base_url=live_server.url,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.js_errors = []
    page.on("pageerror", lambda error: page.js_errors.append(str(error)))
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        try:
            page.screenshot(path=str(results_dir(request.node) / "failure.png"), full_page=True)
        except Exception:  # noqa: BLE001, S110 - a screenshot must not hide the real failure
            pass
    context.close()


@pytest.fixture
def screenshot(request):
    """``screenshot(page, "label")`` saves test-results/e2e/<test>/<NN>-<label>.png."""
    counter = iter(range(1, 100))

    def take(page, label: str) -> Path:
        safe = re.sub(r"[^\w.-]+", "-", label).strip("-") or "page"
        path = results_dir(request.node) / f"{next(counter):02d}-{safe}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def login():
    """``login(page, "shapingba")`` logs in through /login/ and waits for the home page."""
    from playwright.sync_api import expect

    def log_in(page, username: str, password: str = DEMO_PASSWORD):
        page.goto("/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.get_by_role("button", name="登录", exact=True).click()
        expect(
            page.get_by_role("button", name="退出登录"),
            f"logging in as {username} did not reach a logged-in page",
        ).to_be_visible()

    return log_in
