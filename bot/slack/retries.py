"""Slack's retries of events this process is already answering, acknowledged without work.

Slack re-sends an event (`X-Slack-Retry-Num`) when our 200 did not reach it within three
seconds, which is exactly when the bot is busiest. A retry of an event this process has
already acknowledged needs nothing: the first delivery's work is queued or running here and
claims the event (`SlackStore.claim_event`). So the HTTP server remembers the event ids it
acknowledged (`RecentEvents`, bounded) and answers such a retry 200 at once, after checking
its signature, instead of running Bolt and a database claim that would only lose.

A retry of an event this process never took (the first delivery went to another process, or
never arrived) goes through Bolt as before, and the database claim decides.
"""
from __future__ import annotations

import threading
from collections import OrderedDict

DEFAULT_REMEMBERED = 50_000  # Slack retries within about an hour; a busy hour is well under this


class RecentEvents:
    """A bounded, thread-safe set of event ids, forgetting the oldest first."""

    def __init__(self, limit: int = DEFAULT_REMEMBERED):
        if limit < 1:
            raise ValueError(f"limit must be at least 1, not {limit}")
        self.limit = limit
        self._ids: OrderedDict[str, None] = OrderedDict()
        self._lock = threading.Lock()

    def add(self, event_id: str) -> None:
        with self._lock:
            self._ids[event_id] = None
            self._ids.move_to_end(event_id)
            while len(self._ids) > self.limit:
                self._ids.popitem(last=False)

    def __contains__(self, event_id: object) -> bool:
        with self._lock:
            return event_id in self._ids

    def __len__(self) -> int:
        with self._lock:
            return len(self._ids)


def event_id_of(body: object) -> str | None:
    """The `event_id` of an Events API delivery (a parsed body), else None."""
    if isinstance(body, dict) and body.get("type") == "event_callback":
        event_id = body.get("event_id")
        return event_id if isinstance(event_id, str) and event_id else None
    return None
