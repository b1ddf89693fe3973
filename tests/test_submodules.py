"""Documents inside a git submodule of a spec folder: their history is read from the submodule's own
repository, at the commit the superproject records for it."""
from __future__ import annotations

from conftest import CONFIG, git, make_repo, passed_evidence, requirement, requirements_doc, run_gitspec

HTML = CONFIG.replace("formats: []", "formats: [html]")
SHARED = requirements_doc("shared", requirement("REQ-001") + requirement("REQ-002"))
BADGE = '<span class="badge badge-info"><bdi>uncommitted</bdi></span>'


def head(root) -> str:
    return git(root, "rev-parse", "HEAD").strip()


def with_shared_specs(tmp_path, files: dict | None = None) -> tuple:
    """A workspace committed with the repository `shared` (its requirements `shared`, committed twice)
    added as the submodule specs/shared: the workspace and the submodule's checkout."""
    shared = make_repo(tmp_path / "shared", {"reqs.yaml": SHARED.replace("do REQ-002.", "do it.")})
    (shared / "reqs.yaml").write_text(SHARED)
    git(shared, "commit", "-q", "-am", "state REQ-002")
    root = make_repo(tmp_path / "ws", {"gitspec.yaml": HTML, "specs/.keep": "", **(files or {})})
    git(root, "-c", "protocol.file.allow=always", "submodule", "add", "-q", str(shared), "specs/shared")
    git(root, "commit", "-q", "-m", "add the shared specs")
    return root, root / "specs/shared"


def rendered(root) -> tuple[str, str]:
    """The index page and the shared requirements' page, once rendered."""
    done = run_gitspec(root, "render")
    assert done.code == 0 and "warning" not in done.err, done
    return (root / "build/html/index.html").read_text(), (root / "build/html/shared.html").read_text()


def test_a_committed_document_in_a_submodule_has_its_history_and_is_not_uncommitted(tmp_path):
    """Before, it was always "uncommitted" (page, sections and the site's badge) with no last change,
    though both repositories were clean: the history read only the superproject, where it is a gitlink."""
    root, checkout = with_shared_specs(tmp_path)
    for _ in range(2):  # the second from the facts remembered for HEAD
        index, page = rendered(root)
        assert "uncommitted changes" not in index and BADGE not in page
        assert f"Last change: commit <code>{head(checkout)[:7]}</code>" in page
    (checkout / "reqs.yaml").write_text(SHARED.replace("do REQ-002.", "do REQ-002 fast."))
    index, page = rendered(root)
    assert "uncommitted changes" in index and BADGE in page
    git(checkout, "commit", "-q", "-am", "faster")  # committed in the submodule, not yet recorded
    index, page = rendered(root)
    assert "uncommitted changes" in index and BADGE in page
    git(root, "commit", "-q", "-am", "record the faster REQ-002")
    index, page = rendered(root)
    assert "uncommitted changes" not in index and BADGE not in page
    assert f"Last change: commit <code>{head(checkout)[:7]}</code>" in page


def test_evidence_of_a_requirement_in_a_submodule_is_verified_until_its_text_changes(tmp_path):
    root, checkout = with_shared_specs(tmp_path)
    recorded = head(root)
    (root / "specs/ev.yaml").write_text(passed_evidence(recorded, "REQ-001, REQ-002"))
    git(root, "add", "specs/ev.yaml")
    git(root, "commit", "-q", "-m", "evidence")
    rendered(root)
    assert (root / "build/html/traceability.html").read_text().count(f"passed on {recorded[:7]}") == 2
    (checkout / "reqs.yaml").write_text(SHARED.replace("do REQ-002.", "do REQ-002 fast."))
    git(checkout, "commit", "-q", "-am", "faster")
    git(root, "commit", "-q", "-am", "record the faster REQ-002")
    rendered(root)
    matrix = (root / "build/html/traceability.html").read_text()
    assert matrix.count(f"passed on {recorded[:7]}") == 1 and "REQ-002 changed since ev-0001" in matrix, matrix


def test_a_submodule_lacking_the_recorded_commit_is_named(tmp_path):
    root, checkout = with_shared_specs(tmp_path)
    missing = "1234567" + "0" * 33
    git(root, "update-index", "--cacheinfo", f"160000,{missing},specs/shared")
    git(root, "commit", "-q", "-m", "record a commit the checkout lacks")
    done = run_gitspec(root, "render")
    assert done.code == 0 and [line for line in done.err.splitlines() if line.startswith("warning:")] == [
        "warning: the submodule specs/shared lacks commit 1234567, which the last commit records for it, so its "
        "documents show as uncommitted; 'git submodule update' checks it out"], done
    assert BADGE in (root / "build/html/shared.html").read_text()


def test_a_document_in_a_submodule_of_a_submodule_has_its_history_too(tmp_path):
    """Before, it showed as uncommitted with no last change, and no warning: the first submodule's
    history answered for it by itself, finding only a gitlink where the document is."""
    inner = make_repo(tmp_path / "inner", {"reqs.yaml": requirements_doc("inner", requirement("REQ-101"))})
    root, checkout = with_shared_specs(tmp_path)
    git(checkout, "-c", "protocol.file.allow=always", "submodule", "add", "-q", str(inner), "inner")
    git(checkout, "commit", "-q", "-m", "add the inner specs")
    git(root, "commit", "-q", "-am", "record the shared specs with their inner ones")
    assert git(root, "status", "--porcelain") == ""
    done = run_gitspec(root, "render")
    assert done.code == 0 and "warning" not in done.err, done
    page = (root / "build/html/inner.html").read_text()
    assert BADGE not in page and f"Last change: commit <code>{head(checkout / 'inner')[:7]}</code>" in page
    assert "uncommitted changes" not in (root / "build/html/index.html").read_text()
