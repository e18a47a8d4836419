"""Backup and restore of Uppsikt: the database and the stored files (Django's default storage:
MEDIA_ROOT — attachments, decision letters, other evidence), with a manifest of SHA-256 sums.

A backup folder holds:
- `database.dump` (PostgreSQL: `pg_dump -Fc`, one consistent snapshot) or `database.sqlite3`
  (SQLite: the online backup API, consistent while the application runs);
- `media/…`: every stored file, copied streaming (constant memory), hashed while copied;
- `manifest.json`: format, Uppsikt's version, when the backup started and ended, the database kind,
  the applied migrations, the row count of every table, and path, size and SHA-256 of every file.

`restore` verifies every sum BEFORE it touches anything, refuses a non-empty database or storage
unless forced, restores, migrates a backup made by an older Uppsikt, and then purges again what the
purge journal (records/retention/journal.py) says was purged after the backup was taken.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sqlite3
import subprocess
import tomllib
from collections.abc import Callable
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection, connections
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = 1
CHUNK = 1024 * 1024
MANIFEST = "manifest.json"
Progress = Callable[[str], None]


class BackupError(Exception):
    """A backup or restore was refused or failed; the message is Swedish and says what to do."""


def uppsikt_version() -> str:
    with (Path(settings.BASE_DIR) / "pyproject.toml").open("rb") as fh:
        return tomllib.load(fh)["project"]["version"]


def database_kind() -> str:
    return {"postgresql": "postgresql", "sqlite": "sqlite"}.get(connection.vendor, connection.vendor)


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def applied_migrations() -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        applied.setdefault(app, []).append(name)
    return {app: sorted(names) for app, names in sorted(applied.items())}


def row_counts() -> dict[str, int]:
    """Rows of every table Django manages (models of installed apps)."""
    tables = set(connection.introspection.table_names())
    counts = {}
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            table = model._meta.db_table
            if model._meta.managed and table in tables and table not in counts:
                cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
                counts[table] = cursor.fetchone()[0]
    return dict(sorted(counts.items()))


def _storage_files(storage, prefix: str = ""):
    dirs, files = storage.listdir(prefix or ".") if prefix == "" else storage.listdir(prefix)
    for name in sorted(files):
        yield f"{prefix}/{name}" if prefix else name
    for sub in sorted(dirs):
        yield from _storage_files(storage, f"{prefix}/{sub}" if prefix else sub)


def _copy_hashing(src, dest: Path) -> tuple[int, str]:
    digest, size = hashlib.sha256(), 0
    with dest.open("wb") as out:
        while block := src.read(CHUNK):
            out.write(block)
            digest.update(block)
            size += len(block)
    return size, digest.hexdigest()


def _pg_args() -> tuple[list[str], dict[str, str]]:
    s = connection.settings_dict
    args = ["-h", str(s.get("HOST") or "127.0.0.1"), "-p", str(s.get("PORT") or 5432),
            "-U", str(s.get("USER") or "postgres")]
    env = dict(os.environ)
    if s.get("PASSWORD"):
        env["PGPASSWORD"] = str(s["PASSWORD"])
    return args, env


def _run(cmd: list[str], env: dict[str, str], what: str) -> None:
    try:
        result = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise BackupError(f"{cmd[0]} saknas: installera PostgreSQL-klienten (samma huvudversion som servern).") \
            from None
    if result.returncode != 0:
        raise BackupError(f"{what} misslyckades: {result.stderr.strip()[-2000:]}")


# --- backup --------------------------------------------------------------------------------------------


def backup_create(*, out: Path, progress: Progress = lambda _m: None) -> dict:
    """Write a backup of the database and the stored files to `out` (a new or empty folder).

    Guarantees: the database part is one consistent snapshot (pg_dump's transaction; SQLite's backup
    API); files are streamed (constant memory) and hashed as they are copied; `manifest.json` is
    written last, so a folder without it is an incomplete backup. Returns the manifest.
    """
    out = Path(out)
    if out.exists() and any(out.iterdir()):
        raise BackupError(f"Mappen {out} är inte tom: välj en ny mapp för säkerhetskopian.")
    out.mkdir(parents=True, exist_ok=True)
    started = timezone.now()
    kind = database_kind()
    progress(f"Säkerhetskopierar databasen ({kind}) …")
    db_entry = _backup_database(out, kind, progress)
    progress(f"Databasen klar: {db_entry['size'] / 1e6:.1f} MB")
    files = _backup_files(out, progress)
    manifest = {
        "format": FORMAT,
        "uppsikt_version": uppsikt_version(),
        "created_at": started.isoformat(),
        "finished_at": timezone.now().isoformat(),
        "database": {"kind": kind, **db_entry},
        "migrations": applied_migrations(),
        "row_counts": row_counts(),
        "files": files,
    }
    tmp = out / (MANIFEST + ".tmp")
    tmp.write_text(json.dumps(manifest, indent=1, ensure_ascii=False), encoding="utf-8")
    tmp.replace(out / MANIFEST)
    return manifest


def _backup_database(out: Path, kind: str, progress: Progress) -> dict:
    if kind == "postgresql":
        path = out / "database.dump"
        args, env = _pg_args()
        _run(["pg_dump", "-Fc", "--no-owner", "--no-privileges", *args, "-f", str(path),
              connection.settings_dict["NAME"]], env, "pg_dump")
    elif kind == "sqlite":
        path = out / "database.sqlite3"
        connection.ensure_connection()
        dest = sqlite3.connect(path)
        try:
            def report(status, remaining, total):
                progress(f"  databas: {100 * (total - remaining) / max(total, 1):5.1f} %")

            connection.connection.backup(dest, pages=4096, progress=report)
        finally:
            dest.close()
    else:
        raise BackupError(f"Databasen {kind} stöds inte av backup (PostgreSQL och SQLite stöds).")
    return {"file": path.name, "size": path.stat().st_size, "sha256": sha256_file(path)}


def _backup_files(out: Path, progress: Progress) -> list[dict]:
    storage = default_storage
    media = out / "media"
    entries: list[dict] = []
    try:
        names = list(_storage_files(storage))
    except FileNotFoundError:  # no file stored yet
        names = []
    total_bytes = 0
    for n, name in enumerate(names, start=1):
        dest = media / name
        dest.parent.mkdir(parents=True, exist_ok=True)
        with storage.open(name, "rb") as src:
            size, digest = _copy_hashing(src, dest)
        total_bytes += size
        entries.append({"path": f"media/{name}", "size": size, "sha256": digest})
        if n % 100 == 0 or n == len(names):
            progress(f"  filer: {n}/{len(names)} ({total_bytes / 1e6:.1f} MB)")
    return entries


# --- restore -------------------------------------------------------------------------------------------


def manifest_read(src: Path) -> dict:
    path = Path(src) / MANIFEST
    if not path.is_file():
        raise BackupError(f"{path} saknas: mappen är ingen (hel) säkerhetskopia.")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise BackupError(f"{path} är ingen giltig JSON ({exc}).") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Okänt format på säkerhetskopian: {manifest.get('format')!r} (väntade {FORMAT}).")
    return manifest


def manifest_verify(*, src: Path, manifest: dict, progress: Progress = lambda _m: None) -> None:
    """Every file's size and SHA-256 against the manifest; BackupError naming each mismatch."""
    src = Path(src)
    entries = [{"path": manifest["database"]["file"], "size": manifest["database"]["size"],
                "sha256": manifest["database"]["sha256"]}, *manifest["files"]]
    bad = []
    for n, entry in enumerate(entries, start=1):
        path = src / entry["path"]
        if not path.resolve().is_relative_to(src.resolve()):
            bad.append(f"{entry['path']}: sökvägen pekar utanför säkerhetskopian")
        elif not path.is_file():
            bad.append(f"{entry['path']}: saknas")
        elif path.stat().st_size != entry["size"] or sha256_file(path) != entry["sha256"]:
            bad.append(f"{entry['path']}: kontrollsumman stämmer inte")
        if n % 100 == 0 or n == len(entries):
            progress(f"  kontrollerat {n}/{len(entries)} filer")
    if bad:
        raise BackupError("Säkerhetskopian är skadad eller ändrad; inget har återställts:\n  " + "\n  ".join(bad[:50]))


def _database_empty() -> bool:
    return not connection.introspection.table_names()


def _storage_empty() -> bool:
    try:
        return not any(True for _ in _storage_files(default_storage))
    except FileNotFoundError:
        return True


def restore_run(*, src: Path, force: bool = False, progress: Progress = lambda _m: None) -> dict:
    """Restore the backup in `src` into the configured database and storage.

    Guarantees: nothing is touched unless every checksum matches, the database kind matches and the
    code knows every migration the backup has; a non-empty database or storage is refused unless
    `force` (then it is emptied first); a backup from an older Uppsikt is migrated; then everything
    the purge journal records as purged after the backup was taken is purged again. Returns a summary
    with the row counts of the backup and of the restored database.
    """
    from django.core.management import call_command
    from django.db.migrations.loader import MigrationLoader

    src = Path(src)
    manifest = manifest_read(src)
    kind = manifest["database"]["kind"]
    if kind != database_kind():
        raise BackupError(f"Säkerhetskopian är från {kind} men den inställda databasen är {database_kind()}.")
    known = {(app, name) for app, name in MigrationLoader(None, ignore_no_migrations=True).disk_migrations}
    unknown = sorted(f"{app}.{name}" for app, names in manifest["migrations"].items() for name in names
                     if (app, name) not in known)
    if unknown:
        raise BackupError("Säkerhetskopian är från en nyare Uppsikt (okända migreringar: "
                          + ", ".join(unknown[:10]) + "); uppgradera först.")
    progress("Kontrollerar kontrollsummorna …")
    manifest_verify(src=src, manifest=manifest, progress=progress)
    if not force and not _database_empty():
        raise BackupError("Databasen är inte tom: återställ till en tom databas, "
                          "eller ange --force för att ersätta den.")
    if not force and not _storage_empty():
        raise BackupError(f"Fillagringen ({settings.MEDIA_ROOT}) är inte tom: ange --force för att ersätta den.")
    progress("Återställer databasen …")
    _restore_database(src / manifest["database"]["file"], kind)
    progress("Återställer filerna …")
    _restore_files(src, manifest["files"], progress)
    pending = _unapplied_migrations()
    if pending:
        progress(f"Migrerar ({len(pending)} nya migreringar sedan säkerhetskopian) …")
        call_command("migrate", interactive=False, verbosity=0)
    progress("Gallrar igen det som gallrats efter säkerhetskopian (gallringsjournalen) …")
    from records.retention.journal import purge_journal_reapply

    since = dt.datetime.fromisoformat(manifest["created_at"])
    purged = purge_journal_reapply(since=since, progress=progress)
    return {"manifest": manifest, "row_counts": row_counts(), "purge": purged, "migrated": len(pending)}


def _unapplied_migrations() -> list:
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    return executor.migration_plan(executor.loader.graph.leaf_nodes())


def _restore_database(path: Path, kind: str) -> None:
    if kind == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA IF EXISTS public CASCADE")
            cursor.execute("CREATE SCHEMA public")
        connections.close_all()
        args, env = _pg_args()
        _run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction", *args,
              "-d", connection.settings_dict["NAME"], str(path)], env, "pg_restore")
    else:
        connection.ensure_connection()
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
    connections.close_all()


def _restore_files(src: Path, entries: list[dict], progress: Progress) -> None:
    storage = default_storage
    try:
        for name in list(_storage_files(storage)):
            storage.delete(name)
    except FileNotFoundError:
        pass
    total = 0
    for n, entry in enumerate(entries, start=1):
        name = entry["path"].removeprefix("media/")
        with (src / entry["path"]).open("rb") as fh:
            saved = storage.save(name, File(fh, name=os.path.basename(name)))
        if saved != name:
            raise BackupError(f"Filen {name} kunde inte återställas under sitt namn (blev {saved}).")
        total += entry["size"]
        if n % 100 == 0 or n == len(entries):
            progress(f"  filer: {n}/{len(entries)} ({total / 1e6:.1f} MB)")


def storage_sums() -> dict[str, str]:
    """{name: sha256} of every stored file (for checks and tests)."""
    sums = {}
    try:
        names = list(_storage_files(default_storage))
    except FileNotFoundError:
        return sums
    for name in names:
        digest = hashlib.sha256()
        with default_storage.open(name, "rb") as fh:
            while block := fh.read(CHUNK):
                digest.update(block)
        sums[name] = digest.hexdigest()
    return sums
