"""The command line as argparse reads it (no abbreviations, errors in the subcommand's usage, guesses),
and what every command shares, whatever it does: where it runs from."""
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


@pytest.mark.parametrize("args, unknown", [
    (("build", "--jso", "--no-render"), "--jso"),
    (("check", "--no-cach"), "--no-cach"),
    (("status", "--al"), "--al"),
])
def test_an_abbreviated_option_is_refused(repo, args, unknown):
    """Before, `build --jso` was taken for `--json` (so a usage error after it was told as plain text, not as
    the events --json promises), and any option added later could change what an old command line meant."""
    result = run_gitspec(repo({}), *args)
    assert result.code == 2 and result.out == "", result
    assert result.err.startswith(f"usage: gitspec {args[0]} "), result
    assert result.err.endswith(f"gitspec {args[0]}: error: unrecognized arguments: {unknown}\n"), result


def test_an_unknown_option_of_a_subcommand_is_told_in_its_usage(repo):
    """Before: `usage: gitspec [-h] [--version] COMMAND ...` and `gitspec: error: ...`, naming no command."""
    ws = repo({})
    result = run_gitspec(ws, "check", "--formt", "json")
    assert result.code == 2 and result.err.startswith("usage: gitspec check [-h] [--format {text,json}]"), result
    assert result.err.endswith("gitspec check: error: unrecognized arguments: --formt\n"), result
    before = run_gitspec(ws, "--bogus", "check")  # gitspec's own, before the command
    assert before.code == 2 and before.err.startswith("usage: gitspec [-h]"), before


@pytest.mark.parametrize("args, said", [
    (("chek",), "gitspec: error: argument COMMAND: invalid choice: 'chek' (did you mean 'check'?) (choose from "),
    (("cache", "stat"), "gitspec cache: error: argument {stats,gc}: invalid choice: 'stat' (did you mean 'stats'?)"),
    (("status", "--format", "jsn"), "gitspec status: error: argument --format: invalid choice: 'jsn' (did you mean "
                                    "'json'?) (choose from 'text', 'json')"),
    (("new", "PRD", "x"), "gitspec: error: argument KIND: unknown kind 'PRD' (did you mean 'prd'?) (known kinds: "),
    (("build", "--only", "brnd"), "gitspec: error: argument --only: unknown stage 'brnd' (did you mean 'brand'?) "),
])
def test_a_mistyped_command_choice_kind_or_stage_gets_a_guess(repo, args, said):
    """Before, these got no "did you mean", though render's formats, document ids and config keys did."""
    result = run_gitspec(repo({}), *args)
    assert result.code == 2 and said in result.err and result.err.count("did you mean") == 1, result


def test_a_missing_action_is_named_as_the_usage_shows_it(repo):
    """Before: usage `gitspec cache [-h] {stats,gc}`, error `the following arguments are required: action`."""
    result = run_gitspec(repo({}), "cache")
    assert result.code == 2 and result.err == ("usage: gitspec cache [-h] {stats,gc}\ngitspec cache: error: the "
                                               "following arguments are required: {stats,gc}\n"), result
