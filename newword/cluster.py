"""`--cluster tcp://HOST:8786` from the command line: newword.distributed's tasks on an existing Dask
cluster, through dask.distributed (the Prefect flow sends the same tasks through prefect-dask).

The scheduler retries a task whose worker died (the task runs again on another worker); `retries`
also covers a task that failed with an error, for instance a worker that ran out of memory."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

from newword.distributed import Mapper
from newword.errors import NewwordError

TASK_RETRIES = 2
CONNECT_TIMEOUT = "10s"


def check_address(address: str) -> str:
    if not address.startswith(("tcp://", "tls://")) or address.count(":") != 2:
        raise NewwordError(f"--cluster must be a Dask scheduler address such as tcp://127.0.0.1:8786 (got {address!r})")
    return address


@contextlib.contextmanager
def dask_mapper(address: str) -> Iterator[Mapper]:
    """A Mapper running each task on the cluster at `address`; a one-line error if it cannot be reached."""
    try:
        from distributed import Client
    except ImportError:
        raise NewwordError("--cluster needs the distributed package (pip install distributed prefect-dask)") from None
    try:
        client = Client(check_address(address), timeout=CONNECT_TIMEOUT, set_as_default=False)
    except OSError as exc:
        raise NewwordError(f"--cluster {address}: cannot reach the Dask scheduler ({exc})") from None

    def run(function: Callable[..., Any], arguments: list[tuple]) -> list:
        if not arguments:
            return []
        futures = client.map(function, *zip(*arguments, strict=True), pure=False, retries=TASK_RETRIES)
        return client.gather(futures)

    try:
        yield run
    finally:
        client.close()
