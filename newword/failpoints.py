"""Fault injection for tests of atomic publishing: NEWWORD_FAILPOINT=<point>=kill|pause:<seconds>.

`kill` sends SIGKILL to this process at the named point (no cleanup runs, as in a crash or OOM kill);
`pause:S` prints "newword: paused at <point>" on stderr and sleeps S seconds, so a test can act while
a refresh holds its lock. Unset (always, outside tests), `reach` does nothing.
POINTS are those of publishing; `count_shard` (a worker's counting task on a cluster) and
`validate:child` (in the validation child process) are two more.
"""

from __future__ import annotations

import os
import signal
import sys
import time

POINTS = ("validate", "publish:files", "publish:before-warehouse", "publish:before-rename", "publish:after-rename")


def reach(point: str) -> None:
    spec = os.environ.get("NEWWORD_FAILPOINT")
    if not spec:
        return
    name, _, action = spec.rpartition("=")
    if name != point:
        return
    if action == "kill":
        os.kill(os.getpid(), signal.SIGKILL)
    elif action.startswith("pause:"):
        print(f"newword: paused at {point}", file=sys.stderr, flush=True)
        time.sleep(float(action.split(":", 1)[1]))
