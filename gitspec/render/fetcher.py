"""The PDF renderer's sandbox: a weasyprint URL fetcher that serves only files inside the
allowed folders and the in-memory files it is handed, and records every refusal.

Never opens a network connection and never follows a path out of its folders
(paths are resolved first, so `..` and symlinks cannot escape). Imports weasyprint:
import this module only inside the functions that render PDFs.
"""
from __future__ import annotations

import mimetypes
from collections.abc import Iterable, Mapping
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from weasyprint.urls import URLFetcher, URLFetcherResponse

# The base URL of a print document: relative names (diagrams/<hash>.svg) resolve under it
# and are served from memory; nothing on disk lives there.
MEMORY_BASE = "file:///gitspec-render-memory/"


class RefusedFetch(ValueError):
    """A URL the sandbox would not fetch (weasyprint turns it into a skipped resource)."""


class SandboxFetcher(URLFetcher):
    """Serves `memory` ({absolute URL: bytes}) and `file:` URLs inside `roots`; refuses
    everything else. `refused` lists each refused URL, in order, once."""

    def __init__(self, roots: Iterable[Path], memory: Mapping[str, bytes] | None = None) -> None:
        super().__init__(timeout=1, allowed_protocols=("file",), allow_redirects=False)
        self.roots = tuple(Path(r).resolve() for r in roots)
        self.memory = dict(memory or {})
        self.refused: list[str] = []

    def fetch(self, url: str, headers: Mapping[str, str] | None = None) -> URLFetcherResponse:
        if url in self.memory:
            return URLFetcherResponse(url, self.memory[url], {"Content-Type": _mime(url)})
        path = self.allowed_path(url)
        if path is None:
            shown = url if len(url) <= 200 else url[:200] + "..."
            if shown not in self.refused:
                self.refused.append(shown)
            raise RefusedFetch(f"gitspec refused to fetch {shown}")
        return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": _mime(path.name)})

    def allowed_path(self, url: str) -> Path | None:
        """The file a `file:` URL names, when it exists inside one of the roots."""
        parts = urlsplit(url)
        if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
            return None
        try:
            path = Path(url2pathname(unquote(parts.path))).resolve(strict=True)
        except (OSError, RuntimeError, ValueError):
            return None
        if not path.is_file():
            return None
        if any(path == root or path.is_relative_to(root) for root in self.roots):
            return path
        return None


def _mime(name: str) -> str:
    return mimetypes.guess_type(name)[0] or "application/octet-stream"
