"""Make `gitspec_openai` importable from this checkout, installed or not, and start the fake server.

The checkout goes first on sys.path so these tests exercise this source tree.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
for folder in (TESTS.parent, TESTS):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from fake_openai import FakeServer  # noqa: E402  (needs the path set above)


@pytest.fixture
def server():
    with FakeServer() as running:
        yield running
