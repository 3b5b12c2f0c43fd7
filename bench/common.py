"""What every benchmark shares: Django set up against its own PostgreSQL database.

Benchmarks run on `tracker_bench` (BENCH_DATABASE_URL overrides it), never on the database the
tests or the app use, and with DEBUG off, as in production.
"""

import io
import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/tracker_bench"


def database_url() -> str:
    """The bench database's URL."""
    return os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)


def ensure_database(url: str) -> None:
    """Create the bench database if it does not exist yet."""
    import psycopg2
    from psycopg2 import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = psycopg2.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password,
        dbname="postgres",
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    admin.close()


def setup_django() -> None:
    """Point Django at the bench database, production-like (DEBUG off), and set it up."""
    url = database_url()
    if not url.startswith("postgres"):
        sys.exit("The benchmarks need PostgreSQL: set BENCH_DATABASE_URL=postgres://...")
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_DEBUG", "false")
    os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only-secret-key-not-for-production")
    if not os.environ.get("DISCLOSURE_KEYS"):
        # Production settings want the encryption keys from the environment: a throw-away one.
        from cryptography.fernet import Fernet

        os.environ["DISCLOSURE_KEYS"] = Fernet.generate_key().decode()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def copy(cursor, table: str, columns: list[str], rows, batch: int = 100_000) -> int:
    """Stream rows (tuples of already formatted text) into a table with COPY; returns the count."""
    count, buffer = 0, io.StringIO()
    statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    for row in rows:
        buffer.write("\t".join(row))
        buffer.write("\n")
        count += 1
        if count % batch == 0:
            buffer.seek(0)
            cursor.copy_expert(statement, buffer)
            buffer = io.StringIO()
    buffer.seek(0)
    cursor.copy_expert(statement, buffer)
    return count
