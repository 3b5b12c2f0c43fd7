"""Load and faults: 50 concurrent users against gunicorn with PostgreSQL, Redis and Celery on
this machine, with Redis restarted and a Celery worker killed during the run.

    .venv/bin/python bench/load.py                  # 5 minutes, 50 users
    .venv/bin/python bench/load.py --duration 120   # shorter, on a shared machine

Users (locust, in this process): analysts signing in with a password and logging accounts
through the entry page; supervisors with API tokens approving and submitting requests waiting
for approval; API clients with tokens listing accounts and takedowns and creating accounts and
draft requests (which they send for approval). A third of the accounts logged (page and API)
are strong mirrors of removed accounts prepared beforehand, so supervisors are notified (in-app,
and by e-mail for three of them, which is a Celery task) and webhooks are posted to a receiver in
this process (every approval, submission and mirror is a Celery task). It prints the throughput,
the p95 of each operation and the errors, waits until the outbox, the broker and the deliveries
are settled, then checks that every write answered 2xx/3xx is in the database exactly once,
every expected notification exists exactly once, every e-mail was sent and every webhook
delivered, none twice, and no task was left in the outbox.

It runs its own Redis (`redis-server` on --redis-port, append-only file on, as in production)
so restarting it disturbs nobody else (it stays down --redis-down seconds), two Celery workers
of which one is SIGKILLed (its whole process group, as when a machine is lost) and started again,
and beat (the outbox drain). Redis redelivers a killed worker's tasks after the visibility
timeout, 60 s here (an hour by default). Rate limits per address are off (every user comes from
127.0.0.1). The database is bench/common.py's (`tracker_bench`, BENCH_DATABASE_URL), migrated
first; DEBUG is off. Static files and media are kept in var/bench-load/ between runs; the load
users share one password hash. The users and the clock start once every gunicorn worker answers
quickly.
"""

# ruff: noqa: E402  (locust must patch the standard library before anything else is imported)
import gevent.monkey

gevent.monkey.patch_all()

import argparse
import contextlib
import email
import email.header
import os
import random
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
VAR_DIR = ROOT / "var" / "bench-load"
PASSWORD = "load-test-password-2026"  # nosec B105: bench users on the bench database only
WRITES: dict[str, list[str]] = {"page_account": [], "api_account": [], "api_takedown": []}
ACTIONS: dict[str, list[int]] = {"approve": [], "submit": []}
USERS: dict = {}
# Removed accounts' handles waiting to be mirrored, and the mirrors logged (answered 2xx/3xx).
REMOVED: list[str] = []
MIRRORS: list[str] = []
MIRROR_SHARE = 1 / 3
# Supervisors who get e-mail: each notification to them is an e-mail task.
EMAIL_SUPERVISORS = 3
# What the webhook receiver got: X-Tracker-Delivery (the event id) of every POST.
RECEIVED: list[str] = []
# When the users started: rows from earlier runs on the bench database are not this run's.
RUN: dict = {}
LETTERS = "bcdfghjkmnpqrstvwxz"  # no vowels, no digits: a mirror swaps one letter for a digit
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def environment(redis_port: int, folder: Path) -> dict:
    env = dict(os.environ)
    env.update(
        # Static files and media in a folder kept between runs: collecting and compressing the
        # static files (63 MB with the fonts) takes minutes on a busy machine, so once only.
        TRACKER_VAR_DIR=str(VAR_DIR),
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
        # A killed worker's unacknowledged tasks come back after this long, within the run.
        CELERY_VISIBILITY_TIMEOUT="60",
        # The webhook receiver is this process, on 127.0.0.1.
        OUTBOUND_ALLOWED_NETWORKS="127.0.0.1/32",
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(folder / "mail"),
    )
    return env


class Processes:
    """Redis, gunicorn and the Celery workers of one run."""

    def __init__(self, env: dict, redis_port: int, web_port: int, folder: Path):
        self.env, self.redis_port, self.web_port, self.folder = env, redis_port, web_port, folder
        self.redis = self.web = None
        self.workers: dict[str, subprocess.Popen] = {}
        self.killed: set[str] = set()  # killed on purpose: not started again by the watch
        self.exits: list[str] = []  # workers that exited by themselves

    def _log(self, name: str):
        return (self.folder / f"{name}.log").open("ab")

    def start_redis(self):
        self.redis = subprocess.Popen(  # nosec B603 B607
            ["redis-server", "--port", str(self.redis_port), "--appendonly", "yes",
             "--appendfsync", "everysec", "--dir", str(self.folder), "--save", ""],
            stdout=self._log("redis"), stderr=subprocess.STDOUT,
        )  # fmt: skip
        time.sleep(0.5)

    def restart_redis(self, down: float) -> float:
        """Stop Redis (SIGTERM, as a restart does), keep it down `down` seconds, start it."""
        started = time.monotonic()
        self.redis.terminate()
        self.redis.wait(timeout=20)
        gevent.sleep(down)
        self.start_redis()
        return time.monotonic() - started

    def start_web(self, workers: int):
        self.workers_count = workers
        self.web = subprocess.Popen(  # nosec B603
            [str(ROOT / ".venv" / "bin" / "gunicorn"), "tracker.wsgi", "-w", str(workers),
             "--threads", "4", "-b", f"127.0.0.1:{self.web_port}", "--timeout", "120",
             # Longer than the users' pause (1-3 s): at the default 2 s the server closed kept-alive
             # connections as the client reused them ("connection reset by peer").
             "--keep-alive", "10"],
            cwd=ROOT, env=self.env, stdout=self._log("web"), stderr=subprocess.STDOUT,
        )  # fmt: skip

    def warm_up(self, key: str, limit: float = 600) -> float:
        """Wait until every gunicorn worker answers quickly. A worker imports the views on its
        first request, which took 40 s and more on the busy machine: a run that started the
        users at once (and lasted under a minute) saw no request complete at all."""
        import requests

        started, quick = time.monotonic(), 0
        urls = ["/auth/login/", "/api/v1/accounts/?page_size=50", "/api/v1/takedowns/"]
        while quick < 12 * self.workers_count:
            if time.monotonic() - started > limit:
                sys.exit(f"gunicorn did not answer within {limit:.0f} s: see {self.folder}")
            before = time.monotonic()
            try:
                response = requests.get(  # a new connection each time: any worker may take it
                    f"http://127.0.0.1:{self.web_port}{urls[quick % len(urls)]}",
                    headers={"Authorization": f"Token {key}", "Connection": "close"},
                    timeout=120,
                )
                fast = response.status_code == 200 and time.monotonic() - before < 1
            except requests.RequestException:
                fast = False
                time.sleep(1)
            quick = quick + 1 if fast else 0
        return time.monotonic() - started

    def start_worker(self, name: str):
        self.workers[name] = subprocess.Popen(  # nosec B603
            [PYTHON, "-m", "celery", "-A", "tracker", "worker", "-c", "2", "-n", f"{name}@%h",
             "--loglevel=INFO"],
            cwd=ROOT, env=self.env, stdout=self._log(name), stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: the kill takes the pool too
        )  # fmt: skip

    def start_beat(self):
        self.beat = subprocess.Popen(  # nosec B603
            [PYTHON, "-m", "celery", "-A", "tracker", "beat", "--loglevel=INFO"],
            cwd=ROOT, env=self.env, stdout=self._log("beat"), stderr=subprocess.STDOUT,
        )  # fmt: skip

    def kill_worker(self, name: str):
        """SIGKILL the worker and its pool processes at once (a lost machine, the OOM killer)."""
        self.killed.add(name)
        with contextlib.suppress(ProcessLookupError):  # it had exited already (watch_workers)
            os.killpg(self.workers[name].pid, signal.SIGKILL)
        self.workers[name].wait(timeout=20)

    def revive_worker(self, name: str):
        self.killed.discard(name)
        self.start_worker(name)

    def watch_workers(self, started: float):
        """Start again a worker that exited by itself, as Docker's `restart: unless-stopped`
        does: kombu 5.7's Redis transport can end a worker ("Unrecoverable error") when Redis
        goes away while it holds unacknowledged tasks (docs/operations.md)."""
        while True:
            gevent.sleep(2)
            for name, process in list(self.workers.items()):
                if name not in self.killed and process.poll() is not None:
                    self.exits.append(name)
                    at = time.monotonic() - started
                    print(f"[{at:5.0f} s] worker {name} exited by itself "
                          f"(code {process.returncode}); started again", flush=True)  # fmt: skip
                    self.start_worker(name)

    def stop(self):
        for process in [self.web, getattr(self, "beat", None), *self.workers.values(),
                        self.redis]:  # fmt: skip
            if process and process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()


def prepare(users: int, removed: int, receiver_url: str) -> None:
    """Migrate the bench database, create the load users and their tokens, the removed accounts
    the load will mirror and a webhook subscription to every event."""
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group, Permission
    from django.core.management import call_command

    from accounts.models import Platform
    from tracker.api.tokens import api_token_issue
    from tracker.models import ApiToken, User
    from tracker.roles import ANALYST, SUPERVISOR, sync_roles

    call_command("migrate", verbosity=0)
    manifest = VAR_DIR / "staticfiles" / "staticfiles.json"
    newest = max(f.stat().st_mtime for f in (ROOT / "static").rglob("*") if f.is_file())
    if not manifest.exists() or manifest.stat().st_mtime < newest:
        call_command("collectstatic", interactive=False, verbosity=0)
    sync_roles(Group, Permission)
    Platform.objects.get_or_create(slug="telegram", defaults={"name": "Telegram"})
    roles = {"analyst": ANALYST, "supervisor": SUPERVISOR, "client": ANALYST}
    # Hashing the password once (the production hasher, PBKDF2) and copying the hash to every
    # load user: hashing it per user took over five minutes on a busy 2-core machine.
    hashed = make_password(PASSWORD)
    ApiToken.objects.filter(user__username__startswith="load-").delete()
    for kind, role in roles.items():
        USERS[kind] = []
        group = Group.objects.get(name=role)
        for n in range(users):
            user, _created = User.objects.get_or_create(username=f"load-{kind}-{n}")
            user.password, user.is_active = hashed, True
            user.save(update_fields=["password", "is_active"])
            user.groups.set([group])
            _token, key = api_token_issue(
                user=user, name=f"load {uuid.uuid4().hex[:6]}", scope=ApiToken.Scope.WRITE
            )
            USERS[kind].append((user.username, key))
    # Three supervisors want e-mail; no other user of the bench database does.
    User.objects.exclude(username__startswith="load-").update(email_notifications=False)
    User.objects.filter(username__startswith="load-").update(email="", email_notifications=False)
    for username, _key in USERS["supervisor"][:EMAIL_SUPERVISORS]:
        User.objects.filter(username=username).update(
            email=f"{username}@bench.invalid", email_notifications=True
        )
    _prepare_removed(removed)
    _prepare_webhook(receiver_url)
    # Task calls an earlier, interrupted run left behind would be published into this one.
    from tracker.models import OutboxMessage

    OutboxMessage.objects.all().delete()


def _prepare_removed(count: int) -> None:
    """Removed Telegram accounts, new ones each run, on the watch list: a handle of consonants
    whose mirror swaps one letter for a digit (same folded handle: a strong match)."""
    from accounts.choices import AccountStatus
    from accounts.services import account_create
    from tracker.models import User

    analyst = User.objects.get(username="load-analyst-0")
    run = "".join(random.choices(LETTERS, k=4))  # nosec B311: handles, not secrets
    started = time.monotonic()
    for _n in range(count):
        handle = f"qz{run}{''.join(random.choices(LETTERS, k=8))}s"  # nosec B311
        account_create(user=analyst, value=handle, platform="telegram",
                       status=AccountStatus.REMOVED)  # fmt: skip
        REMOVED.append(handle)
    print(f"{count} removed accounts on the watch list in {time.monotonic() - started:.0f} s")
    probe = _mirror_of(REMOVED[0])
    from accounts.models import Platform
    from accounts.services import mirror_check

    found = mirror_check(platform=Platform.objects.get(slug="telegram"), handle=probe, limit=1)
    if not (found and found[0].strong):
        sys.exit(f"{probe} is not a strong mirror of {REMOVED[0]}: the load would notify no one")


def _mirror_of(handle: str) -> str:
    return handle[:-1] + "5"  # s -> 5: the same handle once folded


def _prepare_webhook(url: str) -> None:
    from takedowns.choices import WebhookEvent
    from takedowns.models import WebhookSubscription
    from tracker.models import User

    WebhookSubscription.objects.update(is_active=False)
    WebhookSubscription.objects.create(
        name="load receiver",
        secret=uuid.uuid4().hex,
        url=url,
        events=[choice.value for choice in WebhookEvent],
        created_by=User.objects.get(username="load-supervisor-0"),
    )


def _next_handle(prefix: str) -> tuple[str, bool]:
    """A handle to log: a third of the time a removed account's mirror, else a new one."""
    if REMOVED and random.random() < MIRROR_SHARE:  # nosec B311
        return _mirror_of(REMOVED.pop()), True
    return _unique_handle(prefix), False


def webhook_receiver(port: int):
    """An HTTP server in this process that answers 200 to every POST and keeps the event id."""
    from gevent.pywsgi import WSGIServer

    def application(environ, start_response):
        length = int(environ.get("CONTENT_LENGTH") or 0)
        environ["wsgi.input"].read(length)
        RECEIVED.append(environ.get("HTTP_X_TRACKER_DELIVERY", ""))
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"ok"]

    server = WSGIServer(("127.0.0.1", port), application, log=None)
    server.start()
    return server


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
        with self.client.post(
            "/auth/login/",
            {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            name="page: sign in",
            allow_redirects=False,
            catch_response=True,
        ) as response:  # a refused sign-in answers 200 with the form again
            if response.status_code != 302 or "/auth/" in response.headers.get("Location", ""):
                response.failure(f"not signed in: HTTP {response.status_code}")

    @task(3)
    def account_list(self):
        self.client.get("/accounts/", name="page: account list")

    @task(2)
    def log_account(self):
        form = self.client.get("/accounts/new/", name="page: entry form")
        match = CSRF.search(form.text)
        if not match:
            return
        handle, mirror = _next_handle("pg")
        with self.client.post(
            "/accounts/new/",
            {"value": f"https://t.me/{handle}", "csrfmiddlewaretoken": match.group(1)},
            name="page: log a mirror" if mirror else "page: log an account",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code == 302:
                WRITES["page_account"].append(handle)
                if mirror:
                    MIRRORS.append(handle)
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
        handle, mirror = _next_handle("api")
        response = self.client.post(
            "/api/v1/accounts/",
            json={"handle": f"https://t.me/{handle}"},
            name="api: create a mirror" if mirror else "api: create account",
        )
        if response.status_code != 201:
            return
        WRITES["api_account"].append(handle)
        if mirror:
            MIRRORS.append(handle)
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
        for item in waiting.json().get("results", [])[:1] if waiting.status_code == 200 else []:
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
            done = 200 <= response.status_code < 300  # .ok would re-raise a connection error
            if done:
                ACTIONS[action].append(takedown)
            return done


def settled() -> dict:
    """What is still in flight: outbox rows, broker messages (queued or unacknowledged),
    webhook deliveries not yet posted, notifications waiting for their e-mail."""
    import redis

    from takedowns.models import Notification, WebhookDelivery
    from tracker.models import OutboxMessage

    try:
        client = redis.Redis.from_url(os.environ["REDIS_URL"], socket_connect_timeout=2)
        broker = sum(client.llen(key) for key in client.scan_iter("celery*") if
                     client.type(key) == b"list") + client.hlen("unacked")  # fmt: skip
    except redis.RedisError:
        broker = -1
    return {
        "outbox": OutboxMessage.objects.count(),
        "broker": broker,
        "deliveries": WebhookDelivery.objects.filter(
            status="pending", created_at__gte=RUN["start"]
        ).count(),
        "e-mails": Notification.objects.filter(
            user__email_notifications=True, emailed_at__isnull=True, created_at__gte=RUN["start"]
        )
        .exclude(user__email="")
        .count(),
    }


def wait_until_settled(limit: float) -> float:
    started = time.monotonic()
    while True:
        state = settled()
        if not any(state.values()) or time.monotonic() - started > limit:
            waited = time.monotonic() - started
            print(f"  after {waited:.0f} s still in flight: {state}", flush=True)
            return time.monotonic() - started
        gevent.sleep(5)


def mails(folder: Path) -> list[tuple[str, str]]:
    """(recipient, subject) of every e-mail the workers wrote (file backend, one file each)."""
    sent = []
    for path in sorted((folder / "mail").glob("*.log")):
        for chunk in path.read_bytes().split(b"-" * 79):
            if not chunk.strip():
                continue
            message = email.message_from_bytes(chunk.strip())
            subject = str(email.header.make_header(email.header.decode_header(message["Subject"])))
            sent.append((message["To"], " ".join(subject.split())))  # unfolded
    return sent


def verify(folder: Path) -> dict:
    """Every write that was answered is in the database exactly once; every expected
    notification exists once, was e-mailed once when its user wants e-mail; every webhook
    delivery was posted, and none twice."""
    from collections import Counter

    from django.db.models import Count

    from accounts.models import FlaggedAccount, MirrorCandidate
    from takedowns.models import Notification, TakedownRequest, WebhookDelivery
    from takedowns.notifications import supervisors
    from tracker.models import OutboxMessage

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

    # Notifications: every strong candidate of an account logged in the run tells every
    # supervisor once (key mirror:<candidate>).
    strong = list(
        MirrorCandidate.objects.filter(account__handle__in=handles, strong=True).values_list(
            "pk", flat=True
        )
    )
    mirrored = set(
        MirrorCandidate.objects.filter(account__handle__in=MIRRORS, strong=True).values_list(
            "account__handle", flat=True
        )
    )
    bosses = list(supervisors())
    expected = {(u.pk, f"mirror:{pk}") for u in bosses for pk in strong}
    made = Counter(
        Notification.objects.filter(dedupe_key__in=[f"mirror:{pk}" for pk in strong]).values_list(
            "user_id", "dedupe_key"
        )
    )
    wanting = {u.pk: u.email for u in bosses if u.email_notifications and u.email}
    to_mail = Counter(
        (wanting[user_id], " ".join(title.split()))
        for user_id, title in Notification.objects.filter(
            dedupe_key__in=[f"mirror:{pk}" for pk in strong], user_id__in=list(wanting)
        ).values_list("user_id", "title")
    )
    sent = Counter(mails(folder))
    this_run = WebhookDelivery.objects.filter(created_at__gte=RUN["start"])
    deliveries = dict(this_run.values("status").annotate(n=Count("pk")).values_list("status", "n"))
    posted = Counter(RECEIVED)
    event_ids = {str(e) for e in this_run.values_list("event_id", flat=True)}
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
        "mirrors logged": len(MIRRORS),
        "mirrors not scored strong": len(set(MIRRORS) - mirrored),
        "strong candidates": len(strong),
        "supervisors": len(bosses),
        "notifications expected": len(expected),
        "notifications missing": len(expected - set(made)),
        "notifications unexpected": len(set(made) - expected),
        "notifications doubled": doubled,
        "e-mails expected": len(to_mail),
        "e-mails sent": sum(sent.values()),
        "e-mails not expected": sum(n for key, n in sent.items() if key not in to_mail),
        "e-mails missing": sum(1 for key in to_mail if key not in sent),
        "e-mails twice": sum(1 for key in to_mail if sent[key] > 1),
        "webhook deliveries": sum(deliveries.values()),
        "deliveries not succeeded": sum(n for st, n in deliveries.items() if st != "succeeded"),
        "webhooks received": len(RECEIVED),
        "webhooks never received": len(event_ids - set(posted)),
        "webhooks received twice": sum(1 for n in posted.values() if n > 1),
        "outbox rows left": OutboxMessage.objects.count(),
    }


def log_count(folder: Path, pattern: str) -> int:
    """Lines of the servers' logs matching `pattern`; with a group, the sum of its numbers."""
    regex, total = re.compile(pattern.encode()), 0
    for path in folder.glob("*.log"):
        for line in path.open("rb"):
            match = regex.search(line)
            if match:
                total += int(match.group(1)) if regex.groups else 1
    return total


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


def _load() -> str:
    return "/".join(f"{value:.1f}" for value in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=300, help="seconds (default 300)")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--web-workers", type=int, default=3)
    parser.add_argument("--web-port", type=int, default=8790)
    parser.add_argument("--redis-port", type=int, default=6391)
    parser.add_argument("--receiver-port", type=int, default=8791)
    parser.add_argument("--redis-down", type=float, default=10, help="seconds Redis stays down")
    parser.add_argument("--removed", type=int, default=300, help="removed accounts to mirror")
    parser.add_argument("--settle", type=float, default=300, help="longest wait after the run")
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
    receiver = webhook_receiver(args.receiver_port)
    print("Preparing the database and the load users...", flush=True)
    prepare(max(args.users // 2, 1), args.removed,
            f"http://127.0.0.1:{args.receiver_port}/hook")  # fmt: skip
    print("Starting gunicorn, two Celery workers and beat...", flush=True)
    processes.start_web(args.web_workers)
    processes.start_worker("w1")
    processes.start_worker("w2")
    processes.start_beat()
    seconds = processes.warm_up(USERS["client"][0][1])
    print(
        f"gunicorn answering quickly after {seconds:.0f} s; starting {args.users} users "
        f"(load average {_load()})",
        flush=True,
    )
    env = Environment(user_classes=[Analyst, ApiClient, Supervisor], events=events,
                      host=f"http://127.0.0.1:{args.web_port}")  # fmt: skip
    runner = env.create_local_runner()
    started = time.monotonic()
    from django.utils import timezone

    RUN["start"] = timezone.now()
    try:
        runner.start(args.users, spawn_rate=10)
        watch = gevent.spawn(processes.watch_workers, started)
        faults = [] if args.no_faults else [
            (args.duration / 3, f"restart Redis, down {args.redis_down:.0f} s",
             lambda: processes.restart_redis(args.redis_down)),
            (args.duration / 2, "kill worker w1 and its pool (SIGKILL)",
             lambda: processes.kill_worker("w1")),
            (args.duration / 2 + 15, "start worker w1 again",
             lambda: processes.revive_worker("w1")),
        ]  # fmt: skip
        for at, what, action in faults:
            gevent.sleep(max(0.0, at - (time.monotonic() - started)))
            result = action()
            extra = f" ({result:.1f} s)" if isinstance(result, float) else ""
            print(f"[{time.monotonic() - started:5.0f} s] {what}{extra}; load average {_load()}",
                  flush=True)  # fmt: skip
        gevent.sleep(max(0.0, args.duration - (time.monotonic() - started)))
        runner.quit()
        seconds = time.monotonic() - started
        print(f"load average at the end {_load()}")
        report(env, seconds)
        print("\nWaiting for the outbox, the broker, the deliveries and the e-mails...", flush=True)
        wait_until_settled(args.settle)
        print("\nWrites checked against the database:")
        for name, value in verify(folder).items():
            print(f"  {name:28} {value}")
        print("\nFrom the servers' logs:")
        for name, pattern in [
            ("publishes kept in the outbox", r"stays in the outbox"),
            ("tasks the drain published", r"outbox drain published (\d+) task"),
            ("tasks received by workers", r"Task \S+\[\S+\] received"),
            ("tasks failed", r"task \S+\[\S+\] failed"),
            ("server errors (500)", r"Internal Server Error"),
        ]:
            print(f"  {name:28} {log_count(folder, pattern)}")
        print(f"  {'workers that exited alone':28} {len(processes.exits)}")
        print(f"\nLogs of the servers: {folder}")
        watch.kill()
    finally:
        receiver.stop()
        processes.stop()


if __name__ == "__main__":
    main()
