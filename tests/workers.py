"""Real Celery workers, a private redis-server and a local HTTP server for the tests of
background work. Everything is bounded: waits poll with a timeout and processes are killed."""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import connection

from tracker.roles import sync_roles

from .conftest import need

ROOT = Path(__file__).resolve().parent.parent


def wait_for(predicate, *, timeout: float = 60, interval: float = 0.2, what: str = "a condition"):
    """Poll until predicate() is truthy and return it; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def redis_up(url: str) -> bool:
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=1)
        return bool(client.ping())
    except redis.RedisError:
        return False


def need_worker_services() -> None:
    """Skip locally (fail in CI) unless PostgreSQL and Redis are there for a real worker."""
    need(connection.vendor == "postgresql", "PostgreSQL (a worker process shares the test data)")
    need(bool(settings.REDIS_URL) and redis_up(settings.REDIS_URL), "Redis at REDIS_URL")


def worker_database_url() -> str:
    """The URL of the database this test run uses, for a worker process."""
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db.get("PASSWORD"):
        credentials += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def purge_broker(url: str) -> None:
    """Drop queued and unacknowledged messages left by earlier tests (only Celery's keys)."""
    client = redis.Redis.from_url(url)
    keys = [*client.scan_iter("celery*"), *client.scan_iter("unacked*")]
    if keys:
        client.delete(*keys)


def broker_idle(url: str) -> bool:
    """No message queued and none taken but unacknowledged (acks_late: still running)."""
    client = redis.Redis.from_url(url)
    queued = sum(client.llen(k) for k in client.scan_iter("celery*") if client.type(k) == b"list")
    return queued == 0 and client.hlen("unacked") == 0


class Worker:
    """`celery -A tracker worker` in its own process group, on the test database."""

    def __init__(
        self,
        log_dir: Path,
        *,
        redis_url: str,
        name: str = "w1",
        concurrency: int = 1,
        env: dict | None = None,
    ):
        self.log_path = log_dir / f"worker-{name}.log"
        self.log_path.write_text("")
        environment = {
            **os.environ,
            "DATABASE_URL": worker_database_url(),
            "DATABASE_CONN_MAX_AGE": "0",
            "REDIS_URL": redis_url,
            "DJANGO_SETTINGS_MODULE": "tracker.settings",
            "PYTHONUNBUFFERED": "1",
            **(env or {}),
        }
        with self.log_path.open("a") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "tracker",
                    "worker",
                    "--loglevel=INFO",
                    f"--concurrency={concurrency}",
                    "--pool=prefork",
                    "-n",
                    f"{name}@%h",
                    "--without-gossip",
                    "--without-mingle",
                    "--without-heartbeat",
                ],
                cwd=ROOT,
                env=environment,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_ready(self, timeout: float = 90) -> "Worker":
        def ready():
            if self.process.poll() is not None:
                raise AssertionError(f"worker exited early:\n{self.log()[-3000:]}")
            return " ready." in self.log()

        wait_for(ready, timeout=timeout, what="the worker to be ready")
        return self

    def pool_children(self) -> list[int]:
        out = subprocess.run(
            ["ps", "-o", "pid=", "--ppid", str(self.process.pid)], capture_output=True, text=True
        )
        return [int(p) for p in out.stdout.split()]

    def kill(self) -> None:
        """SIGKILL the whole worker (main process and pool), as a crash or OOM kill would."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.kill()


class PrivateRedis:
    """A redis-server of our own on a free port, which a test may stop and start again."""

    def __init__(self, log_dir: Path):
        need(shutil.which("redis-server") is not None, "redis-server")
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.dir = log_dir
        self.process = None

    def start(self) -> "PrivateRedis":
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.dir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(lambda: redis_up(self.url), timeout=20, what="the private redis-server")
        return self

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)


class RecordingServer:
    """A local HTTP server that records every request and answers from a script of statuses
    (the last one repeats); a request may be held until `release` is set."""

    def __init__(self, statuses=(200,), body: dict | None = None, hold_first: bool = False):
        self.statuses = list(statuses)
        self.body = json.dumps(body or {"ok": True}).encode()
        self.requests: list[dict] = []
        self.first_arrived = threading.Event()
        self.release = threading.Event()
        if not hold_first:
            self.release.set()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                index = len(server.requests)
                server.requests.append(
                    {
                        "method": self.command,
                        "path": self.path,
                        "headers": dict(self.headers),
                        "body": self.rfile.read(length),
                    }
                )
                server.first_arrived.set()
                if index == 0:
                    server.release.wait(timeout=120)
                status = server.statuses[min(index, len(server.statuses) - 1)]
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(server.body)))
                self.end_headers()
                self.wfile.write(server.body)

            do_GET = do_POST = _answer

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def broker(settings):
    """The real Redis, emptied of Celery messages; role groups restored after flushes."""
    need_worker_services()
    # transactional tests flush the tables, role groups included
    sync_roles(Group, Permission)
    purge_broker(settings.REDIS_URL)
    yield settings.REDIS_URL
    purge_broker(settings.REDIS_URL)


@pytest.fixture
def start_worker(tmp_path, broker):
    """start_worker(**options) starts a worker and waits until it is ready; all stop after."""
    workers = []

    def start(**options):
        options.setdefault("redis_url", broker)
        worker = Worker(tmp_path, name=f"w{len(workers) + 1}", **options)
        workers.append(worker)
        return worker.wait_ready()

    yield start
    for worker in workers:
        worker.stop()


@pytest.fixture
def http_server():
    """http_server(**options) starts a RecordingServer; all close after the test."""
    servers = []

    def start(**options):
        servers.append(RecordingServer(**options))
        return servers[-1]

    yield start
    for server in servers:
        server.close()
