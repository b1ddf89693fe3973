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
