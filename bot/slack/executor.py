"""The thread pool that runs slow work (answering) after Slack has been acknowledged.

A `ThreadPoolExecutor` that also counts the tasks queued or running, so `/healthz` can
report the backlog, a shutdown can drain it, and tests can wait until a request's work is
done instead of sleeping.
"""
from __future__ import annotations

import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor


class WorkerPool(ThreadPoolExecutor):
    def __init__(self, workers: int = 8):
        if workers < 1:
            raise ValueError(f"workers must be at least 1, not {workers}")
        super().__init__(max_workers=workers, thread_name_prefix="council-slack")
        self.workers = workers
        self._pending = 0
        self._idle = threading.Condition()

    @property
    def in_flight(self) -> int:
        """Tasks submitted and not yet finished."""
        with self._idle:
            return self._pending

    def submit(self, fn, /, *args, **kwargs) -> Future:
        with self._idle:
            self._pending += 1
        try:
            future = super().submit(fn, *args, **kwargs)
        except BaseException:
            self._finished(None)
            raise
        future.add_done_callback(self._finished)
        return future

    def wait_idle(self, timeout: float) -> bool:
        """Block until no task is queued or running; False if `timeout` seconds pass first."""
        deadline = time.monotonic() + timeout
        with self._idle:
            while self._pending:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._idle.wait(remaining)
        return True

    def _finished(self, _future) -> None:
        with self._idle:
            self._pending -= 1
            if not self._pending:
                self._idle.notify_all()
