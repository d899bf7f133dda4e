"""Where coarse jobs run: here, in worker processes, or on a Dask cluster; one seam for all three.

An `Executor` is shaped like `concurrent.futures.Executor.map`: `map(fn, *iterables)` yields
`fn(*args)` for each tuple of arguments, in the order of the arguments, each as soon as it
and the ones before it are done. The caller stores each result as it comes (so a stopped run
keeps its finished work) and never sees the order in which jobs finished: output cannot
depend on the executor, the number of workers or their speed.

- `Serial`: in this process (`-j 1`).
- `ProcessPool`: worker processes bound to this one's life (`workers.pool`), started on the
  first map that has two jobs and shared by the run's stages. The default; no extra dependency.
- `DaskCluster`: the workers of a Dask distributed scheduler (`--scheduler tcp://HOST:8786`),
  or of a `LocalCluster` of processes started here (`--scheduler local`). Dask is imported only
  then (`pip install 'comparer[dask]'`). Jobs must be top-level functions of comparer and their
  arguments picklable; the workers need the same comparer (checked when connecting).

Jobs are coarse (reading one report, comparing one pair, linking one country's claims: 0.1 s
to seconds each), so scheduling costs little next to the work.
"""

from __future__ import annotations

import importlib
import itertools
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from types import TracebackType
from typing import Any, Protocol

from comparer.errors import ComparerError

LOCAL = "local"  # the --scheduler value that starts a LocalCluster here
_CONNECT_TIMEOUT = "30s"  # how long to wait for a scheduler to answer
_IN_FLIGHT_PER_THREAD = 4  # Dask jobs submitted ahead per worker thread: keeps workers busy, memory bounded


class Executor(Protocol):
    """Runs jobs and gives their results back in the order of their arguments."""

    def map(self, fn: Callable[..., Any], *iterables: Iterable[Any]) -> Iterator[Any]:
        """Yield `fn(*args)` for each tuple of `zip(*iterables)`, in that order."""
        ...

    @property
    def ships_files(self) -> bool:
        """Whether jobs get report files as bytes (the workers may not see this filesystem)."""
        ...

    def slots(self) -> int:
        """How many jobs run at once (a cluster is reached to ask it)."""
        ...

    def close(self, *, failed: bool = False) -> None:
        """Stop the workers (at once, dropping queued jobs, when `failed`)."""
        ...


class Serial:
    """Jobs run one after another in this process."""

    ships_files = False

    def map(self, fn: Callable[..., Any], *iterables: Iterable[Any]) -> Iterator[Any]:
        for args in zip(*iterables, strict=True):
            yield fn(*args)

    def slots(self) -> int:
        return 1

    def close(self, *, failed: bool = False) -> None:
        return None


class ProcessPool:
    """Jobs run in `jobs` worker processes of this machine, started when first needed."""

    ships_files = False

    def __init__(self, jobs: int) -> None:
        self.jobs = jobs
        self._pool: ProcessPoolExecutor | None = None

    def slots(self) -> int:
        return self.jobs

    def map(self, fn: Callable[..., Any], *iterables: Iterable[Any]) -> Iterator[Any]:
        argument_lists = [list(it) for it in iterables]
        if not argument_lists or len(argument_lists[0]) <= 1:
            yield from Serial().map(fn, *argument_lists)
            return
        if self._pool is None:
            from comparer import workers

            self._pool = workers.pool(self.jobs)
        yield from self._pool.map(fn, *argument_lists, chunksize=1)

    def close(self, *, failed: bool = False) -> None:
        if self._pool is not None:
            from comparer import workers

            workers.stop(self._pool, failed=failed)
            self._pool = None


class DaskCluster:
    """Jobs run on the workers of a Dask distributed scheduler (or a LocalCluster started here)."""

    ships_files = True

    def __init__(self, scheduler: str, jobs: int | None = None) -> None:
        try:
            distributed: Any = importlib.import_module("distributed")  # untyped; only when asked for
        except ImportError:
            raise ComparerError(
                f"--scheduler {scheduler}: Dask is not installed; install it with: pip install 'comparer[dask]'"
            ) from None
        self._distributed = distributed
        self.scheduler = scheduler
        self.jobs = jobs
        self._cluster: Any = None
        self._client: Any = None

    def connect(self) -> None:
        """Start the LocalCluster or reach the scheduler (done by the first map that has a job).

        A run with nothing new to do (everything in the cache) never starts or reaches a cluster.
        """
        if self._client is not None:
            return
        if self.scheduler == LOCAL:
            self._cluster = self._distributed.LocalCluster(
                n_workers=self.jobs or os.cpu_count() or 1,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                silence_logs=40,  # logging.ERROR: no start-up chatter on stderr
            )
        try:
            self._client = self._distributed.Client(self._cluster or self.scheduler, timeout=_CONNECT_TIMEOUT)
        except (OSError, TimeoutError, ValueError) as err:
            self.close()
            raise ComparerError(f"{self.scheduler}: cannot reach the Dask scheduler ({err})") from None
        self._check_workers()

    def _check_workers(self) -> None:
        """Wait for a worker; refuse workers that run another comparer (their pages would differ)."""
        try:
            self._client.wait_for_workers(1, timeout=_CONNECT_TIMEOUT)
            stamps = self._client.run(comparer_stamp)
        except (OSError, TimeoutError) as err:
            self.close()
            raise ComparerError(f"{self.scheduler}: no Dask worker answered ({err})") from None
        problem = worker_problem(stamps, comparer_stamp())
        if problem is not None:
            self.close()
            raise ComparerError(f"{self.scheduler}: {problem}")

    @property
    def threads(self) -> int:
        """Worker threads on the cluster now."""
        return max(1, int(sum(self._client.nthreads().values())))

    def slots(self) -> int:
        self.connect()
        return self.threads

    def map(self, fn: Callable[..., Any], *iterables: Iterable[Any]) -> Iterator[Any]:
        arguments: Iterator[tuple[Any, ...]] = zip(*iterables, strict=True)
        first = next(arguments, None)
        if first is None:
            return
        self.connect()
        window = _IN_FLIGHT_PER_THREAD * self.threads
        arguments = itertools.chain([first], arguments)
        pending: deque[Any] = deque(
            self._client.submit(fn, *args, pure=False) for args in itertools.islice(arguments, window)
        )
        try:
            while pending:
                future = pending.popleft()
                value = future.result()
                future.release()
                following = next(arguments, None)
                if following is not None:
                    pending.append(self._client.submit(fn, *following, pure=False))
                yield value
        finally:
            if pending:
                self._client.cancel(list(pending))

    def close(self, *, failed: bool = False) -> None:
        client, cluster = self._client, self._cluster
        self._client = self._cluster = None
        if client is not None:
            client.close()
        if cluster is not None:
            cluster.close()


def worker_problem(stamps: dict[str, str], here: str) -> str | None:
    """What is wrong with the workers' comparer stamps (by worker address), if anything."""
    for worker, stamp in sorted(stamps.items()):
        if stamp != here:
            return f"worker {worker} runs comparer {stamp}, this machine {here}; install the same comparer on every worker"
    return None if stamps else "the Dask scheduler has no workers"


def comparer_stamp() -> str:
    """This process's comparer: its version and a digest of its code, templates and data."""
    from comparer import __version__
    from comparer.cache import code_digest

    return f"{__version__} ({code_digest()[:12]})"


class running:
    """`with running(jobs, scheduler) as executor:` the executor for a run, stopped after it.

    `scheduler` None runs in `jobs` processes (1: here); "local" starts a LocalCluster of
    `jobs` workers; any other value is the address of a Dask scheduler.
    """

    def __init__(self, jobs: int | None = None, scheduler: str | None = None) -> None:
        self.jobs = jobs or os.cpu_count() or 1
        self.scheduler = scheduler
        self.executor: Executor = Serial()

    def __enter__(self) -> Executor:
        if self.scheduler is not None:
            self.executor = DaskCluster(self.scheduler, self.jobs if self.scheduler == LOCAL else None)
        elif self.jobs > 1:
            self.executor = ProcessPool(self.jobs)
        return self.executor

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.executor.close(failed=exc_type is not None)
