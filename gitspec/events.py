"""Build events: one JSON object per line on stdout with `--json`, else a rich progress bar when stderr
is a terminal. Never both, and never escape codes into a pipe."""
from __future__ import annotations

import json
import sys
import threading


class EventSink:
    def __init__(self, json_lines: bool) -> None:
        self.json_lines = json_lines
        self._lock = threading.Lock()
        self._progress = None
        self._task = None

    def __enter__(self) -> EventSink:
        if not self.json_lines and sys.stderr.isatty():
            from rich.console import Console
            from rich.progress import Progress

            # On stderr, the stream checked above: stdout stays clean for `gitspec build > log`.
            self._progress = Progress(console=Console(stderr=True), transient=True)
            self._progress.start()
            self._task = self._progress.add_task("build", total=100)
        return self

    def __exit__(self, *exc) -> None:
        if self._progress is not None:
            self._progress.stop()

    def emit(self, event: dict) -> None:
        with self._lock:
            if self.json_lines:
                sys.stdout.write(json.dumps(event) + "\n")
                sys.stdout.flush()
            elif self._progress is not None:
                label = f"{event.get('stage', '')}: {event.get('message', event.get('address', ''))}"
                self._progress.update(self._task, completed=event.get("progress", 0), description=label[:60])
