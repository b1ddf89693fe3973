"""Names as typed and as stored: one spelling on disk, found whatever its Unicode normalisation."""
from __future__ import annotations

import unicodedata

from gitspec.unicodenames import composed, on_disk, stored

NFC, NFD = (lambda text: unicodedata.normalize("NFC", text)), (lambda text: unicodedata.normalize("NFD", text))


def test_a_name_is_found_in_either_normalisation_and_spelt_as_stored(tmp_path):
    (tmp_path / NFD("spécs/données")).mkdir(parents=True)
    assert stored(tmp_path, NFC("spécs/données")) == NFD("spécs/données")
    assert on_disk(tmp_path / NFC("spécs/données/x.yaml")) is None
    assert stored(tmp_path, NFC("spécs/nouveau")) == NFC("spécs/nouveau")  # not made yet: as written
    assert stored(tmp_path, "specs") == "specs"
    assert composed(NFD("café")) == "café" == composed("café")


def test_the_exact_name_wins_where_both_spellings_are_stored(tmp_path):
    (tmp_path / NFD("é")).mkdir()
    (tmp_path / NFC("é")).mkdir()
    assert stored(tmp_path, NFC("é")) == NFC("é") and stored(tmp_path, NFD("é")) == NFD("é")
