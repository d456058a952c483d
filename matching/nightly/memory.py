"""Keep the batch's freed memory for reuse (glibc's malloc), instead of handing it back.

Scoring a chunk of 500 persons makes a few 20 MB numpy temporaries (the retrieval scores of
500 profiles × 10k postings, their mask, a partition copy). glibc serves blocks that large
with a fresh ``mmap`` and gives them back on ``free`` (and trims the heap's top above 128 KB),
so every chunk faults the same memory in again, page by page. In a Dask worker, whose tasks
run in a thread with its own arena, that cost 420k page faults and 1.15 s of system time per
5,500 persons, and the worker ran ~40 % slower than the same code in a main thread
(docs/benchmarks.md). Raising the mmap threshold to its maximum (32 MB) and the trim threshold
to 1 GB keeps those blocks in the heap: ~3k faults for the same work.

The settings are process-wide and only change when memory is returned to the system, never
what a program computes. Other C libraries (musl, macOS) are left alone.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import logging
from collections.abc import Iterator
from contextlib import contextmanager

log = logging.getLogger(__name__)

_M_TRIM_THRESHOLD, _M_TOP_PAD, _M_MMAP_THRESHOLD = -1, -2, -3  # <malloc.h>
_MMAP_THRESHOLD_MAX = 32 << 20  # glibc refuses more on 64-bit (HEAP_MAX_SIZE / 2)
_done: list[bool] = []


def keep_freed_memory(*, trim_threshold: int = 1 << 30, top_pad: int = 64 << 20) -> bool:
    """Tune glibc's malloc of this process once (later calls return the first result).

    Returns True when the settings took effect (glibc), False otherwise.
    """
    if _done:
        return _done[0]
    ok = False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        mallopt = None
    if mallopt is not None:
        mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
        ok = all(
            mallopt(param, value) == 1
            for param, value in (
                (_M_MMAP_THRESHOLD, _MMAP_THRESHOLD_MAX),
                (_M_TRIM_THRESHOLD, trim_threshold),
                (_M_TOP_PAD, top_pad),
            )
        )
    if not ok:
        log.info("malloc not tuned (not glibc): the batch runs the same, with more page faults")
    _done.append(ok)
    return ok


def give_back_freed_memory() -> bool:
    """Hand the free pages inside this process's heap back to the system (glibc's
    ``malloc_trim``), e.g. once a stage's large temporaries are gone: ``free`` alone returns
    only the heap's top. Returns True when it ran (glibc), False otherwise."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        trim = libc.malloc_trim
    except (OSError, AttributeError):
        return False
    trim.argtypes, trim.restype = [ctypes.c_size_t], ctypes.c_int
    trim(0)
    return True


@contextmanager
def long_lived() -> Iterator[None]:
    """Inside, :func:`leave_out_of_collection` may move the objects alive at that moment out
    of the cycle collector's passes; on leaving, every such object is put back
    (``gc.unfreeze``: also those a caller froze before)."""
    try:
        yield
    finally:
        gc.unfreeze()


def leave_out_of_collection() -> None:
    """Leave the objects alive now (the engine, the night's persons) out of the cycle
    collector's passes until :func:`long_lived` ends (``gc.freeze``).

    Building and storing a night's pushes makes millions of short-lived objects; each of the
    collector's full passes that they set off walked every long-lived object again (at 45k
    persons about a quarter of the main process's CPU). They are still freed as usual when
    their last reference goes; only reference cycles among them wait for the end.
    """
    gc.freeze()
