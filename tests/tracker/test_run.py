"""`make serve` (the Procfile under honcho, what `make run` ends with): one SIGTERM or Ctrl-C
to its process group stops web, worker and beat, each once, quietly and without a crash."""

import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.workers import free_port

BASE_DIR = Path(__file__).resolve().parents[2]
STOP_DEADLINE = 15  # seconds from the signal until every process is gone
START_DEADLINE = 120


def web_answers(port: int) -> bool:
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{port}/health/", timeout=2)
    except urllib.error.HTTPError:
        return True  # an answer (the health check may say 503 while the worker starts)
    except OSError:
        return False
    return True


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@pytest.fixture(scope="module")
def sqlite_env(tmp_path_factory):
    """The development setup: SQLite and the filesystem broker in a temporary folder."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(TRACKER_VAR_DIR=str(tmp_path_factory.mktemp("var")), PYTHONUNBUFFERED="1")
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v0"],
        cwd=BASE_DIR,
        env=env,
        check=True,
        capture_output=True,
    )
    return env


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "Ctrl-C"])
def test_a_signal_to_the_process_group_stops_web_worker_and_beat_once(signum, sqlite_env, tmp_path):
    port = free_port()
    log_path = tmp_path / "run.log"
    with log_path.open("wb") as log:
        make = subprocess.Popen(
            ["make", "--no-print-directory", "serve", f"PORT={port}"],
            cwd=BASE_DIR,
            env=sqlite_env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, as a terminal gives `make run`
        )
    try:
        started = time.monotonic()
        while not (web_answers(port) and "ready." in log_path.read_text(errors="replace")):
            assert make.poll() is None, log_path.read_text(errors="replace")
            assert time.monotonic() - started < START_DEADLINE, log_path.read_text()
            time.sleep(0.5)
        before = log_path.read_text(errors="replace")
        pids = [int(pid) for pid in re.findall(r"\w+\.1 started \(pid=(\d+)\)", before)]
        assert len(pids) == 3, before

        os.killpg(make.pid, signum)
        signalled = time.monotonic()
        make.wait(timeout=STOP_DEADLINE)
        while any(group_alive(pid) for pid in pids):  # honcho runs each in its own group
            assert time.monotonic() - signalled < STOP_DEADLINE, "a process outlived the stop"
            time.sleep(0.2)
    finally:
        if make.poll() is None:
            os.killpg(make.pid, signal.SIGKILL)

    after = log_path.read_text(errors="replace")[len(before) :]
    assert len(after.splitlines()) < 50, after
    for name in ("web", "worker", "beat"):
        assert after.count(f"sending SIGTERM to {name}.1") == 1, after
        assert after.count(f"{name}.1 stopped") == 1, after
    assert after.count("Warm shutdown") == 1, after
    for crash in ("Traceback", "Segmentation fault", "core dumped", "SIGKILL"):
        assert crash not in after, after
