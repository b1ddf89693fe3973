"""`check` reports what gitspec.yaml names but is not installed, as build and render do."""
from __future__ import annotations

import pytest
from conftest import CONFIG, run_gitspec


@pytest.mark.parametrize("config, expected", [
    (CONFIG.replace("formats: []", "formats: [html, odt]"),
     "gitspec.yaml:7:17: error: key 'formats': unknown format 'odt' (installed: docx, html, pdf)\n"),
    (CONFIG + "provider: openai\n",
     "gitspec.yaml:8:11: error: key 'provider': no provider named 'openai' (installed: template)\n"),
])
def test_check_refuses_an_uninstalled_format_or_provider_as_build_does(repo, config, expected):
    # Before, check accepted both (exit 0) and only build and render refused them.
    ws = repo({}, config=config)
    for command in ("check", "check", "build"):  # the second check is a no-op one: it must still say so
        result = run_gitspec(ws, command)
        assert (result.code, result.err) == (2, expected), (command, result)


def test_check_reports_a_config_a_build_already_cached(repo):
    ws = repo({}, config=CONFIG + "provider: openai\n")
    assert run_gitspec(ws, "build").code == 2  # having saved the index for this gitspec.yaml
    assert run_gitspec(ws, "check").code == 2


def test_a_config_found_installed_is_not_looked_at_again(repo):
    ws = repo({}, config=CONFIG.replace("formats: []", "formats: [html]"))
    assert run_gitspec(ws, "check").code == 0
    traced = run_gitspec(ws, "check", env={"GITSPEC_TRACE_HOOKS": "1"})
    assert traced.code == 0 and "gitspec_renderers" not in traced.err


@pytest.mark.parametrize("body, problem", [
    ("raise KeyError('x')", "gitspec_providers raised KeyError: 'x' (the traceback is in "),
    ("return ['llm']", "gitspec_providers returned a list, not a mapping of provider name to factory"),
])
def test_a_failing_providers_hook_names_its_plugin_in_check_as_in_build(repo, tmp_path, body, problem):
    # Before, check let the exception through as an internal error (exit 3), and took a list for names.
    from test_renderer_plugins import install

    ws = repo({})
    env = install(tmp_path / "site", "gitspec-bp", "bp", f"from gitspec import hookimpl\n\n@hookimpl\n"
                                                        f"def gitspec_providers():\n    {body}\n")
    for command in ("check", "build", "status"):
        result = run_gitspec(ws, command, env=env)
        assert result.code == 2 and "Traceback" not in result.err, (command, result)
        assert result.err.startswith(f"gitspec: error: plugin gitspec-bp (entry point bp): {problem}"), \
            (command, result)


@pytest.mark.parametrize("args", [
    ("check", "--placeholders"), ("status",), ("render", "--format", "html"), ("new", "requirements", "reqs"),
    ("pin", "reqs#items"),
])
def test_a_command_that_uses_no_format_warns_of_an_uninstalled_one(repo, args):
    # Before, only check (and a build or render of the configured formats) said anything: these were silent.
    # They warn, and go on: a CI runner without an optional renderer plugin can still run status.
    ws = repo({}, config=CONFIG.replace("formats: []", "formats: [html, rtf]"))
    result = run_gitspec(ws, *args)
    assert "gitspec.yaml:7:17: warning: key 'formats': unknown format 'rtf' (installed: docx, html, pdf)\n" \
        in result.err and "error: key 'formats'" not in result.err, result
    assert run_gitspec(ws, "check").code == 2  # check refuses it, as build and render of the formats do
