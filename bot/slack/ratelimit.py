"""A per-user limit on questions: at most N in any 60-second window.

Kept in memory, so each bot process counts on its own; with several processes behind a
load balancer a user can ask up to N questions per process per minute. That is enough to
stop a runaway loop or a user pasting fifty questions, which is what it is for.
"""
from __future__ import annotations

import math
import threading
import time
from collections import defaultdict, deque
from typing import Callable

WINDOW_SECONDS = 60.0


class RateLimiter:
    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic):
        self.per_minute = per_minute
        self._clock = clock
        self._lock = threading.Lock()
        self._seen: dict[str, deque[float]] = defaultdict(deque)

    def acquire(self, key: str) -> int:
        """Count one question for `key`. Returns 0 if allowed, else the whole seconds to wait.

        A limit of 0 or less means no limit. Refused attempts are not counted.
        """
        if self.per_minute <= 0:
            return 0
        now = self._clock()
        with self._lock:
            seen = self._seen[key]
            while seen and seen[0] <= now - WINDOW_SECONDS:
                seen.popleft()
            if len(seen) >= self.per_minute:
                return max(1, math.ceil(seen[0] + WINDOW_SECONDS - now))
            seen.append(now)
            return 0
