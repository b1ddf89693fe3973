"""Ctrl-C and SIGTERM: a stop is raised where the main thread is, and never lost in a finaliser."""
from __future__ import annotations

import signal
import time

import pytest

from gitspec import stopping


@pytest.fixture
def installed():
    previous = {signum: signal.getsignal(signum) for signum in (signal.SIGINT, signal.SIGTERM)}
    stopping.install()
    yield
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
    time.sleep(stopping.RETRY_SECONDS * 4)  # the signal is not sent again: it was raised
    stopping.check()


def test_a_stop_elsewhere_is_raised_at_once(installed):
    with pytest.raises(stopping.Terminated):
        signal.raise_signal(signal.SIGTERM)
    stopping.check()
