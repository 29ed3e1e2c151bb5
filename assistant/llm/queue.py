"""One loaded model per process, shared by every session through a first-come queue.

A llama.cpp model answers one request at a time. Callers take a ticket; while they wait,
``position(ticket)`` says how many requests are ahead, so the interface can show
"Đang chờ mô hình: vị trí 2". Tickets are served strictly in order.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager


class ModelQueue:
    """A FIFO lock with visible positions."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._tickets = itertools.count()
        self._running: int | None = None
        self._waiting: list[int] = []  # ascending: tickets are issued in order

    def waiting(self) -> int:
        """Requests queued or running now."""
        with self._cond:
            return len(self._waiting)

    def position(self, ticket: int) -> int:
        """How many requests are ahead of ``ticket`` (0: it is running or next)."""
        with self._cond:
            return sum(1 for t in self._waiting if t < ticket)

    @contextmanager
    def turn(self, on_wait: Callable[[int], None] | None = None) -> Iterator[int]:
        """Wait for this caller's turn (reporting its place to ``on_wait``), then hold the model."""
        with self._cond:
            ticket = next(self._tickets)
            self._waiting.append(ticket)
            last = -1
            try:
                while self._running is not None or self._waiting[0] != ticket:
                    ahead = self._waiting.index(ticket)
                    if on_wait is not None and ahead != last:
                        on_wait(ahead)
                        last = ahead
                    self._cond.wait(timeout=1.0)
            except BaseException:
                self._waiting.remove(ticket)  # a caller that gives up leaves no hole in the queue
                self._cond.notify_all()
                raise
            self._running = ticket
        try:
            yield ticket
        finally:
            with self._cond:
                self._waiting.remove(ticket)
                self._running = None
                self._cond.notify_all()
