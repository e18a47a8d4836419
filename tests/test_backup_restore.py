"""`manage.py backup` and `manage.py restore` on the test database (SQLite and PostgreSQL): a backup restored
into a FRESH database and storage (a new SQLite file / a new PostgreSQL database, a new media folder, by a
separate `manage.py restore` process) has the same row counts and file sums; a tampered backup is refused
before anything is touched; and what was purged after the backup is purged again after the restore."""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import subprocess
import sys

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection

from config.backup.services import row_counts, storage_sums
from records.retention.services.plan import retention_assign
from records.retention.services.purge import (
    purge_list_approve,
    purge_list_draft,
    purge_list_execute,
    purge_list_propose,
)
from tests.factories import ItemFactory
from tests.factories_records import DocumentFactory
from tests.process_helpers import ROOT, database_url, process_env

pytestmark = pytest.mark.django_db(transaction=True)

OLD = dt.datetime(2025, 1, 10, 9, 0, tzinfo=dt.UTC)
UNIQUE = "Ytterst-unik-fras-4711"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return settings.MEDIA_ROOT


@pytest.fixture
def fresh(tmp_path):
    """A fresh, empty database and storage for the restore, and a way to read them."""

    class Target:
        media_root = tmp_path / "fresh-media"

        def env(self, **extra):
            return process_env(DATABASE_URL=self.url, MEDIA_ROOT=str(self.media_root), **extra)

        def query(self, sql: str) -> list[tuple]:
            if connection.vendor == "postgresql":
                import psycopg

                with psycopg.connect(self.dsn) as conn:
                    return conn.execute(sql).fetchall()
            with sqlite3.connect(self.path) as conn:
                return conn.execute(sql).fetchall()

        def counts(self, tables) -> dict[str, int]:
            return {t: self.query(f'SELECT COUNT(*) FROM "{t}"')[0][0] for t in tables}

        def file_sums(self) -> dict[str, str]:
            import hashlib

            return {str(p.relative_to(self.media_root)): hashlib.sha256(p.read_bytes()).hexdigest()
                    for p in self.media_root.rglob("*") if p.is_file()}

    target = Target()
    if connection.vendor == "postgresql":
        import psycopg

        name = f"{connection.settings_dict['NAME']}_restore"
        admin = database_url().rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
        target.url = target.dsn = database_url().rsplit("/", 1)[0] + f"/{name}"
        yield target
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        target.path = tmp_path / "fresh.sqlite3"
        target.url = f"sqlite:///{target.path}"
        yield target


def restore(src, env, *extra) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "manage.py"), "restore", str(src), *extra], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


def some_records():
    items = [ItemFactory(text=f"Kommentar {n}") for n in range(5)]
    for n in range(3):
        DocumentFactory(description=f"Handling {n}")
    default_storage.save("letters/2026/beslut.pdf", ContentFile(b"%PDF-1.7 " + os.urandom(20_000)))
    default_storage.save("media/2026/bild åäö.jpg", ContentFile(os.urandom(300_000)))
    return items


def test_backup_restore_fresh_database_same_counts_and_file_sums(media, fresh, tmp_path, capsys):
    some_records()
    out = tmp_path / "backup"
    call_command("backup", out=str(out))
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["database"]["kind"] == ("postgresql" if connection.vendor == "postgresql" else "sqlite")
    assert manifest["uppsikt_version"] and manifest["migrations"]["moderation"]
    assert {f["path"] for f in manifest["files"]} == {"media/letters/2026/beslut.pdf", "media/media/2026/bild åäö.jpg"}
    before = row_counts()
    assert manifest["row_counts"] == before and before["moderation_item"] == 5
    progress = capsys.readouterr().err
    assert "databas" in progress and "filer: 2/2" in progress

    done = restore(out, fresh.env())
    assert done.returncode == 0, done.stdout + done.stderr
    assert "kontrollerat 3/3 filer" in done.stderr
    assert fresh.counts(before) == before
    assert fresh.file_sums() == storage_sums()
    assert fresh.query("SELECT COUNT(*) FROM moderation_item WHERE text = 'Kommentar 3'") == [(1,)]


def test_restore_tampered_backup_refused_nothing_touched(media, fresh, tmp_path):
    some_records()
    out = tmp_path / "backup"
    call_command("backup", out=str(out))
    victim = out / "media" / "letters" / "2026" / "beslut.pdf"
    data = bytearray(victim.read_bytes())
    data[100] ^= 0xFF
    victim.write_bytes(bytes(data))
    done = restore(out, fresh.env())
    assert done.returncode != 0
    assert "media/letters/2026/beslut.pdf: kontrollsumman stämmer inte" in done.stderr
    assert "inget har återställts" in done.stderr
    assert not fresh.media_root.exists()
    if connection.vendor == "postgresql":
        assert fresh.query("SELECT COUNT(*) FROM pg_tables WHERE schemaname = 'public'") == [(0,)]
    else:
        assert fresh.query("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'") == [(0,)]


def test_restore_non_empty_database_refused_unless_forced(media, fresh, tmp_path):
    some_records()
    out = tmp_path / "backup"
    call_command("backup", out=str(out))
    assert restore(out, fresh.env()).returncode == 0
    again = restore(out, fresh.env())
    assert again.returncode != 0 and "Databasen är inte tom" in again.stderr
    forced = restore(out, fresh.env(), "--force")
    assert forced.returncode == 0, forced.stderr
    assert fresh.counts(["moderation_item"]) == {"moderation_item": 5}


def test_restore_refuses_backup_from_newer_uppsikt(media, tmp_path):
    from django.core.management.base import CommandError

    out = tmp_path / "backup"
    call_command("backup", out=str(out))
    manifest = json.loads((out / "manifest.json").read_text())
    manifest["migrations"]["moderation"].append("9999_from_the_future")
    (out / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(CommandError, match="nyare Uppsikt"):
        call_command("restore", str(out))


def _due(n: int, prefix: str):
    items = [ItemFactory(received_at=OLD + dt.timedelta(minutes=i), text=f"{prefix} {UNIQUE} {i}") for i in range(n)]
    retention_assign(target_type="moderation.item", objects=items)
    return items


def _approved(users, second):
    pl = purge_list_draft(actor=users["archivist"], target_types=["moderation.item"])
    purge_list_propose(purge_list=pl, actor=users["archivist"])
    purge_list_approve(purge_list=pl, actor=second)
    return pl


def test_purged_after_backup_purged_again_after_restore(media, fresh, tmp_path, users, make_user, settings):
    """List A is approved before the backup and executed after it; list B is drafted and executed after it.
    Restored without the journal, their content comes back; with it, both are purged again."""
    second = make_user("archivist", username="archivist2")
    _due(3, "A")
    list_a = _approved(users, second)
    out = tmp_path / "backup"
    call_command("backup", out=str(out))
    _due(2, "B")
    list_b = _approved(users, second)
    for pl in (list_a, list_b):
        assert purge_list_execute(purge_list=pl, actor=second)["done"] == len(pl.lines.all())
    journal = sorted(os.listdir(settings.UPPSIKT_PURGE_JOURNAL_DIR))
    assert journal == [f"{list_a.reference}.jsonl", f"{list_b.reference}.jsonl"]

    empty_journal = tmp_path / "no-journal"
    unsafe = restore(out, fresh.env(UPPSIKT_PURGE_JOURNAL_DIR=str(empty_journal)))
    assert unsafe.returncode == 0, unsafe.stderr
    assert fresh.query(f"SELECT COUNT(*) FROM moderation_item WHERE text LIKE '%{UNIQUE}%'") == [(3,)]  # came back

    done = restore(out, fresh.env(), "--force")
    assert done.returncode == 0, done.stderr
    assert "Gallrat igen enligt gallringsjournalen: " in done.stdout
    assert fresh.query(f"SELECT COUNT(*) FROM moderation_item WHERE text LIKE '%{UNIQUE}%'") == [(0,)]
    stones = dict(fresh.query("SELECT basis_reference, COUNT(*) FROM records_tombstone GROUP BY basis_reference"))
    assert stones == {list_a.reference: len(list_a.lines.all()), list_b.reference: len(list_b.lines.all())}
    # A is in the backup (approved): its lines are marked done; B was drafted after it: a row keeps its reference
    lists = dict(fresh.query("SELECT reference, status FROM records_purgelist"))
    assert lists == {list_a.reference: "executed", list_b.reference: "executed"}
    assert fresh.query(f"SELECT COUNT(*) FROM records_purgeline WHERE purge_list_id = {list_a.pk} "
                       "AND status <> 'done'") == [(0,)]
    # idempotent: restoring the journal a second time over the same database purges nothing new
    again = restore(out, fresh.env(), "--force")
    assert again.returncode == 0 and fresh.query(
        f"SELECT COUNT(*) FROM moderation_item WHERE text LIKE '%{UNIQUE}%'") == [(0,)]


def test_erased_after_backup_erased_again_after_restore(media, fresh, tmp_path, users, make_user):
    """An approved GDPR erasure (art. 17) after the backup is carried out again after the restore."""
    from records.gdpr.services import (
        subject_request_approve_erasure,
        subject_request_propose_erasure,
        subject_request_search,
    )
    from tests.test_gdpr import NAME, _request

    second = make_user("archivist", username="archivist2")
    # Only what its retention class already allows purging may be erased (art. 17.3 b, arkivlagen).
    import datetime as dt

    from django.utils import timezone

    from records.retention.services.plan import retention_assign

    item = ItemFactory(text=f"Jag heter {NAME} och bor här", received_at=timezone.now() - dt.timedelta(days=400))
    retention_assign(target_type="moderation.item", objects=[item])
    out = tmp_path / "backup"
    call_command("backup", out=str(out))
    request = _request(users, kind="erasure")
    hits = subject_request_search(request=request, actor=users["archivist"])
    subject_request_propose_erasure(request=request, hits=hits, actor=users["archivist"])
    subject_request_approve_erasure(request=request, actor=second)
    item.refresh_from_db()
    assert NAME not in item.text

    done = restore(out, fresh.env())
    assert done.returncode == 0, done.stderr
    assert "raderat igen (GDPR): 1 objekt" in done.stdout
    assert NAME not in fresh.query(f"SELECT text FROM moderation_item WHERE id = {item.pk}")[0][0]
    assert fresh.query("SELECT reason, basis_reference FROM records_tombstone") == [("erasure", request.reference)]
