"""One test session's live resources: what must be stopped or deleted when it ends, and the notes to print then.

The pytest plugin owns the one Session of a run; tiers keep their state on it (`state_of`) and register
cleanups (`on_close`). `close` runs them newest first, exactly once, at the session's end, and as a last
resort at interpreter exit (the plugin registers that), so nothing is left running after Ctrl+C or SIGTERM.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, TypeVar

from . import runner

T = TypeVar("T")


class Session:
    def __init__(self) -> None:
        self.notes: list[str] = []
        self._state: dict[str, Any] = {}
        self._cleanups: list[tuple[str, Callable[[], None]]] = []
        self.closed = False
        self.say: Callable[[str], None] = _to_stderr  # where the notes go (an xdist worker hands them on)

    def state_of(self, owner: str, factory: Callable[[], T]) -> T:
        """The state one part (a tier) keeps for the session, made on first use."""
        if owner not in self._state:
            self._state[owner] = factory()
        return self._state[owner]

    def on_close(self, what: str, cleanup: Callable[[], None]) -> None:
        """Run cleanup when the session closes; what names it if it fails."""
        self._cleanups.append((what, cleanup))

    def close(self) -> None:
        """Run every cleanup (newest first) once, then print the notes; a failing cleanup becomes a note."""
        if self.closed:
            return
        self.closed = True
        # Ctrl+C or SIGTERM meanwhile is raised after the last cleanup, not in the middle of one.
        with runner.signals_held():
            while self._cleanups:
                what, cleanup = self._cleanups.pop()
                try:
                    cleanup()
                except Exception as exc:  # one failed cleanup must not keep the others from running
                    self.notes.append(f"could not {what}: {exc}")
            for note in self.notes:
                self.say(note)
            self.notes.clear()


def _to_stderr(note: str) -> None:
    print(f"snipcheck: {note}", file=sys.stderr)
