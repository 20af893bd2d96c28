"""Fuzz every form endpoint at scale and count the server errors (run on demand, not in CI).

    .venv/bin/python bench/fuzz.py [--examples 1000] [--database-url URL] [--seed N] [-k EXPR]

Runs the fuzz tests (tests/fuzz) with ``--examples`` examples per target in counting mode: a
500, or a refused request that wrote to the database, is recorded and the run goes on (in CI
the first one fails the test). Then prints, per target and in total, the requests sent, the
500s and the refusals that wrote; and each distinct cause of 500s (exception, where it was
raised in our code, messages) with its count and the smallest input that caused it.

The database is the test settings' (SQLite) unless ``--database-url`` names another, e.g.
``postgres://postgres@127.0.0.1:5432/fuzz`` (pytest-django creates and drops ``test_fuzz``).
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(args) -> Path:
    report = Path(tempfile.mkdtemp(prefix="kexie-fuzz-")) / "requests.jsonl"
    env = {
        **os.environ,
        "KEXIE_FUZZ_MODE": "count",
        "KEXIE_FUZZ_EXAMPLES": str(args.examples),
        "KEXIE_FUZZ_REPORT": str(report),
    }
    if args.database_url:
        env["DATABASE_URL"] = args.database_url
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "tests" / "fuzz").glob("test_fuzz_*.py")),
    ]
    if args.seed is not None:
        command.append(f"--hypothesis-seed={args.seed}")
    if args.k:
        command += ["-k", args.k]
    started = time.monotonic()
    subprocess.run(command, cwd=ROOT, env=env, check=False)
    print(f"\n{time.monotonic() - started:.0f} s")
    return report


def summarize(report: Path, out=sys.stdout) -> dict:
    # Not splitlines(): U+2028 and U+0085 may stand unescaped inside a record.
    lines = report.read_text(encoding="utf-8").split("\n")
    records = [json.loads(line) for line in lines if line]
    per_target: dict[str, Counter] = defaultdict(Counter)
    causes: dict[tuple, dict] = {}
    for record in records:
        counts = per_target[record["target"]]
        counts["requests"] += 1
        if "wrote" in record:
            counts["wrote"] += 1
        error = record.get("error")
        if not error:
            continue
        counts["500s"] += 1
        key = (error["type"], error["where"])
        cause = causes.setdefault(
            key,
            {
                "type": error["type"],
                "where": error["where"],
                "innermost": error["innermost"],
                "count": 0,
                "targets": Counter(),
                "messages": Counter(),
                "example": None,
            },
        )
        cause["count"] += 1
        cause["targets"][record["target"]] += 1
        cause["messages"][error["message"]] += 1
        if cause["example"] is None or record["size"] < cause["example"]["size"]:
            cause["example"] = {
                "request": f"{record['method']} {record['url']}",
                "size": record["size"],
                "input": record["input"],
                "before": record.get("before", []),
            }

    print(f"\n{'target':<26}{'requests':>10}{'500s':>8}{'wrote':>8}", file=out)
    total = Counter()
    for target in sorted(per_target):
        counts = per_target[target]
        total.update(counts)
        print(
            f"{target:<26}{counts['requests']:>10}{counts['500s']:>8}{counts['wrote']:>8}",
            file=out,
        )
    print(f"{'total':<26}{total['requests']:>10}{total['500s']:>8}{total['wrote']:>8}", file=out)

    for number, cause in enumerate(sorted(causes.values(), key=lambda c: -c["count"]), start=1):
        print(f"\n[{number}] {cause['count']} × {cause['type']}", file=out)
        print(f"    raised at {cause['where']} (innermost: {cause['innermost']})", file=out)
        print(f"    targets: {dict(cause['targets'])}", file=out)
        for message, count in cause["messages"].most_common(3):
            print(f"    message ({count}×): {message[:200]}", file=out)
        example = cause["example"]
        for earlier in example["before"]:
            shown = json.dumps(earlier["input"], ensure_ascii=False)
            print(f"    after: {earlier['method']} {earlier['url']} {shown[:1500]}", file=out)
        shown = json.dumps(example["input"], ensure_ascii=False)
        print(f"    smallest input: {example['request']} {shown[:1500]}", file=out)
    for record in records:
        if "wrote" in record:
            print(f"\nrefused but wrote: {json.dumps(record, ensure_ascii=False)[:1500]}", file=out)
    return {"total": dict(total), "targets": {t: dict(c) for t, c in per_target.items()}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=1000, help="examples per target")
    parser.add_argument("--database-url", help="DATABASE_URL of the run (default: SQLite)")
    parser.add_argument("--seed", type=int, help="Hypothesis seed, to repeat a run")
    parser.add_argument("-k", help="pytest -k expression, to fuzz some targets only")
    parser.add_argument("--report", type=Path, help="summarize this requests.jsonl, not run")
    args = parser.parse_args()
    report = args.report or run(args)
    print(f"records: {report}")
    summary = summarize(report)
    sys.exit(1 if summary["total"].get("500s") or summary["total"].get("wrote") else 0)


if __name__ == "__main__":
    main()
