"""Back up Casebook's PostgreSQL database with pg_dump, and prove the backup restores.

    .venv/bin/python scripts/backup_restore_check.py                       # DATABASE_URL
    .venv/bin/python scripts/backup_restore_check.py --database-url postgres://… --keep /var/backups/casebook

1. counts the rows of every table inside one REPEATABLE READ transaction and exports its
   snapshot, so that pg_dump (`--snapshot`) dumps exactly the rows that were counted, even
   while the site keeps writing;
2. dumps (custom format, `pg_dump -Fc`) into `--keep` (the backup to keep; a dated file) or a
   temporary folder;
3. restores the dump into a scratch database on the same server (`pg_restore --no-owner`),
   counts its rows, and drops it;
4. prints each table whose count differs, and exits 1 if any does (0 when every table matches).

Needs pg_dump and pg_restore of the server's major version or newer (`apt-get install
postgresql-client-15`) and a role that may create databases.
"""

# S603/S607: pg_dump and pg_restore found on PATH, as an operator runs them, with our own arguments.
# ruff: noqa: S603, S607

import argparse
import datetime
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg2
from psycopg2 import sql


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--keep", type=Path, help="folder to keep the dump in (default: a temporary one)")
    args = parser.parse_args()
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        parser.error("give a PostgreSQL --database-url (or DATABASE_URL)")
    return args


def with_database(url, name):
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def table_counts(cursor):
    cursor.execute(
        "SELECT table_name FROM information_schema.tables "
        "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name"
    )
    counts = {}
    for (table,) in cursor.fetchall():
        cursor.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)))
        counts[table] = cursor.fetchone()[0]
    return counts


def main():
    args = parse_args()
    name = urlsplit(args.database_url).path.lstrip("/")
    scratch = f"{name}_restore_check_{os.getpid()}"
    folder = args.keep or Path(tempfile.mkdtemp(prefix="casebook-backup-"))
    folder.mkdir(parents=True, exist_ok=True)
    dump = folder / f"{name}-{datetime.datetime.now(datetime.UTC):%Y%m%dT%H%M%SZ}.dump"

    source = psycopg2.connect(args.database_url)
    source.set_session(isolation_level="REPEATABLE READ", readonly=True)
    with source.cursor() as cursor:
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        before = table_counts(cursor)
        subprocess.run(
            ["pg_dump", "-Fc", f"--snapshot={snapshot}", "-f", str(dump), args.database_url],
            check=True,
        )
    source.close()
    print(
        f"dumped {sum(before.values())} rows in {len(before)} tables to {dump} ({dump.stat().st_size} bytes)"
    )

    admin = psycopg2.connect(with_database(args.database_url, "postgres"))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(scratch)))
    try:
        subprocess.run(
            [
                "pg_restore",
                "--no-owner",
                "--exit-on-error",
                "-d",
                with_database(args.database_url, scratch),
                str(dump),
            ],
            check=True,
        )
        restored_connection = psycopg2.connect(with_database(args.database_url, scratch))
        with restored_connection.cursor() as cursor:
            after = table_counts(cursor)
        restored_connection.close()
    finally:
        with admin.cursor() as cursor:
            cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(scratch)))
        admin.close()

    differences = {
        table: (before.get(table), after.get(table))
        for table in sorted(set(before) | set(after))
        if before.get(table) != after.get(table)
    }
    for table, (dumped, restored) in differences.items():
        print(f"MISMATCH {table}: {dumped} rows in the database, {restored} restored")
    if differences:
        sys.exit(1)
    print(
        f"restored into {scratch} and compared: all {len(before)} tables match ({sum(after.values())} rows)"
    )
    if args.keep is None:
        dump.unlink()
        folder.rmdir()


if __name__ == "__main__":
    main()
