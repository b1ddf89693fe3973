"""Verdicts: verified, failing, stale and missing, from evidence records and two git questions."""
from __future__ import annotations

from pathlib import Path

import yaml

from conftest import EXAMPLE
from gitspec.verdicts import FAILING, MISSING, STALE, VERIFIED, Verdict, decide_verdicts, outcome_for

HEAD_LINE = {"c1" * 20, "c2" * 20}  # commits that are HEAD or behind it


def record(ev_id: str, reqs: list[str], verdict: str = "passed", started: str = "2026-02-01T10:00:00Z",
           commit: str = "c1" * 20, **more) -> dict:
    return {"kind": "evidence", "id": ev_id, "requirements": reqs, "verdict": verdict, "startedAt": started,
            "commit": commit, **more}


def decide(evidence, reqs=("REQ-001",), changed=()):
    asked = []

    def is_ancestor(commit):
        asked.append(commit)
        return commit in HEAD_LINE

    verdicts = decide_verdicts(reqs, evidence, is_ancestor, lambda req, commit: (req, commit) in changed)
    return verdicts, asked


def test_passed_on_an_ancestor_and_unchanged_is_verified():
    verdicts, _ = decide([record("ev-0001", ["REQ-001"])])
    assert verdicts["REQ-001"] == Verdict("REQ-001", VERIFIED, "ev-0001", "evidence ev-0001 passed on c1c1c1c")


def test_no_evidence_is_missing():
    verdicts, _ = decide([record("ev-0001", ["REQ-002"])], reqs=("REQ-001", "REQ-002"))
    assert verdicts["REQ-001"] == Verdict("REQ-001", MISSING, None, "no evidence")
    assert list(verdicts) == ["REQ-001", "REQ-002"]


def test_newest_evidence_decides():
    older_pass = record("ev-0001", ["REQ-001"], started="2026-02-01T10:00:00+00:00")
    newer_fail = record("ev-0002", ["REQ-001"], "failed", started="2026-02-01T11:30:00+01:00", exitCode=1)
    # 11:30+01:00 is 10:30 UTC: later than 10:00 UTC, though a string compare would agree by luck;
    # 09:30-02:00 is 11:30 UTC, later still, though it sorts first as text.
    newest_pass = record("ev-0003", ["REQ-001"], started="2026-02-01T09:30:00-02:00")
    verdicts, _ = decide([older_pass, newer_fail])
    assert verdicts["REQ-001"] == Verdict("REQ-001", FAILING, "ev-0002",
                                          "newest evidence ev-0002 failed (exit code 1)")
    verdicts, _ = decide([newest_pass, older_pass, newer_fail])
    assert verdicts["REQ-001"].state == VERIFIED and verdicts["REQ-001"].evidence_id == "ev-0003"


def test_ties_go_to_the_greater_id():
    same = "2026-02-01T10:00:00Z"
    verdicts, _ = decide([record("ev-0002", ["REQ-001"], "failed", same),
                          record("ev-0001", ["REQ-001"], started=same)])
    assert verdicts["REQ-001"].evidence_id == "ev-0002" and verdicts["REQ-001"].state == FAILING


def test_evidence_on_a_commit_outside_head_is_stale():
    verdicts, _ = decide([record("ev-0001", ["REQ-001"], commit="9c1e4b7a2f0d83e6b5a4c9d1e2f3a7b8c6d5e4f3")])
    assert verdicts["REQ-001"] == Verdict(
        "REQ-001", STALE, "ev-0001", "evidence ev-0001 was taken on 9c1e4b7, which is not an ancestor of HEAD")
    verdicts, _ = decide([record("ev-0001", ["REQ-001"], commit="")])
    assert verdicts["REQ-001"].reason == ("evidence ev-0001 was taken on an unknown commit, "
                                          "which is not an ancestor of HEAD")


def test_a_requirement_changed_since_its_evidence_is_stale():
    verdicts, _ = decide([record("ev-0001", ["REQ-001", "REQ-003"])], reqs=("REQ-001", "REQ-003"),
                         changed={("REQ-003", "c1" * 20)})
    assert verdicts["REQ-003"] == Verdict("REQ-003", STALE, "ev-0001", "REQ-003 changed since ev-0001 was taken")
    assert verdicts["REQ-001"].state == VERIFIED


def test_a_failure_is_failing_even_on_a_foreign_commit():
    verdicts, _ = decide([record("ev-0001", ["REQ-001"], "failed", commit="ab" * 20)])
    assert verdicts["REQ-001"].state == FAILING


def test_errored_and_skipped_evidence():
    verdicts, _ = decide([record("ev-0001", ["REQ-001"], "error")])
    assert verdicts["REQ-001"] == Verdict("REQ-001", FAILING, "ev-0001", "newest evidence ev-0001 could not run")
    verdicts, _ = decide([record("ev-0001", ["REQ-001"], "skipped")])
    assert verdicts["REQ-001"] == Verdict("REQ-001", MISSING, "ev-0001", "newest evidence ev-0001 was skipped")
    verdicts, _ = decide([record("ev-0001", ["REQ-001"], "weird")])
    assert verdicts["REQ-001"].state == FAILING


def case(name, verdict, reqs):
    return {"name": name, "verdict": verdict, "requirements": reqs}


def test_junit_cases_beat_the_record_verdict():
    report = record("ev-0002", ["REQ-007", "REQ-017", "REQ-018", "REQ-019"], "failed", source="junit", cases=[
        case("test_list", "passed", ["REQ-007"]),
        case("test_retry", "failed", ["REQ-017"]),
        case("test_cancel", "skipped", ["REQ-017"]),
        case("test_notice", "error", ["REQ-018"]),
        case("test_notice_again", "failed", ["REQ-018"]),
        case("test_mrr", "skipped", ["REQ-019"]),
    ])
    verdicts, _ = decide([report], reqs=("REQ-007", "REQ-017", "REQ-018", "REQ-019"))
    assert verdicts["REQ-007"].state == VERIFIED
    assert verdicts["REQ-017"] == Verdict("REQ-017", FAILING, "ev-0002",
                                          "newest evidence ev-0002 failed (test_retry)")
    assert verdicts["REQ-018"].reason == "newest evidence ev-0002 failed (test_notice_again)"
    assert verdicts["REQ-019"] == Verdict("REQ-019", MISSING, "ev-0002",
                                          "newest evidence ev-0002 was skipped (test_mrr)")


def test_a_passing_record_with_a_failing_case():
    report = record("ev-0003", ["REQ-001"], "passed", cases=[case("a", "passed", ["REQ-001"]),
                                                           case("b", "failed", ["REQ-001"])])
    assert outcome_for(report, "REQ-001").verdict == "failed"
    assert outcome_for(report, "REQ-404").verdict == "passed"  # no case maps to it: the record speaks


def test_a_case_mapping_a_requirement_the_record_does_not_list_still_counts():
    report = record("ev-0004", ["REQ-001"], cases=[case("x", "failed", ["REQ-002"])])
    verdicts, _ = decide([report], reqs=("REQ-002",))
    assert verdicts["REQ-002"].state == FAILING


def test_ancestry_is_asked_once_per_commit_and_not_for_failures():
    evidence = [record(f"ev-{n:04d}", [f"REQ-00{n}"]) for n in range(1, 5)]
    evidence.append(record("ev-0009", ["REQ-009"], "failed", commit="ff" * 20))
    _, asked = decide(evidence, reqs=("REQ-001", "REQ-002", "REQ-003", "REQ-004", "REQ-009"))
    assert asked == ["c1" * 20]


def test_the_bundled_example_evidence():
    folder = Path(EXAMPLE, "specs", "evidence")
    evidence = [yaml.safe_load(path.read_text()) for path in sorted(folder.glob("*.yaml"))]
    example_commits = {record["commit"] for record in evidence}
    verdicts = decide_verdicts(("REQ-001", "REQ-007", "REQ-015", "REQ-017"), evidence,
                               example_commits.__contains__, lambda req, commit: False)
    assert {req: v.state for req, v in verdicts.items()} == {
        "REQ-001": MISSING, "REQ-007": VERIFIED, "REQ-015": VERIFIED, "REQ-017": FAILING}
    assert verdicts["REQ-017"].reason == "newest evidence ev-0002 failed (test_retry_schedule_stops_after_success)"


def test_evidence_naming_its_commit_by_a_name_is_never_trusted():
    for name in ("HEAD", "main", "c1c1c1c"):  # all resolve in git, and HEAD always to an ancestor
        verdicts, asked = decide([record("ev-0003", ["REQ-001"], commit=name)])
        assert verdicts["REQ-001"] == Verdict("REQ-001", MISSING, "ev-0003",
                                              f"evidence ev-0003 names commit '{name}', not a commit id")
        assert asked == []


def test_a_commit_a_shallow_clone_cannot_place_is_stale_saying_why():
    verdicts = decide_verdicts(["REQ-001"], [record("ev-0001", ["REQ-001"])], lambda commit: "the clone is shallow",
                               lambda req, commit: False)
    assert verdicts["REQ-001"] == Verdict("REQ-001", STALE, "ev-0001", "cannot tell whether evidence ev-0001 was "
                                          "taken on an ancestor of HEAD (c1c1c1c): the clone is shallow")


def test_without_a_head_the_reason_says_why_nothing_can_be_verified():
    verdicts = decide_verdicts(["REQ-001"], [record("ev-0001", ["REQ-001"])], lambda commit: False,
                               lambda req, commit: True, "the repository has no commits yet")
    assert verdicts["REQ-001"] == Verdict("REQ-001", STALE, "ev-0001", "evidence ev-0001 was taken on c1c1c1c, "
                                          "and the repository has no commits yet")


def test_evidence_whose_start_cannot_be_read_never_lets_an_older_pass_verify():
    for started in ("2026-02-30T10:00:00Z", "yesterday", "2026-03-01", "2026-03-01T10:00:00", None):
        older = record("ev-0001", ["REQ-001"], started="2026-01-01T10:00:00Z")
        verdicts, _ = decide([older, record("ev-0002", ["REQ-001"], "failed", started=started)])
        assert verdicts["REQ-001"] == Verdict("REQ-001", STALE, "ev-0002", "cannot tell which evidence is newest: "
                                              "evidence ev-0002 has no readable startedAt (a date-time such as "
                                              "2026-01-15T09:30:00Z)"), started


def test_start_times_in_other_offsets_are_ordered_by_the_moment():
    earlier = record("ev-0001", ["REQ-001"], "failed", started="2026-03-01T10:00:00+02:00")  # 08:00 UTC
    later = record("ev-0002", ["REQ-001"], started="2026-03-01t09:00:00.5z")
    verdicts, _ = decide([later, earlier])
    assert verdicts["REQ-001"].state == VERIFIED
