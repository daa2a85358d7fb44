"""`--cluster tcp://HOST:8786` from the command line: newword.distributed's tasks on an existing Dask
cluster, through dask.distributed (the Prefect flow sends the same tasks through prefect-dask).

The scheduler retries a task whose worker died (the task runs again on another worker); `retries`
also covers a task that failed with an error, for instance a worker that ran out of memory."""

from __future__ import annotations

import contextlib
import os
import urllib.parse
from collections.abc import Callable, Iterator
from typing import Any

import duckdb

from newword.distributed import Mapper
from newword.errors import NewwordError

TASK_RETRIES = 2
CONNECT_TIMEOUT = "10s"
WORKER_TIMEOUT = 60  # seconds to wait for a first worker (NEWWORD_WORKER_TIMEOUT)


def check_address(address: str) -> str:
    """A scheduler address: tcp:// or tls://, a host (IPv6 in brackets) and a port number."""
    parsed = urllib.parse.urlsplit(address)
    try:
        port = parsed.port
    except ValueError:
        port = None
    if parsed.scheme not in ("tcp", "tls") or not parsed.hostname or port is None or parsed.path not in ("", "/"):
        raise NewwordError(f"--cluster must be a Dask scheduler address such as tcp://127.0.0.1:8786 (got {address!r})")
    return address


def connect(address: str):
    """A dask.distributed Client with at least one worker, or a one-line error."""
    try:
        from distributed import Client
    except ImportError:
        raise NewwordError("--cluster needs the distributed package (pip install distributed prefect-dask)") from None
    try:
        client = Client(check_address(address), timeout=CONNECT_TIMEOUT, set_as_default=False)
    except OSError as exc:
        raise NewwordError(f"--cluster {address}: cannot reach the Dask scheduler ({exc})") from None
    wait = float(os.environ.get("NEWWORD_WORKER_TIMEOUT") or WORKER_TIMEOUT)
    try:
        client.wait_for_workers(1, timeout=wait)
    except TimeoutError:
        client.close()
        raise NewwordError(f"--cluster {address}: no worker joined the scheduler in {wait:g} s") from None
    return client


@contextlib.contextmanager
def dask_mapper(address: str) -> Iterator[Mapper]:
    """A Mapper running each task on the cluster at `address`; failures on the workers are one line."""
    from distributed import KilledWorker

    client = connect(address)

    def run(function: Callable[..., Any], arguments: list[tuple]) -> list:
        if not arguments:
            return []
        futures = client.map(function, *zip(*arguments, strict=True), pure=False, retries=TASK_RETRIES)
        try:
            return client.gather(futures)
        except KilledWorker as exc:
            raise NewwordError(
                f"--cluster {address}: a {function.__name__} task killed every worker it ran on ({exc}); "
                "too little memory per worker? (NEWWORD_SHARD_CHARACTERS makes shards smaller)"
            ) from None
        except (duckdb.Error, OSError) as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise NewwordError(
                f"--cluster {address}: a {function.__name__} task failed on a worker: {first} "
                "(do all workers see the home folder at the same path?)"
            ) from None

    try:
        yield run
    finally:
        client.close()
