"""Scale-out on a real Dask cluster on 127.0.0.1: a scheduler and two worker processes, the CLI's
--cluster and the Prefect flow's (prefect-dask, a real Prefect server). The lexicon and the n-gram
counts equal a local refresh of the same real text, through an incremental refresh too, and a worker
killed in the middle of its task leaves the result exact."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from newword.cluster import check_address
from tests.conftest import (
    DASK,
    NEWWORD,
    ROOT,
    dask_cluster,
    free_port,
    start,
    stop,
    version_tables,
    wait_for,
    write_lines,
)

pytestmark = [pytest.mark.xdist_group("prefect"), pytest.mark.cluster]

SMALL_SHARDS = {"NEWWORD_SHARD_CHARACTERS": "40000"}  # a few hundred lines a shard: several shards and partitions


def refresh(home: Path, corpus: Path, *extra: str, env: dict | None = None) -> subprocess.CompletedProcess:
    environment = {**os.environ, "PYTHONPATH": str(ROOT), **SMALL_SHARDS, **(env or {})}
    command = [*NEWWORD, "refresh", str(corpus), "--home", str(home), "--min-count", "5", "--quiet", *extra]
    return subprocess.run(command, capture_output=True, text=True, timeout=600, env=environment, check=False)


@pytest.fixture(scope="module")
def two_workers(tmp_path_factory):
    with dask_cluster(tmp_path_factory.mktemp("dask"), [{}, {}]) as (address, _, _):
        yield address


@pytest.fixture(scope="module")
def batches(tmp_path_factory, peoples_daily):
    folder = tmp_path_factory.mktemp("batches")
    return write_lines(folder / "day1.txt", peoples_daily[:2500]), write_lines(folder / "day2.txt", peoples_daily[2500:3500])


@pytest.mark.parametrize("mode", ["reference", "topwords"])
def test_cli_cluster_refresh_equals_local(two_workers, batches, tmp_path, mode):
    day1, day2 = batches
    for corpus, version in ((day1, "v000001"), (day2, "v000002")):  # a first build, then an incremental one
        local = refresh(tmp_path / "local", corpus, "--mode", mode)
        assert local.returncode == 0, local.stderr
        clustered = refresh(tmp_path / "cluster", corpus, "--mode", mode, "--cluster", two_workers)
        assert clustered.returncode == 0, clustered.stderr
        assert clustered.stderr == ""
        expected = version_tables(tmp_path / "local", version)
        assert len(expected["lexicon"]) > 100
        assert version_tables(tmp_path / "cluster", version) == expected
    leftovers = [p for p in (tmp_path / "cluster").rglob("*") if "exchange" in p.parts]
    assert leftovers == []  # the shards and partitions are removed after each run


def task_run_states(name_like: str) -> list[str]:
    """The states of the task runs whose name contains name_like, from the Prefect server."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import TaskRunFilter, TaskRunFilterName

    async def states():
        async with get_client() as client:
            runs = await client.read_task_runs(task_run_filter=TaskRunFilter(name=TaskRunFilterName(like_=name_like)))
            return [run.state.type.value for run in runs]

    return asyncio.run(states())


@pytest.mark.server
@pytest.mark.parametrize("mode", ["reference", "topwords"])
def test_flow_on_cluster_with_a_prefect_server_equals_local(server, two_workers, batches, tmp_path, monkeypatch, mode):
    day1, _ = batches
    local = refresh(tmp_path / "local", day1, "--mode", mode)
    assert local.returncode == 0, local.stderr
    env = {**os.environ, **server, **SMALL_SHARDS}
    command = [sys.executable, "-m", "flows.lexicon_refresh", str(day1), "--home", str(tmp_path / "flow"),
               "--min-count", "5", "--mode", mode, "--cluster", two_workers]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=600, env=env, cwd=ROOT, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "lexicon-refresh: published v000001" in done.stdout
    assert version_tables(tmp_path / "flow") == version_tables(tmp_path / "local")
    for key, value in server.items():
        monkeypatch.setenv(key, value)
    counted, summed = task_run_states("count-shard"), task_run_states("sum-partition")  # Prefect tasks, on the workers
    assert len(counted) >= 2 and len(summed) >= 2
    assert set(counted) == set(summed) == {"COMPLETED"}
    if mode == "topwords":  # every EM iteration's E-step, a task per lattice chunk
        e_steps = task_run_states("chunk-e-step-file")
        assert len(e_steps) >= 10 and set(e_steps) == {"COMPLETED"}


def test_a_killed_worker_leaves_the_result_exact(tmp_path, batches):
    """Worker 0 pauses inside its first counting task; it is killed there (SIGKILL) once worker 1 has
    joined, and the scheduler runs its tasks again on worker 1."""
    day1, _ = batches
    local = refresh(tmp_path / "local", day1, "--mode", "reference")
    assert local.returncode == 0, local.stderr
    paused = {"NEWWORD_FAILPOINT": "count_shard=pause:600"}
    with dask_cluster(tmp_path / "dask", [paused]) as (address, workers, logs):
        environment = {**os.environ, "PYTHONPATH": str(ROOT), **SMALL_SHARDS}
        command = [*NEWWORD, "refresh", str(day1), "--home", str(tmp_path / "cluster"), "--min-count", "5",
                   "--mode", "reference", "--quiet", "--cluster", address]  # fmt: skip
        running = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment)
        try:
            wait_for(lambda: "paused at count_shard" in logs[0].read_text(), 120, "worker 0 to start a counting task")
            log = open(tmp_path / "worker-late.log", "w")  # noqa: SIM115
            late = start([DASK, "worker", address, "--nthreads", "1", "--no-nanny", "--no-dashboard", "--host", "127.0.0.1",
                          "--local-directory", str(tmp_path / "late")], {**environment, "DO_NOT_TRACK": "1"}, log)  # fmt: skip
            try:
                wait_for(lambda: "Registered to" in (tmp_path / "worker-late.log").read_text(), 60, "worker 1 to register")
                os.kill(workers[0].pid, signal.SIGKILL)
                _, err = running.communicate(timeout=600)
            finally:
                stop(late)
                log.close()
        finally:
            if running.poll() is None:
                running.kill()
    assert running.returncode == 0, err
    assert workers[0].poll() == -signal.SIGKILL
    assert version_tables(tmp_path / "cluster") == version_tables(tmp_path / "local")


def test_unreachable_malformed_or_workerless_cluster_is_one_line(tmp_path, batches):
    day1, _ = batches
    unreachable = f"tcp://127.0.0.1:{free_port()}"
    cases = [
        (unreachable, {}, "cannot reach the Dask scheduler"),
        ("localhost:8786", {}, "--cluster must be a Dask scheduler address such as tcp://127.0.0.1:8786"),
        ("tcp://127.0.0.1:abc", {}, "--cluster must be a Dask scheduler address"),
    ]
    with dask_cluster(tmp_path / "dask", []) as (workerless, _, _):
        cases.append((workerless, {"NEWWORD_WORKER_TIMEOUT": "2"}, "no worker joined the scheduler in 2 s"))
        for address, env, expected in cases:
            done = refresh(tmp_path / "home", day1, "--cluster", address, env=env)
            assert done.returncode != 0
            assert expected in done.stderr and len(done.stderr.strip().splitlines()) == 1, done.stderr
            assert not (tmp_path / "home" / "versions").exists()
    assert check_address("tcp://[::1]:8786") == "tcp://[::1]:8786"  # IPv6 in brackets is an address
    flow = [sys.executable, "-m", "flows.lexicon_refresh", str(day1), "--home", str(tmp_path / "flow"), "--cluster", unreachable]
    done = subprocess.run(flow, capture_output=True, text=True, timeout=120, cwd=ROOT, check=False)
    assert done.returncode == 1
    assert done.stderr.strip().startswith("lexicon-refresh: error: --cluster") and "cannot reach" in done.stderr, done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr


@pytest.mark.server
def test_a_flow_run_asking_for_a_cluster_without_its_runner_fails_with_the_reason(server, batches, tmp_path):
    """A deployment served without --cluster cannot be switched to one by a run's parameters."""
    day1, _ = batches
    code = (
        "from flows.lexicon_refresh import lexicon_refresh\n"
        f"lexicon_refresh(sources=[{str(day1)!r}], home={str(tmp_path / 'home')!r}, cluster='tcp://127.0.0.1:8786')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, cwd=ROOT,
                          env={**os.environ, **server}, check=False)  # fmt: skip
    assert done.returncode != 0
    assert "the cluster parameter needs the flow started or served with --cluster" in done.stderr
    assert not (tmp_path / "home" / "versions").exists()
