"""One place that sets how many BLAS and OpenMP threads the matching work uses.

Every path calls :func:`limit_threads`: the API when it starts, the ``songgang`` command before
any subcommand, each nightly worker thread, the benchmarks, and a program that uses the library
in-process (``matching.limit_threads()`` once, before fitting or recommending).

Why one thread: a recommendation multiplies one query with the postings' matrix. OpenBLAS and
faiss's OpenMP split that over their own threads, which then spin waiting for the next call; on
2 cores shared with other work those threads made faiss up to 16× and the engine 2–3× slower.
Parallelism comes from worker threads and processes instead.

The BLAS limit is process-wide (OpenBLAS with pthreads). OpenMP's (faiss, and the OpenBLAS that
faiss ships, which threads with OpenMP) belongs to the calling thread and to threads it starts;
a worker thread that runs faiss therefore calls :func:`limit_threads` itself.
"""

from __future__ import annotations

import os
from typing import Any

__all__ = ["limit_threads", "usable_cpus"]


def usable_cpus() -> int:
    """CPUs this process may run on (its affinity mask, not the machine's count)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def limit_threads(threads: int = 1) -> Any:
    """Limit BLAS and OpenMP (faiss included) to ``threads`` each.

    Returns threadpoolctl's limiter: ``.restore_original_limits()`` puts the previous limits
    back (the API does when it stops); it also works as a context manager.
    """
    if threads < 1:
        raise ValueError(f"threads must be ≥ 1, got {threads}")
    import faiss  # loaded first, so its OpenMP and OpenBLAS are among the libraries limited
    from threadpoolctl import threadpool_limits

    limiter = threadpool_limits(limits=threads)  # reads the limits to restore, then sets them
    faiss.omp_set_num_threads(threads)  # the same libgomp, named for when it is not detected
    return limiter
