"""Backup and restore of the whole database, history and audit records included.

- SQLite: SQLite's online backup API copies the live database page by page into a new file,
  consistent even while the site writes; a restore copies a backup file back the same way.
  Both go through Django's own connection, so they work on a file and on the in-memory test
  database alike.
- PostgreSQL: ``pg_dump --format=custom`` and ``pg_restore --clean`` in one transaction, so a
  restore that fails half-way leaves the database as it was.

A backup is written under a temporary name and renamed when complete: a file with the final
name is always a whole backup.
"""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.db import connections
from django.utils import timezone

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"
PG_CLIENT_HINT = (
    "请安装 PostgreSQL 客户端工具（Debian/Ubuntu：apt-get install postgresql-client），"
    "其主版本不得低于数据库服务器的主版本。"
)


class BackupError(Exception):
    """Something an operator has to fix; the message says what, in Chinese."""


def default_path(directory: Path, *, using: str = "default") -> Path:
    vendor = connections[using].vendor
    suffix = ".sqlite3" if vendor == "sqlite" else ".dump"
    return Path(directory) / f"kexie-{timezone.localtime():%Y%m%d-%H%M%S}{suffix}"


def backup(path: Path, *, using: str = "default") -> Path:
    connection = connections[using]
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        if connection.vendor == "sqlite":
            _sqlite_backup(connection, partial)
        elif connection.vendor == "postgresql":
            _pg_dump(connection, partial)
        else:
            raise BackupError(f"不支持备份 {connection.vendor} 数据库。")
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    return path


def restore(path: Path, *, using: str = "default") -> None:
    """Replaces everything in the database by the backup's content. Stop the site first: a
    request served during a restore may see half of each."""
    connection = connections[using]
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"找不到备份文件：{path}")
    if connection.in_atomic_block:
        raise BackupError("不能在事务中恢复数据库。")
    with path.open("rb") as file:
        header = file.read(len(SQLITE_MAGIC))
    if connection.vendor == "sqlite":
        if not header.startswith(SQLITE_MAGIC):
            raise BackupError(f"{path} 不是 SQLite 数据库的备份，不能恢复到 SQLite。")
        _sqlite_restore(connection, path)
    elif connection.vendor == "postgresql":
        if not header.startswith(PG_DUMP_MAGIC):
            raise BackupError(f"{path} 不是 pg_dump 生成的备份，不能恢复到 PostgreSQL。")
        _pg_restore(connection, path)
    else:
        raise BackupError(f"不支持恢复 {connection.vendor} 数据库。")
    # Content types are cached by id; the restored table may number them differently.
    ContentType.objects.clear_cache()


def _sqlite_backup(connection, target_path: Path) -> None:
    connection.ensure_connection()
    target = sqlite3.connect(target_path)
    try:
        connection.connection.backup(target)
        _sqlite_check(target, target_path)
    finally:
        target.close()


def _sqlite_restore(connection, source_path: Path) -> None:
    source = sqlite3.connect(f"{source_path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        _sqlite_check(source, source_path)
        connection.ensure_connection()
        source.backup(connection.connection)
    finally:
        source.close()


def _sqlite_check(database, path: Path) -> None:
    try:
        result = database.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} 无法作为 SQLite 数据库读取：{exc}") from exc
    if result != "ok":
        raise BackupError(f"{path} 的完整性检查未通过：{result}")


def _pg_tool(name: str) -> str:
    tool = shutil.which(name)
    if tool is None:
        raise BackupError(f"找不到 {name}。{PG_CLIENT_HINT}")
    return tool


def _pg_environment(connection) -> dict[str, str]:
    """libpq's own variables, so that the password never appears on a command line."""
    settings = connection.settings_dict
    env = os.environ.copy()
    for variable, value in (
        ("PGHOST", settings.get("HOST")),
        ("PGPORT", settings.get("PORT")),
        ("PGUSER", settings.get("USER")),
        ("PGPASSWORD", settings.get("PASSWORD")),
        ("PGDATABASE", settings.get("NAME")),
        ("PGSSLMODE", settings.get("OPTIONS", {}).get("sslmode")),
    ):
        if value:
            env[variable] = str(value)
    return env


def _run(command: list[str], connection) -> None:
    result = subprocess.run(
        command, env=_pg_environment(connection), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(
            f"{Path(command[0]).name} 失败（退出码 {result.returncode}）：{result.stderr.strip()}"
        )


def _pg_dump(connection, target_path: Path) -> None:
    _run(
        [
            _pg_tool("pg_dump"),
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            f"--file={target_path}",
        ],
        connection,
    )


def _pg_restore(connection, source_path: Path) -> None:
    tool = _pg_tool("pg_restore")
    # Our own idle connection must not hold a lock that DROP TABLE would wait for.
    connection.close()
    _run(
        [
            tool,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={connection.settings_dict['NAME']}",
            str(source_path),
        ],
        connection,
    )
