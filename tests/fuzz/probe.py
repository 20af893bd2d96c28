"""One fuzzed request: sent, classified, checked against the property, and recorded.

The property: no response is a server error (status ≥ 500), and a request that was refused
(status ≥ 400, a form shown again with its errors, or an error message) left the database as
it was: the row counts of our models, drafts excepted (a draft keeps what was typed, valid or
not). A GET never writes anything but a draft.

Two modes, chosen by the environment:
- by default (CI) the first violation fails the example, and Hypothesis shrinks it to a
  minimal input that it prints;
- ``KEXIE_FUZZ_MODE=count`` (bench/fuzz.py) records every violation and goes on, so that a
  large run counts them; ``KEXIE_FUZZ_REPORT`` names the JSON-lines file of the records.
"""

import json
import os
import traceback
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

from django.contrib.messages import constants
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, settings

from tests.declarations.wizards.helpers import row_counts

ROOT = Path(__file__).resolve().parents[2]
COUNT_ONLY = os.environ.get("KEXIE_FUZZ_MODE") == "count"
REPORT = os.environ.get("KEXIE_FUZZ_REPORT")
# 10 targets × 30 examples: about 300 examples in a CI run.
EXAMPLES = int(os.environ.get("KEXIE_FUZZ_EXAMPLES", 30))

FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
    # A counting run keeps no failing examples to replay (it has none by construction).
    **({"database": None} if COUNT_ONLY else {}),
)

FORM = "application/x-www-form-urlencoded"


@contextmanager
def rolled_back():
    """One example in a savepoint that is rolled back, so examples never see each other."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def login(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def short(value, limit: int = 60):
    """A value as a record shows it: long strings cut, with their length."""
    if isinstance(value, list):
        return [short(v, limit) for v in value]
    if isinstance(value, str) and len(value) > limit:
        return f"{value[:20]}…[{len(value)} chars: {value[-10:]}]"
    return value


def _frame(frame) -> str:
    path = Path(frame.filename)
    try:
        name = path.relative_to(ROOT).as_posix()
    except ValueError:
        name = path.as_posix()
    if "site-packages/" in name:
        name = name.split("site-packages/", 1)[1]
    return f"{name}:{frame.lineno} ({frame.name})"


def where(exc_info) -> tuple[str, str]:
    """The innermost frame in our code (not the virtualenv's, not the tests'), and the
    innermost frame of all."""
    frames = traceback.extract_tb(exc_info[2])
    ours = [
        f
        for f in frames
        if f.filename.startswith(str(ROOT))
        and "/.venv/" not in f.filename
        and "/tests/" not in f.filename
    ]
    return (_frame(ours[-1]) if ours else "?", _frame(frames[-1]) if frames else "?")


def refused(method: str, response) -> bool:
    if response.status_code >= 400:
        return True
    if method == "POST" and response.status_code == 200:
        return True  # the form again, with its errors
    storage = getattr(response.wsgi_request, "_messages", None)
    queued = getattr(storage, "_queued_messages", [])
    return any(m.level >= constants.ERROR for m in queued)


class Violation(AssertionError):
    pass


class Probe:
    """Sends the requests of one example of a target and checks each against the property;
    a record of a violation carries the example's earlier requests (a page shows what an
    earlier POST kept in the draft)."""

    def __init__(self, target: str):
        self.target = target
        self.history: list[dict] = []

    def get(self, client: Client, url: str, data: dict | None = None):
        return self._send(client, "GET", url, data or {})

    def post(self, client: Client, url: str, data: dict):
        return self._send(client, "POST", url, data)

    def _send(self, client, method: str, url: str, data: dict):
        before = row_counts()
        with transaction.atomic():
            if method == "GET":
                response = client.get(url, data)
            else:
                response = client.post(url, urlencode(data, doseq=True), content_type=FORM)
            crashed = response.status_code >= 500
            if crashed:
                # Undo what the request did before it failed; on PostgreSQL this also
                # clears an aborted transaction, so the run can go on.
                transaction.set_rollback(True)
        record = {
            "target": self.target,
            "method": method,
            "url": url,
            "status": response.status_code,
        }
        if response.has_header("Location"):
            record["location"] = response["Location"]
        problem = None
        if crashed:
            exc_info = getattr(response, "exc_info", None)
            if exc_info:
                ours, innermost = where(exc_info)
                record["error"] = {
                    "type": f"{exc_info[0].__module__}.{exc_info[0].__qualname__}",
                    "message": str(exc_info[1])[:300],
                    "where": ours,
                    "innermost": innermost,
                }
            else:
                record["error"] = {"type": "?", "message": "", "where": "?", "innermost": "?"}
            problem = "server error {status}: {error[type]}: {error[message]} at {error[where]}"
        elif method == "GET" or refused(method, response):
            after = row_counts()
            if after != before:
                record["wrote"] = {k: after[k] - before[k] for k in after if after[k] != before[k]}
                problem = "refused (status {status}) but wrote {wrote}"
        sent = {"method": method, "url": url, "input": {str(k): short(v) for k, v in data.items()}}
        if problem:
            record["input"] = sent["input"]
            record["before"] = list(self.history)
            record["size"] = len(json.dumps([data, self.history], ensure_ascii=False))
        self.history.append(sent)
        if REPORT:
            with open(REPORT, "a", encoding="utf-8") as out:
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
        if problem and not COUNT_ONLY:
            raise Violation(
                f"{method} {url}: "
                + problem.format(**record)
                + f"\ninput: {json.dumps(record['input'], ensure_ascii=False)[:2000]}"
                + f"\nafter: {json.dumps(record['before'], ensure_ascii=False)[:2000]}"
            )
        return response
