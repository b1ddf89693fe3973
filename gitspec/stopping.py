"""How Ctrl-C (SIGINT) and SIGTERM stop gitspec: as an exception raised where the main thread is,
so that `finally` blocks run and nothing is left half-written. Never lets a stop be lost."""
from __future__ import annotations

import os
import signal
import sys
import threading
from types import FrameType

RETRY_SECONDS = 0.05  # how soon a stop that arrived inside a finaliser is delivered again


class Terminated(KeyboardInterrupt):
    """SIGTERM, taken as Ctrl-C is: what runs is stopped (PDF workers too), nothing is left half-written."""


_pending: list[int] = []  # a stop that arrived where it could not be raised, not yet raised since
# A stop raised that no part of gitspec has caught yet: a library may swallow it (weasyprint's SVG
# drawing catches BaseException), so it is raised again at the next check until someone has seen it
_unseen: list[int] = []


def install() -> None:
    """Stop on SIGINT and SIGTERM alike (`kill` and process managers stop gitspec as Ctrl-C does).
    A signal the parent set to be ignored (as a shell does for a job it starts in the background,
    or `nohup`) stays ignored."""
    for signum in (signal.SIGINT, signal.SIGTERM):
        if signal.getsignal(signum) is not signal.SIG_IGN:
            signal.signal(signum, _stop)
    sys.unraisablehook = _unraisable


def _unraisable(info: sys.UnraisableHookArgs) -> None:
    """A stop raised where Python drops exceptions (a weakref callback, such as an import lock's, or
    a finaliser `_stop` did not see) is raised again shortly, instead of printed and lost."""
    if isinstance(info.exc_value, KeyboardInterrupt):
        signum = signal.SIGTERM if isinstance(info.exc_value, Terminated) else signal.SIGINT
        _pending.append(signum)
        threading.Timer(RETRY_SECONDS, _again, (signum,)).start()
        return
    sys.__unraisablehook__(info)


def told(stop: KeyboardInterrupt) -> tuple[str, int]:
    """How a stop is told, and gitspec's exit code for it: 128 and the signal's number, as shells count.
    The stop has then been seen."""
    seen()
    return ("terminated", 143) if isinstance(stop, Terminated) else ("interrupted", 130)


def check() -> None:
    """Raise a stop that arrived where it could not be raised, or that was raised and then swallowed
    where gitspec could not see it: called between two pieces of work."""
    if _pending or _unseen:
        raise _stopped((_pending or _unseen)[0])


def seen() -> None:
    """Called where gitspec catches a stop and ends what it stopped (a watch ends with exit 0): it is
    not raised again."""
    _unseen.clear()


def reset() -> None:
    """Forget every stop: a daemon's next request starts as a new process would (gitspec.daemonserver)."""
    _pending.clear()
    _unseen.clear()


def _stopped(signum: int) -> KeyboardInterrupt:
    _pending.clear()
    _unseen[:] = [signum]
    return Terminated() if signum == signal.SIGTERM else KeyboardInterrupt()


def _stop(signum: int, frame: FrameType | None) -> None:
    if _in_finaliser(frame):
        # Python prints an exception raised in a __del__ as "Exception ignored" and goes on (weasyprint's
        # fonts are cleaned up so during any PDF render): the signal is sent again once it is likely done
        _pending.append(signum)
        threading.Timer(RETRY_SECONDS, _again, (signum,)).start()
        return
    raise _stopped(_pending[0] if _pending else signum)


def _again(signum: int) -> None:
    if _pending:  # not raised meanwhile
        os.kill(os.getpid(), signum)


def _in_finaliser(frame: FrameType | None) -> bool:
    while frame is not None:
        if frame.f_code.co_name == "__del__":
            return True
        frame = frame.f_back
    return False
