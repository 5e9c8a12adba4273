"""Charts drawn side by side: a small pool of processes (one per core, at most POOL_SIZE),
started on first use and kept for the worker's life. matplotlib holds the GIL while it draws,
so threads would take turns; processes use every core. A pool that cannot start or breaks
(a child killed) is dropped and the charts are drawn here, one after another: slower, never
lost. Processes are spawned, not forked: a fork of a threaded worker may inherit a held lock."""
import importlib
import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

POOL_SIZE = 4
_pool = None
_lock = threading.Lock()


def _size():
    return min(POOL_SIZE, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
               else os.cpu_count() or 1)


def _warm():
    importlib.import_module(".charts", __package__)  # matplotlib, before the first chart


def _executor():
    global _pool
    with _lock:
        if _pool is None:
            _pool = ProcessPoolExecutor(_size(), multiprocessing.get_context("spawn"),
                                        initializer=_warm)
        return _pool


def _drop(pool):
    global _pool
    with _lock:
        if _pool is pool:
            _pool = None
    pool.shutdown(wait=False, cancel_futures=True)


def start(function, items):
    """Begin function(item) for every item; returns `results()`, which waits and gives the
    list in order. In the pool when there is more than one item and more than one core, so the
    caller can do other work meanwhile. `function` must be importable by name."""
    items = list(items)
    if len(items) < 2 or _size() < 2:
        return lambda: [function(item) for item in items]
    pool = _executor()
    try:
        futures = [pool.submit(function, item) for item in items]
    except (BrokenProcessPool, RuntimeError, OSError):
        _drop(pool)
        return lambda: [function(item) for item in items]

    def results():
        try:
            return [future.result() for future in futures]
        except BrokenProcessPool:
            _drop(pool)
            return [function(item) for item in items]
    return results
