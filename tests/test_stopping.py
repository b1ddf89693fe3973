"""Ctrl-C and SIGTERM: a stop is raised where the main thread is, and never lost in a finaliser."""
from __future__ import annotations

import signal
import time
from urllib.parse import quote

import pytest

from gitspec import stopping


@pytest.fixture
def installed():
    previous = {signum: signal.getsignal(signum) for signum in (signal.SIGINT, signal.SIGTERM)}
    stopping.install()
    yield
    stopping.seen()
    for signum, handler in previous.items():
        signal.signal(signum, handler)


class Fonts:
    """Like weasyprint's FontConfiguration: cleans up in __del__, where a signal may land."""

    def __init__(self, signum: int) -> None:
        self.signum = signum
        self.cleaned = False

    def __del__(self) -> None:
        signal.raise_signal(self.signum)  # the handler runs here, inside the finaliser
        self.cleaned = True


def test_a_stop_that_lands_in_a_finaliser_is_raised_once_it_is_done(installed, capsys):
    with pytest.raises(stopping.Terminated):
        Fonts(signal.SIGTERM)  # dropped at once: its __del__ runs
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:  # a render going on
            time.sleep(0.01)
    assert "Exception ignored" not in capsys.readouterr().err


def test_a_stop_that_lands_in_a_finaliser_is_raised_at_the_next_check_and_only_once(installed):
    Fonts(signal.SIGINT)
    with pytest.raises(KeyboardInterrupt) as raised:
        stopping.check()
    assert not isinstance(raised.value, stopping.Terminated)
    stopping.told(raised.value)  # as gitspec's main tells it
    time.sleep(stopping.RETRY_SECONDS * 4)  # the signal is not sent again: it was raised
    stopping.check()


def test_a_stop_elsewhere_is_raised_at_once_and_not_again_once_seen(installed):
    with pytest.raises(stopping.Terminated) as raised:
        signal.raise_signal(signal.SIGTERM)
    assert stopping.told(raised.value) == ("terminated", 143)
    stopping.check()


def test_a_stop_a_library_swallows_is_raised_again_at_the_next_check(installed, caplog):
    """weasyprint catches everything while it draws an SVG: a Ctrl-C landing there was lost, and a PDF
    render went on to the end and exited 0 (a CI run caught it, one run in many)."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    class Stopping(URLFetcher):
        def fetch(self, url: str, headers=None):
            if url.endswith("a.png"):  # the picture inside the SVG, fetched as the SVG is drawn
                signal.raise_signal(signal.SIGINT)
            return super().fetch(url, headers)

    picture = '<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"><image href="a.png" width="9" height="9"/></svg>'
    pdf = HTML(string=f'<img src="data:image/svg+xml,{quote(picture)}">', base_url="memory:/",
               url_fetcher=Stopping()).write_pdf()
    assert pdf.startswith(b"%PDF")  # weasyprint went on as if nothing had happened
    assert "Failed to render SVG image" in caplog.text  # the stop was raised there, and swallowed
    with pytest.raises(KeyboardInterrupt) as raised:
        stopping.check()
    assert stopping.told(raised.value) == ("interrupted", 130)  # as gitspec's main tells it
    stopping.check()  # seen: not raised a third time
