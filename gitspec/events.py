"""Build events: one JSON object per line with `--json`, a rich progress bar on a terminal."""
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
            from rich.progress import Progress

            self._progress = Progress(transient=True)
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
