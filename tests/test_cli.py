"""What every command shares, whatever it does: where it runs from."""
from __future__ import annotations

import pytest
from conftest import run_gitspec

# Runs gitspec in a folder of the workspace that is deleted just before, as a shell left in it would.
IN_A_DELETED_FOLDER = ("sh", "-c", 'mkdir gone && cd gone && rmdir ../gone && exec "$@"', "deleted")


@pytest.mark.parametrize("args", [
    ("check",), ("check", "--placeholders"), ("status",), ("init",), ("build",), ("render",),
    ("new", "requirements", "reqs"), ("pin", "reqs#items"), ("cache", "stats"),
])
def test_a_command_run_in_a_deleted_folder_says_so_in_one_line(repo, args):
    # Before: "gitspec: internal error (FileNotFoundError ...)", exit 3, and a crash log.
    ws = repo({})
    result = run_gitspec(ws, *args, prefix=IN_A_DELETED_FOLDER)
    assert (result.code, result.out) == (2, ""), result
    assert result.err == "gitspec: error: the current folder no longer exists (deleted or moved away): " \
                         "cd into one that does\n", result
    assert not (ws / ".gitspec" / "logs").exists()
