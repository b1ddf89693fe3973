"""Comments of a YAML text, found between libyaml's tokens (pure text in, data out)."""
from __future__ import annotations

from gitspec.yamlgaps import comments


def test_whole_line_and_end_of_line_comments_with_their_lines_and_no_hash_inside_a_value():
    text = ('# top\nkind: notes  # eol\nid: "#not"\nb: |\n  # in the text\n# after\ngenerated: {  # stamps\n'
            "  a: {stage: s}}\t# tab\r\n# crlf\r\nz: x#y #last  ")
    found = comments(text)
    assert [(c.line, c.text) for c in found] == [(0, "# top"), (1, "# eol"), (5, "# after"), (6, "# stamps"),
                                                 (7, "# tab"), (8, "# crlf"), (9, "#last")]
    assert all(text[c.index:].startswith(c.text) for c in found)
