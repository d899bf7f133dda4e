"""Worker processes that die with their parent, so a killed `track` leaves none running.

On Linux the kernel kills a worker when its parent goes (prctl PR_SET_PDEATHSIG); elsewhere a
thread in each worker notices that it was re-parented and exits.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from types import TracebackType

_PR_SET_PDEATHSIG = 1
_POLL_SECONDS = 0.5
# Math libraries' own thread pools, one thread each in a worker: the pool already runs a worker
# per core, and OpenBLAS threads (numpy's matrix products in `align`) that find every core
# taken spin while they wait: on 2 cores, 6x the CPU seconds of one thread for one product.
# Read when numpy loads, after this in a worker (`track`'s own process never imports it).
# Products of integer counts, as `align` computes, are exact in any order: output is the same.
_ONE_THREAD = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


class _Pool(ProcessPoolExecutor):
    """A process pool that, left by an exception (Ctrl-C, SIGTERM, a failed job), drops the
    queued jobs and stops its workers at once instead of waiting for them."""

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> bool | None:
        stop(self, failed=exc_type is not None)
        return None


def stop(pool: ProcessPoolExecutor, *, failed: bool = False) -> None:
    """Shut `pool` down: waiting for its workers, or (`failed`) dropping queued jobs and killing them."""
    if not failed:
        pool.shutdown(wait=True)
        return
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.kill()
    for process in processes:
        process.join()


def pool(jobs: int) -> ProcessPoolExecutor:
    """A process pool of `jobs` workers bound to this process's life."""
    return _Pool(max_workers=jobs, initializer=_bind_to_parent)


def _bind_to_parent() -> None:
    """Run in each worker: exit as soon as the process that started it is gone; one math thread."""
    for name in _ONE_THREAD:
        os.environ.setdefault(name, "1")  # a value the user set is theirs
    parent = os.getppid()
    if parent == 1:  # the parent died before this worker got here
        os._exit(1)
    if sys.platform.startswith("linux") and _pdeathsig():
        if os.getppid() != parent:  # it died while the signal was being armed
            os._exit(1)
        return
    threading.Thread(target=_watch, args=(parent,), daemon=True).start()


def _pdeathsig() -> bool:
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        return int(libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)) == 0
    except (OSError, AttributeError):
        return False


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(_POLL_SECONDS)
    os._exit(1)
