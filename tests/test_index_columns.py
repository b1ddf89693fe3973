"""The parse index on disk (GSIX5): columns round-trip, records unpack on demand, memos ride along."""
from __future__ import annotations

from types import SimpleNamespace

from gitspec.index import RACY_NS, Entry, ParseIndex, load_index, save_index


def _entry(n: int) -> Entry:
    info = (f"doc-{n}", "notes", f"specs/doc-{n}.yaml", ("text",), (4,), (f"hash-{n}",))
    return Entry(10 + n, 1_000 + n, 100 + n, 2_000 + n, f"sha-{n}", ([], [("d", f"doc-{n}")], info, b"values"))


def _saved(tmp_path, count=3) -> ParseIndex:
    index = ParseIndex(tmp_path / "index", "fingerprint", config=(b"specs: [specs]\n", {"specs": ["specs"]}))
    index.entries = {f"specs/doc-{n}.yaml": _entry(n) for n in range(count)}
    index.result = (b"digest", [("specs/doc-0.yaml", 1, 1, "error", "message", "rule")])
    index.memo["judgement"] = ("token", *index.content(), {"stage": None})
    save_index(index, 5 * RACY_NS)
    return index


def test_a_saved_index_loads_as_it_was(tmp_path):
    saved = _saved(tmp_path)
    loaded = load_index(tmp_path)
    assert (loaded.fingerprint, loaded.scan_ns, loaded.config, loaded.result) == \
        (saved.fingerprint, 5 * RACY_NS, saved.config, saved.result)
    assert loaded.entries == saved.entries
    assert loaded.memo == saved.memo and loaded.content() == saved.content()
    assert list(loaded.parsed()) == [(rel, e.sha, e.record[2], e.record[3]) for rel, e in saved.entries.items()]


def test_memo_keys_share_the_index_columns(tmp_path):
    _saved(tmp_path)
    loaded = load_index(tmp_path)
    _, rels, shas, _ = loaded.memo["judgement"]
    assert (rels, shas) == loaded.content() and rels is loaded.content()[0]


def test_trusted_compares_the_stat_key_and_distrusts_recent_mtimes(tmp_path):
    _saved(tmp_path)
    index = load_index(tmp_path)
    stat = SimpleNamespace(st_size=11, st_mtime_ns=1_001, st_ino=101, st_ctime_ns=2_001)  # doc-1's key
    entry = index.trusted("specs/doc-1.yaml", stat)
    assert entry is not None and entry.sha == "sha-1" and entry.record[2][0] == "doc-1"
    # rewritten and given its old mtime back (touch -d, cp -p), or its mode changed: the ctime moved
    assert index.trusted("specs/doc-1.yaml", SimpleNamespace(**{**vars(stat), "st_ctime_ns": 3_000})) is None
    assert index.trusted("specs/doc-2.yaml", stat) is None  # another file's key
    assert index.trusted("specs/new.yaml", stat) is None
    index.scan_ns = 1_001 + RACY_NS  # recorded too close to the scan: racily clean
    assert index.trusted("specs/doc-1.yaml", stat) is None


def test_a_truncated_or_foreign_index_is_empty(tmp_path):
    _saved(tmp_path)
    blob = (tmp_path / "index").read_bytes()
    for broken in (blob[: len(blob) // 2], b"GSIX4" + blob[5:], b""):
        (tmp_path / "index").write_bytes(broken)
        index = load_index(tmp_path)
        assert index.fingerprint == "" and index.entries == {} and index.memo == {}


def test_an_empty_index_saves_and_loads(tmp_path):
    index = ParseIndex(tmp_path / "index", "fingerprint")
    index.entries = {}
    save_index(index, RACY_NS)
    assert load_index(tmp_path).entries == {}
