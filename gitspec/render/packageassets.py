"""gitspec's own CSS and JS files (gitspec/render/assets/), and the digest of them that
goes into a built-in renderer's version.

Only reads; the folder is also the one place outside the workspace weasyprint may read.
"""
from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

PACKAGE_ASSETS = Path(__file__).resolve().parent / "assets"


@cache
def package_asset(name: str) -> bytes:
    return (PACKAGE_ASSETS / name).read_bytes()


def assets_version(version: str, *names: str) -> str:
    """`version` with a digest of the assets a renderer's output carries, so that a gitspec whose
    CSS or JS changed renders again what shows them, whether or not the version was bumped."""
    digest = hashlib.sha256(b"".join(package_asset(name) for name in names)).hexdigest()
    return f"{version}+{digest[:12]}"
