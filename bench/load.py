"""Load and faults: 50 concurrent users against gunicorn with PostgreSQL, Redis and Celery on
this machine, with Redis restarted and a Celery worker killed during the run.

    .venv/bin/python bench/load.py                  # 5 minutes, 50 users
    .venv/bin/python bench/load.py --duration 120   # shorter, on a shared machine

Users (locust, in this process): analysts signing in with a password and logging accounts
through the entry page; supervisors with API tokens approving and submitting requests waiting
for approval; API clients with tokens listing accounts and takedowns and creating accounts and
draft requests (which they send for approval). It prints the throughput, the p95 of each
operation and the errors, then checks that every write answered 2xx/3xx is in the database
exactly once, and that no notification was made twice.

It runs its own Redis (`redis-server` on --redis-port, append-only file on, as in production)
so restarting it disturbs nobody else, and two Celery workers of which one is SIGKILLed and
started again. Rate limits per address are off (every user comes from 127.0.0.1). The database
is bench/common.py's (`tracker_bench`, BENCH_DATABASE_URL), migrated first; DEBUG is off.
"""

# ruff: noqa: E402  (locust must patch the standard library before anything else is imported)
import gevent.monkey

gevent.monkey.patch_all()

import argparse
import os
import re
import signal
import subprocess  # nosec B404: the bench starts its own servers
import sys
import tempfile
import time
import uuid
from pathlib import Path

import gevent
from locust import HttpUser, between, events, task
from locust.env import Environment

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import ROOT, database_url, ensure_database

PYTHON = str(ROOT / ".venv" / "bin" / "python")
PASSWORD = "load-test-password-2026"  # nosec B105: bench users on the bench database only
WRITES: dict[str, list[str]] = {"page_account": [], "api_account": [], "api_takedown": []}
ACTIONS: dict[str, list[int]] = {"approve": [], "submit": []}
USERS: dict = {}
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def environment(redis_port: int, folder: Path) -> dict:
    env = dict(os.environ)
    env.update(
        TRACKER_VAR_DIR=str(folder),
        DATABASE_URL=database_url(),
        REDIS_URL=f"redis://127.0.0.1:{redis_port}/0",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY="benchmark-only-secret-key-not-for-production",
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SSL_REDIRECT="false",
        DJANGO_SECURE_COOKIES="false",
        DISCLOSURE_KEYS="Zm9yLWJlbmNobWFya3Mtb25seS0wMDAwMDAwMDAwMDA=",
        API_RATE_PER_ADDRESS="",
        API_RATE_PER_USER="",
        API_RATE_PER_TOKEN="",
        DJANGO_SETTINGS_MODULE="tracker.settings",
    )
    return env


class Processes:
    """Redis, gunicorn and the Celery workers of one run."""

    def __init__(self, env: dict, redis_port: int, web_port: int, folder: Path):
        self.env, self.redis_port, self.web_port, self.folder = env, redis_port, web_port, folder
        self.redis = self.web = None
        self.workers: dict[str, subprocess.Popen] = {}

    def _log(self, name: str):
        return (self.folder / f"{name}.log").open("ab")

    def start_redis(self):
        self.redis = subprocess.Popen(  # nosec B603 B607
            ["redis-server", "--port", str(self.redis_port), "--appendonly", "yes",
             "--appendfsync", "everysec", "--dir", str(self.folder), "--save", ""],
            stdout=self._log("redis"), stderr=subprocess.STDOUT,
        )  # fmt: skip
        time.sleep(0.5)

    def restart_redis(self) -> float:
        started = time.monotonic()
        self.redis.terminate()
        self.redis.wait(timeout=20)
        self.start_redis()
        return time.monotonic() - started

    def start_web(self, workers: int):
        self.web = subprocess.Popen(  # nosec B603
            [str(ROOT / ".venv" / "bin" / "gunicorn"), "tracker.wsgi", "-w", str(workers),
             "--threads", "4", "-b", f"127.0.0.1:{self.web_port}", "--timeout", "60"],
            cwd=ROOT, env=self.env, stdout=self._log("web"), stderr=subprocess.STDOUT,
        )  # fmt: skip

    def start_worker(self, name: str):
        self.workers[name] = subprocess.Popen(  # nosec B603
            [PYTHON, "-m", "celery", "-A", "tracker", "worker", "-c", "2", "-n", f"{name}@%h",
             "--loglevel=WARNING"],
            cwd=ROOT, env=self.env, stdout=self._log(name), stderr=subprocess.STDOUT,
        )  # fmt: skip

    def kill_worker(self, name: str):
        self.workers[name].send_signal(signal.SIGKILL)
        self.workers[name].wait(timeout=20)

    def stop(self):
        for process in [self.web, *self.workers.values(), self.redis]:
            if process and process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()


def prepare(users: int) -> None:
    """Migrate the bench database and create the load users and their tokens."""
    from django.contrib.auth.models import Group, Permission
    from django.core.management import call_command

    from accounts.models import Platform
    from tracker.api.tokens import api_token_issue
    from tracker.models import ApiToken, User
    from tracker.roles import ANALYST, SUPERVISOR, sync_roles

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    sync_roles(Group, Permission)
    Platform.objects.get_or_create(slug="telegram", defaults={"name": "Telegram"})
    roles = {"analyst": ANALYST, "supervisor": SUPERVISOR, "client": ANALYST}
    for kind, role in roles.items():
        USERS[kind] = []
        for n in range(users):
            user, created = User.objects.get_or_create(username=f"load-{kind}-{n}")
            if created or not user.check_password(PASSWORD):
                user.set_password(PASSWORD)
                user.save()
            user.groups.set([Group.objects.get(name=role)])
            _token, key = api_token_issue(
                user=user, name=f"load {uuid.uuid4().hex[:6]}", scope=ApiToken.Scope.WRITE
            )
            USERS[kind].append((user.username, key))


def _unique_handle(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:12]}"


class Analyst(HttpUser):
    """Signs in with a password and logs accounts through the entry page."""

    weight = 2
    wait_time = between(1, 3)

    def on_start(self):
        username, _key = USERS["analyst"][hash(self) % len(USERS["analyst"])]
        page = self.client.get("/auth/login/", name="page: sign-in form")
        token = CSRF.search(page.text).group(1)
        self.client.post(
            "/auth/login/",
            {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            name="page: sign in",
        )

    @task(3)
    def account_list(self):
        self.client.get("/accounts/", name="page: account list")

    @task(2)
    def log_account(self):
        form = self.client.get("/accounts/new/", name="page: entry form")
        match = CSRF.search(form.text)
        if not match:
            return
        handle = _unique_handle("pg")
        with self.client.post(
            "/accounts/new/",
            {"value": f"https://t.me/{handle}", "csrfmiddlewaretoken": match.group(1)},
            name="page: log an account",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code == 302:
                WRITES["page_account"].append(handle)
            else:
                response.failure(f"HTTP {response.status_code}")


class ApiClient(HttpUser):
    """An integrating system: lists, creates accounts and drafts requests for approval."""

    weight = 2
    wait_time = between(1, 3)

    def on_start(self):
        _name, key = USERS["client"][hash(self) % len(USERS["client"])]
        self.client.headers["Authorization"] = f"Token {key}"

    @task(3)
    def list_accounts(self):
        self.client.get("/api/v1/accounts/?page_size=50", name="api: list accounts")

    @task(1)
    def list_takedowns(self):
        self.client.get("/api/v1/takedowns/?page_size=50", name="api: list takedowns")

    @task(2)
    def create_and_draft(self):
        handle = _unique_handle("api")
        response = self.client.post(
            "/api/v1/accounts/",
            json={"handle": f"https://t.me/{handle}"},
            name="api: create account",
        )
        if response.status_code != 201:
            return
        WRITES["api_account"].append(handle)
        reference = self.client.post(
            "/api/v1/takedowns/",
            json={"accounts": [response.json()["id"]], "legal_basis": "ATA 1997 s.11"},
            name="api: draft request",
        )
        if reference.status_code != 201:
            return
        takedown = reference.json()["id"]
        WRITES["api_takedown"].append(str(takedown))
        self.client.post(
            f"/api/v1/takedowns/{takedown}/request-approval/", json={},
            name="api: ask for approval",
        )  # fmt: skip


class Supervisor(HttpUser):
    """Approves and submits what waits for them, through the API."""

    weight = 1
    wait_time = between(1, 3)

    def on_start(self):
        _name, key = USERS["supervisor"][hash(self) % len(USERS["supervisor"])]
        self.client.headers["Authorization"] = f"Token {key}"

    @task
    def act_on_requests(self):
        waiting = self.client.get(
            "/api/v1/takedowns/?status=pending_approval&page_size=5", name="api: pending list"
        )
        for item in waiting.json().get("results", [])[:1] if waiting.ok else []:
            if self._act(item["id"], "approve"):
                self._act(item["id"], "submit")

    def _act(self, takedown: int, action: str) -> bool:
        with self.client.post(
            f"/api/v1/takedowns/{takedown}/{action}/", json={}, name=f"api: {action}",
            catch_response=True,
        ) as response:  # fmt: skip
            if response.status_code == 409:  # another supervisor was first: not an error
                response.success()
                return False
            if response.ok:
                ACTIONS[action].append(takedown)
            return response.ok


def verify() -> dict:
    """Every write that was answered is in the database exactly once; no doubled notification."""
    from django.db.models import Count

    from accounts.models import FlaggedAccount
    from takedowns.models import Notification, TakedownRequest

    handles = WRITES["page_account"] + WRITES["api_account"]
    found = dict(
        FlaggedAccount.objects.filter(handle__in=handles)
        .values("handle")
        .annotate(n=Count("pk"))
        .values_list("handle", "n")
    )
    takedowns = TakedownRequest.objects.filter(pk__in=[int(t) for t in WRITES["api_takedown"]])
    doubled = (
        Notification.objects.values("user_id", "dedupe_key")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .count()
    )
    approved = TakedownRequest.objects.filter(pk__in=ACTIONS["approve"])
    not_approved = approved.filter(status__in=["draft", "pending_approval"]).count()
    return {
        "accounts answered": len(handles),
        "accounts missing": sum(1 for h in handles if h not in found),
        "accounts twice": sum(1 for n in found.values() if n > 1),
        "requests answered": len(WRITES["api_takedown"]),
        "requests missing": len(WRITES["api_takedown"]) - takedowns.count(),
        "approvals answered": len(ACTIONS["approve"]),
        "approvals twice (same id)": len(ACTIONS["approve"]) - len(set(ACTIONS["approve"])),
        "approvals not in the db": not_approved + len(set(ACTIONS["approve"])) - approved.count(),
        "submissions answered": len(ACTIONS["submit"]),
        "notifications": Notification.objects.count(),
        "notifications doubled": doubled,
    }


def report(env: Environment, seconds: float) -> None:
    stats = env.stats
    total = stats.total
    rate = total.num_requests / seconds
    print(f"\n{total.num_requests} requests in {seconds:.0f} s: {rate:.1f}/s, "
          f"{total.num_failures} errors")  # fmt: skip
    print(f"{'operation':32} {'requests':>8} {'errors':>6} {'p50 ms':>7} {'p95 ms':>7}")
    for entry in sorted(stats.entries.values(), key=lambda e: e.name):
        print(f"{entry.name:32} {entry.num_requests:8d} {entry.num_failures:6d} "
              f"{entry.get_response_time_percentile(0.5):7.0f} "
              f"{entry.get_response_time_percentile(0.95):7.0f}")  # fmt: skip
    for error in stats.errors.values():
        print(f"  error: {error.method} {error.name}: {error.error} x{error.occurrences}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=300, help="seconds (default 300)")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--web-workers", type=int, default=3)
    parser.add_argument("--web-port", type=int, default=8790)
    parser.add_argument("--redis-port", type=int, default=6391)
    parser.add_argument("--no-faults", action="store_true")
    args = parser.parse_args()

    ensure_database(database_url())
    folder = Path(tempfile.mkdtemp(prefix="tracker-load-"))
    env_vars = environment(args.redis_port, folder)
    os.environ.update(env_vars)
    import django

    django.setup()
    processes = Processes(env_vars, args.redis_port, args.web_port, folder)
    processes.start_redis()
    print("Preparing the database and the load users...", flush=True)
    prepare(max(args.users // 2, 1))
    print("Starting gunicorn and two Celery workers...", flush=True)
    processes.start_web(args.web_workers)
    processes.start_worker("w1")
    processes.start_worker("w2")
    time.sleep(6)
    env = Environment(user_classes=[Analyst, ApiClient, Supervisor], events=events,
                      host=f"http://127.0.0.1:{args.web_port}")  # fmt: skip
    runner = env.create_local_runner()
    started = time.monotonic()
    try:
        runner.start(args.users, spawn_rate=10)
        faults = [] if args.no_faults else [
            (args.duration / 3, "restart Redis", processes.restart_redis),
            (args.duration / 2, "kill worker w1 (SIGKILL)", lambda: processes.kill_worker("w1")),
            (args.duration / 2 + 15, "start worker w1 again", lambda: processes.start_worker("w1")),
        ]  # fmt: skip
        for at, what, action in faults:
            gevent.sleep(max(0.0, at - (time.monotonic() - started)))
            result = action()
            extra = f" ({result:.1f} s)" if isinstance(result, float) else ""
            print(f"[{time.monotonic() - started:5.0f} s] {what}{extra}", flush=True)
        gevent.sleep(max(0.0, args.duration - (time.monotonic() - started)))
        runner.quit()
        seconds = time.monotonic() - started
        report(env, seconds)
        print("\nWaiting 30 s for the workers to finish queued work...", flush=True)
        time.sleep(30)
        print("\nWrites checked against the database:")
        for name, value in verify().items():
            print(f"  {name:28} {value}")
        print(f"\nLogs of the servers: {folder}")
    finally:
        processes.stop()


if __name__ == "__main__":
    main()
