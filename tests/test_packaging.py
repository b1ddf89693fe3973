"""The wheel as a user installs it: schemas inside, `gitspec check` works; the example plugin installs and is seen.

Offline: wheels are built without build isolation and installed without
dependencies into a fresh venv that borrows this environment's packages.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from conftest import EXAMPLE, REPO, make_repo

PLUGIN = REPO / "plugins" / "gitspec-example"


def _run(*args, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=300, **kwargs)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def _wheel(source: Path, name: str, out: Path) -> Path:
    _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", out, source)
    return next(out.glob(f"{name}-*.whl"))


@pytest.fixture(scope="module")
def venv(tmp_path_factory):
    """A fresh venv holding the gitspec wheel and the example plugin's wheel, made once in the run
    (conftest.made_once): the tests only run what it holds."""
    from conftest import made_once

    def make(root: Path) -> dict:
        wheels = [_wheel(REPO, "gitspec", root / "dist"), _wheel(PLUGIN, "gitspec_example", root / "dist")]
        env = root / "venv"
        _run(sys.executable, "-m", "venv", "--without-pip", env)
        python = env / "bin" / "python"
        site = Path(_run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").stdout.strip())
        # Dependencies come from this environment, after the venv's own packages.
        (site / "_borrowed.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
        _run(sys.executable, "-m", "pip", "--python", python, "install", "-q", "--no-deps", *wheels)
        return {"wheel": wheels[0].relative_to(root).as_posix()}

    root, made = made_once(tmp_path_factory, "packaging-venv", make)
    return root / "venv", root / made["wheel"]


def test_wheel_ships_the_schemas_and_templates(venv):
    _, wheel = venv
    names = zipfile.ZipFile(wheel).namelist()
    assert "gitspec/schemas/requirements.schema.json" in names
    assert "gitspec/schemas/common.schema.json" in names
    assert "gitspec/templates/prd.md" in names


def test_installed_gitspec_checks_the_example_outside_the_source_tree(venv, tmp_path):
    env, _ = venv
    where = _run(env / "bin" / "python", "-c",
                 "import gitspec.schemas as s; print(s.__file__); print(s.builtin_schema_dir())",
                 cwd=tmp_path).stdout.split()
    assert all(str(env) in line for line in where), where
    workspace = tmp_path / "example"
    shutil.copytree(EXAMPLE, workspace, ignore=shutil.ignore_patterns(".gitspec", "build"))
    make_repo(workspace, {})
    result = subprocess.run([env / "bin" / "gitspec", "check"], cwd=workspace, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    bad = workspace / "specs" / "requirements.yaml"
    bad.write_text(bad.read_text().replace("priority: must", "priority: urgent", 1))
    result = subprocess.run([env / "bin" / "gitspec", "check"], cwd=workspace, capture_output=True, text=True)
    assert result.returncode == 1 and "'urgent' is not one of" in result.stdout


def test_installed_example_plugin_adds_its_kind(venv, tmp_path):
    env, _ = venv
    ws = make_repo(tmp_path / "ws", {"gitspec.yaml": "specs: [specs]\n", "specs/.keep": ""})
    gitspec = env / "bin" / "gitspec"
    _run(gitspec, "new", "risk", "launch-risks", cwd=ws)
    result = subprocess.run([gitspec, "check"], cwd=ws, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    # without the plugin, the same file is an unknown kind
    plain = subprocess.run(["gitspec", "check"], cwd=ws, capture_output=True, text=True,
                           env={"PATH": str(Path(sys.executable).parent)})
    assert plain.returncode == 1 and "unknown kind 'risk'" in plain.stdout


def test_example_plugin_own_tests_pass_when_installed(venv):
    env, _ = venv
    result = subprocess.run([env / "bin" / "python", "-m", "pytest", "-q", "-p", "no:cacheprovider",
                             PLUGIN / "tests"], capture_output=True, text=True, cwd=PLUGIN,
                            env={"PATH": f"{env / 'bin'}:/usr/bin:/bin"})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "4 passed" in result.stdout
