"""Drawing a diagram with a mermaid.ink-compatible server the user configured: two GETs (SVG, PNG)
that together must finish within the timeout, however slowly the server sends them. The diagram's
text goes to that server's origin only (or its host upgraded to https): a redirect elsewhere is
refused, never followed."""
from __future__ import annotations

import base64
import json
import re
import socket
import threading
import time

from gitspec.render.drawway import MAX_BYTES, MERMAID_CONFIG, DrawFailed, background, checked, front_matter_end
from gitspec.render.imagecheck import check_png, check_svg

INIT_DIRECTIVE = "%%{init: " + json.dumps(MERMAID_CONFIG) + "}%%\n"


def fetch_from_server(source: str, server: str, timeout: float) -> tuple[bytes, bytes]:
    """GET {server}/svg/{code} and {server}/img/{code}?type=png (with drawing_options), both within
    `timeout`. Raises DrawFailed."""
    from urllib.parse import urlencode

    if not re.match(r"https?://", server):
        raise DrawFailed("the address must start with http:// or https://")
    code = base64.urlsafe_b64encode(with_init_directive(source).encode("utf-8")).decode("ascii")
    base = server.rstrip("/")
    options = drawing_options(source)
    deadline = time.monotonic() + timeout
    svg = _get(f"{base}/svg/{code}" + (f"?{urlencode(options)}" if options else ""), deadline, timeout)
    checked(check_svg, svg)
    png = _get(f"{base}/img/{code}?{urlencode({'type': 'png', **options})}", deadline, timeout)
    checked(check_png, png)
    return svg, png


def drawing_options(source: str) -> dict[str, str]:
    """What the server is asked besides the diagram: for mermaid's dark theme, the theme and its own
    background (mermaid.ink's `bgColor`, a hex colour without its `#`), as mmdc is given it (`-b`);
    nothing for a diagram drawn on white, which the server's page already is."""
    colour = background(source)
    return {} if colour == "white" else {"theme": "dark", "bgColor": colour.lstrip("#")}


def with_init_directive(source: str) -> str:
    """`source` with an init directive turning HTML labels off, after any YAML front matter
    (which must stay first); a server cannot be handed a config file."""
    lines = source.splitlines(keepends=True)
    end = front_matter_end(lines)
    if end is not None:
        return "".join(lines[: end + 1]) + INIT_DIRECTIVE + "".join(lines[end + 1:])
    return INIT_DIRECTIVE + source


class _Deadline:
    """Shuts a request's sockets down when its time is up. A socket timeout bounds each read, not
    the response: a server sending a byte a second would otherwise hold a render for ever."""

    def __init__(self, seconds: float) -> None:
        self.expired = self._done = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> _Deadline:
        self._timer.start()
        return self

    def __exit__(self, *exc) -> None:
        self._timer.cancel()
        with self._lock:
            self._done = True  # the sockets are closed from here on; never touch them

    def watch(self, sock: socket.socket) -> socket.socket:
        with self._lock:
            self._sockets.append(sock)
            if self.expired:
                _shut(sock)
        return sock

    def _expire(self) -> None:
        with self._lock:
            if self._done:
                return
            self.expired = True
            for sock in self._sockets:
                _shut(sock)


def _shut(sock: socket.socket) -> None:
    try:  # wakes a read blocked in another thread; closing would not
        sock.shutdown(socket.SHUT_RDWR)
    except (OSError, ValueError):
        pass


def origin(url: str) -> tuple[str, str, int | None]:
    """Scheme, host and port of `url` (the default port when it names none): where a request goes."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:  # a port that is not a number: no origin anyone configured
        port = -1
    default = {"http": 80, "https": 443}.get(parts.scheme.lower())
    return parts.scheme.lower(), (parts.hostname or "").lower(), port if port is not None else default


def may_follow(url: str, redirected: str) -> bool:
    """Whether a redirect from `url` to `redirected` keeps the diagram's text with the server configured:
    the same origin, or the same host upgraded to https on its default port (as a server that only
    speaks https on its host answers http; never back from https to http, where anyone on the way reads it)."""
    if origin(redirected) == origin(url):
        return True
    (scheme, host, _), (new_scheme, new_host, new_port) = origin(url), origin(redirected)
    return scheme == "http" and new_scheme == "https" and new_host == host and new_port == 443


def _opener(deadline: _Deadline):
    """urllib for http and https only, following redirects within the origin asked (see may_follow),
    every socket watched by `deadline`."""
    import http.client
    import urllib.request

    def watched(base):
        class Connection(base):
            def __init__(self, *args, **kwargs) -> None:
                super().__init__(*args, **kwargs)
                create = self._create_connection  # the TCP socket, watched before any TLS or proxy talk
                self._create_connection = lambda *a, **k: deadline.watch(create(*a, **k))

            def connect(self) -> None:
                super().connect()
                deadline.watch(self.sock)  # under TLS, the socket wrapping the first one
        return Connection

    plain, tls = watched(http.client.HTTPConnection), watched(http.client.HTTPSConnection)

    class Http(urllib.request.HTTPHandler):
        def http_open(self, req):
            return self.do_open(plain, req)

    class Https(urllib.request.HTTPSHandler):
        def https_open(self, req):
            return self.do_open(tls, req, context=self._context)

    class SameOrigin(urllib.request.HTTPRedirectHandler):
        # The URL carries the diagram's text: another host (or http after https) would receive it.
        def redirect_request(self, req, fp, code, msg, headers, newurl):
            if not may_follow(req.full_url, newurl):
                fp.close()
                scheme, host, port = origin(newurl)
                raise DrawFailed(f"it redirected to {scheme}://{host}:{port}, another address than the one "
                                 "configured, and gitspec sends diagram text only to mermaid_server")
            return super().redirect_request(req, fp, code, msg, headers, newurl)

    opener = urllib.request.OpenerDirector()
    for handler in (urllib.request.ProxyHandler(), urllib.request.UnknownHandler(), Http(), Https(),
                    urllib.request.HTTPDefaultErrorHandler(), SameOrigin(),
                    urllib.request.HTTPErrorProcessor()):
        opener.add_handler(handler)
    return opener


def _get(url: str, deadline: float, timeout: float) -> bytes:
    """The body at `url`, all of it (connecting, headers, body) by `deadline` (time.monotonic());
    `timeout` is the configured limit, for the message. Raises DrawFailed."""
    import http.client
    import urllib.error
    import urllib.request

    timed_out = DrawFailed(f"timed out after {timeout:g} s", down=True)
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise timed_out
    request = urllib.request.Request(url, headers={"User-Agent": "gitspec"})
    watch = _Deadline(remaining)
    try:
        with watch, _opener(watch).open(request, timeout=remaining) as response:
            if (response.length or 0) > MAX_BYTES:
                raise DrawFailed(f"response larger than {MAX_BYTES} bytes")
            chunks, size = [], 0
            while chunk := response.read(65536):
                size += len(chunk)
                if size > MAX_BYTES:
                    raise DrawFailed(f"response larger than {MAX_BYTES} bytes")
                chunks.append(chunk)
            if watch.expired:  # the body ended because its socket was shut
                raise timed_out
            return b"".join(chunks)
    except DrawFailed:
        raise
    except Exception as error:
        if watch.expired or isinstance(error, TimeoutError) or isinstance(getattr(error, "reason", None), TimeoutError):
            raise timed_out from None
        if isinstance(error, urllib.error.HTTPError):
            error.close()
            # 5xx and 429 (too many requests) say the server cannot answer now; other 4xx, that the diagram is bad
            raise DrawFailed(f"HTTP {error.code}", temporary=error.code >= 500 or error.code == 429) from None
        if isinstance(error, urllib.error.URLError):  # could not connect (refused, no such host)
            raise DrawFailed(str(error.reason), down=True) from None
        if isinstance(error, OSError):  # the connection was reset or dropped
            raise DrawFailed(str(error) or type(error).__name__, down=True) from None
        if isinstance(error, (http.client.HTTPException, ValueError)):  # not HTTP, a cut-short body
            raise DrawFailed(f"{type(error).__name__}: {error}" if str(error) else type(error).__name__) from None
        raise
