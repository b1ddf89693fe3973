"""safe_target: code files are written only inside the code folder."""
from __future__ import annotations

import os

import pytest

from gitspec.codefiles import safe_target
from gitspec.errors import GitspecError


@pytest.mark.parametrize("relative", ["../x", "a/../../x", "a/..", "/etc/passwd", "a\\b", "C:/x", "", "a/\0b"])
def test_refuses_paths_that_could_escape(tmp_path, relative):
    with pytest.raises(GitspecError) as raised:
        safe_target(tmp_path, relative)
    assert raised.value.exit_code == 1
    assert repr(relative) in str(raised.value)


def test_accepts_a_nested_relative_path(tmp_path):
    assert safe_target(tmp_path, "app/routes.py") == tmp_path.resolve() / "app" / "routes.py"


def test_refuses_a_symlink_escaping_the_folder(tmp_path):
    folder, outside = tmp_path / "code", tmp_path / "outside"
    folder.mkdir()
    outside.mkdir()
    (folder / "link").symlink_to(outside, target_is_directory=True)
    with pytest.raises(GitspecError, match="outside"):
        safe_target(folder, "link/x.py")
    (folder / "file.py").symlink_to(outside / "f.py")
    with pytest.raises(GitspecError, match="outside"):
        safe_target(folder, "file.py")


def test_accepts_a_symlink_that_stays_inside(tmp_path):
    (tmp_path / "real").mkdir()
    (tmp_path / "alias").symlink_to(tmp_path / "real", target_is_directory=True)
    assert safe_target(tmp_path, "alias/x.py") == (tmp_path / "real" / "x.py").resolve()


def test_a_symlink_loop_is_refused_not_a_crash(tmp_path):
    os.symlink(tmp_path / "loop", tmp_path / "loop")
    with pytest.raises(GitspecError):
        safe_target(tmp_path, "loop/x")
