"""Work split over forked processes, results in order: the same output with any number of them.

Used where the second core would otherwise idle: the similarity ranking and the rendering of a
whole site. Plain module, no MkDocs import. Forking a process that runs other threads can
deadlock the child, so callers use it only where no other threads run (``mkdocs build``, the
command line), or let the user turn it off.
"""

from __future__ import annotations

import gc
import os
import pickle
import signal
from contextlib import contextmanager
from typing import Any, Callable, Iterator, TypeVar

_T = TypeVar("_T")


def cores() -> int:
    """Cores this process may use (1 where fork is not available)."""
    if not hasattr(os, "fork"):
        return 1
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pauses Python's cyclic garbage collector, if it is on, while the block runs.

    For steps that make millions of objects (records, pages, similarity vectors) that live at
    least until the step ends: the collector would only walk them, again and again, and its
    full collections grow with everything alive (at 10,000 records they took about a quarter
    of the generator's time). The few cycles made meanwhile are freed by a later collection.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def in_parts(work: Callable[[range], _T], n: int, parts: int) -> list[_T]:
    """``work`` over ``parts`` consecutive slices of ``range(n)``, results in slice order.

    The first slice is done here, the others in forked children that see this process's memory
    as it was and send back a pickle. ``work`` must be deterministic, so the result does not
    depend on ``parts``; a child that fails is redone here.
    """
    parts = max(1, min(parts, n))
    bounds = [n * k // parts for k in range(parts + 1)]
    slices = [range(bounds[k], bounds[k + 1]) for k in range(parts)]
    if parts == 1:
        return [work(slices[0])]
    # Frozen objects are left out of garbage collection, which would otherwise touch (and so
    # copy) every shared page, in the children and here.
    gc.freeze()
    try:
        children = [_fork(work, part) for part in slices[1:]]
        try:
            results = [work(slices[0])]
        except BaseException:
            for child in children:
                _kill(child)
            raise
        for part, child in zip(slices[1:], children):
            ok, result = _collect(child)
            results.append(result if ok else work(part))
    finally:
        gc.unfreeze()
    return results


def _fork(work: Callable[[range], Any], part: range) -> tuple[int, int] | None:
    """Starts ``work(part)`` in a child process; its (pid, pipe to read), or None."""
    try:
        read, write = os.pipe()
    except OSError:
        return None
    try:
        pid = os.fork()
    except OSError:
        os.close(read)
        os.close(write)
        return None
    if pid == 0:  # the child: compute, send, leave without running the parent's exit handlers
        status = 1
        try:
            gc.disable()  # short-lived, and collecting would copy the parent's pages
            os.close(read)
            with open(write, "wb") as out:
                pickle.dump(work(part), out, protocol=pickle.HIGHEST_PROTOCOL)
            status = 0
        finally:
            os._exit(status)
    os.close(write)
    return pid, read


def _collect(child: tuple[int, int] | None) -> tuple[bool, Any]:
    """A child's result, after it has exited: (True, result), or (False, None) if it failed."""
    if child is None:
        return False, None
    pid, read = child
    try:
        with open(read, "rb") as pipe:
            data = pipe.read()
    finally:
        _, status = os.waitpid(pid, 0)
    if status != 0 or not data:
        return False, None
    return True, pickle.loads(data)


def _kill(child: tuple[int, int] | None) -> None:
    if child is not None:
        pid, read = child
        os.close(read)
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
        os.waitpid(pid, 0)
