"""``backup`` and ``restore``: a round trip on the database under test (SQLite or PostgreSQL)
brings back every row of every table, history and audit records included."""

from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection

from declarations.models import Declaration, User
from security import backups
from security.models import SecurityEvent
from security.services import record_event


def snapshot() -> dict[str, list[tuple]]:
    """Every row of every table (many-to-many tables too), with all its columns."""
    rows = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        columns = [field.attname for field in model._meta.concrete_fields]
        rows[model._meta.label] = list(model._base_manager.order_by("pk").values_list(*columns))
    return rows


@pytest.mark.django_db(transaction=True)
def test_a_restore_brings_back_everything_as_it_was(tmp_path):
    # A transactional test starts from whatever the last one left: load the samples again.
    call_command("load_samples", "--demo-accounts", verbosity=0)
    declaration = Declaration.objects.get(sample_key="000-1")
    declaration.save()  # one more history row
    record_event(SecurityEvent.Kind.LOGIN, username="shapingba")
    before = snapshot()
    assert before["declarations.HistoricalDeclaration"]
    path = tmp_path / "kexie.backup"
    out = StringIO()
    call_command("backup", "--output", str(path), stdout=out)
    assert path.is_file() and "已备份到" in out.getvalue()

    Declaration.objects.filter(pk=declaration.pk).update(annual_target="改过的目标")
    Declaration.objects.get(sample_key="003-1").delete()
    declaration.history.all().delete()
    SecurityEvent.objects.all().delete()
    User.objects.filter(username="xicheng").update(email="changed@example.com")
    assert snapshot() != before

    call_command("restore", str(path), "--yes", stdout=StringIO())
    assert snapshot() == before
    # The restored database goes on numbering rows after the restored ones.
    event = record_event(SecurityEvent.Kind.LOGOUT, username="shapingba")
    assert event.pk > max(row[0] for row in before["security.SecurityEvent"])


@pytest.mark.django_db(transaction=True)
def test_a_backup_of_another_kind_is_refused(tmp_path):
    other = tmp_path / "not-a-backup"
    other.write_bytes(b"PGDMP" if connection.vendor == "sqlite" else b"SQLite format 3\x00")
    with pytest.raises(CommandError, match="不能恢复到"):
        call_command("restore", str(other), "--yes", stdout=StringIO())
    with pytest.raises(CommandError, match="找不到备份文件"):
        call_command("restore", str(tmp_path / "missing"), "--yes", stdout=StringIO())


def test_without_pg_dump_the_message_names_the_package(monkeypatch):
    monkeypatch.setattr(backups.shutil, "which", lambda name: None)
    with pytest.raises(backups.BackupError, match="找不到 pg_dump.*postgresql-client"):
        backups._pg_tool("pg_dump")


@pytest.mark.django_db
def test_restore_asks_before_overwriting(tmp_path, monkeypatch):
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    with pytest.raises(CommandError, match="请加 --yes 确认"):
        call_command("restore", str(tmp_path / "any"), stdout=StringIO())
