"""Two halves of an import's work at once, on a machine's two cores: :func:`in_two`.

The import's reading of the text (each title and description cut, each blank category
classified) is a pure function of each posting, so its second half can be computed in a second
process while this one computes the first, and the two put side by side give what one pass
gives. The second process is a fork of this one: it has the postings, the dictionaries and the
classifier's model already, and sends back only its half's result (pickled through a pipe).

Only inside :func:`forking`, which the command line's import opens (``songgang import
postings``, its index build included): a fork copies one thread of its parent, and a server's
other threads may hold a lock at that moment, so elsewhere both halves run in this process. Whatever goes wrong in
the second process — it dies, cannot send its result, or does not answer — this process
computes the second half itself, so the result is always the one pass's, and an error in the
data is raised here with its own traceback.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from matching.threads import usable_cpus

__all__ = ["MIN_ITEMS", "can_fork", "forking", "in_two"]

logger = logging.getLogger(__name__)

A = TypeVar("A")
B = TypeVar("B")

MIN_ITEMS = 4000  # below this the fork and the pickled result cost more than the half saves
_SLACK_S = 60.0  # how much longer than the first half the second may take before it is redone
_forking = False
_froze = False  # whether in_two froze the collector's objects within the current forking()


@contextmanager
def forking() -> Iterator[None]:
    """Within it, :func:`in_two` runs its second half in a forked process (where it can):
    for a single-threaded program (the command line), never a server."""
    global _forking, _froze
    before, _forking = _forking, True
    try:
        yield
    finally:
        _forking = before
        if not before and _froze:
            gc.unfreeze()  # what in_two froze is collected as before
            _froze = False


def can_fork() -> bool:
    """Whether :func:`in_two` forks: inside :func:`forking`, on a platform that forks, with two
    cores or more for this process."""
    if not _forking or "fork" not in multiprocessing.get_all_start_methods():
        return False
    return usable_cpus() >= 2


def in_two(first: Callable[[], A], second: Callable[[], B]) -> tuple[A, B]:
    """``(first(), second())``, ``second`` run in a forked process while this one runs ``first``.

    ``second``'s result comes back pickled. Outside :func:`forking`, or when the platform cannot
    fork, both run here, one after the other; so they do when the forked process fails, in
    which case ``second`` runs again here (it must not change what ``first`` reads).
    """
    if not can_fork():
        return first(), second()
    # The objects made so far (the postings, dictionaries, model) leave the collector's
    # generations: neither process walks them again in each full collection, and the forked one
    # does not write to their pages (its copy-on-write copies) by walking them.
    global _froze
    gc.freeze()
    _froze = True
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_run_child, args=(second, send), daemon=True)
    child.start()
    send.close()  # this process only receives: the pipe ends when the child closes its end
    try:
        started = time.monotonic()
        a = first()
        found, b = _receive(receive, child, wait=time.monotonic() - started + _SLACK_S)
    finally:
        receive.close()
        if child.is_alive():
            child.kill()
        child.join()
    if not found:
        logger.warning("the second process gave no result (exit code %s): redone here",
                       child.exitcode)  # fmt: skip
        b = second()
    return a, b


def _receive(receive: Any, child: Any, wait: float) -> tuple[bool, Any]:
    deadline = time.monotonic() + wait
    while not receive.poll(0.2):
        if not child.is_alive() and not receive.poll(0):
            return False, None
        if time.monotonic() > deadline:
            return False, None
    try:
        return True, receive.recv()
    except (EOFError, OSError):
        return False, None


def _run_child(second: Callable[[], Any], send: Any) -> None:
    try:
        send.send(second())
    except BaseException:  # noqa: BLE001 - the parent redoes the half and raises the real error
        os._exit(1)
    finally:
        send.close()
