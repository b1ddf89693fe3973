"""Build and render events: one JSON object per line on stdout with `build --json`, else a rich progress
bar when stderr is a terminal. Never both, and never escape codes into a pipe. Progress only rises, 0 to
100, over a whole build or render: its parts (stages, each render format) count their own 0-100 within
their share."""
from __future__ import annotations

import json
import sys
import threading
from collections.abc import Callable


class EventSink:
    def __init__(self, json_lines: bool, work: str = "build") -> None:
        self.json_lines = json_lines
        self._work = work  # what the bar says before the first event
        self._lock = threading.Lock()
        self._progress = None
        self._task = None
        self._reached = 0  # the highest progress shown yet: what is shown never goes back

    def __enter__(self) -> EventSink:
        if not self.json_lines and sys.stderr.isatty():
            from rich.console import Console
            from rich.progress import Progress

            # On stderr, the stream checked above: stdout stays clean for `gitspec build > log`.
            console = Console(stderr=True)
            if console.is_dumb_terminal:  # TERM=dumb: a bar rich cannot redraw would leave only empty lines
                return self
            self._progress = Progress(console=console, transient=True)
            self._progress.start()
            self._task = self._progress.add_task(self._work, total=100)
        return self

    def __exit__(self, *exc) -> None:
        if self._progress is not None:
            self._progress.stop()

    def share(self, start: float, end: float) -> Callable[[dict], None]:
        """`emit` for a part of the build that counts its own progress 0-100: the build's goes from
        `start` to `end` meanwhile."""
        def emit(event: dict) -> None:
            self.emit({**event, "progress": int(start + (end - start) * event.get("progress", 0) / 100)})

        return emit

    def emit(self, event: dict) -> None:
        with self._lock:  # events come from several threads, so the highest yet is taken here
            self._reached = max(self._reached, event.get("progress", 0))
            event = {**event, "progress": self._reached}
            if self.json_lines:
                sys.stdout.write(json.dumps(event) + "\n")
                sys.stdout.flush()
            elif self._progress is not None:
                label = f"{event.get('stage', '')}: {event.get('message', event.get('address', ''))}"
                self._progress.update(self._task, completed=event["progress"], description=label[:60])
