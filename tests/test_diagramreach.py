"""What a diagram may name before mmdc's browser draws it: no URL, no file, none of the settings gitspec fixes."""
from __future__ import annotations

import pytest

from gitspec.render.diagramreach import refusal

REACHING = {
    "image shape": 'flowchart LR\n  A@{ img: "http://127.0.0.1:8799/shape.png", label: "x", w: 60, h: 60 } --> B',
    "image shape, a file": 'flowchart LR\n  A@{ img: "file:///outside/secret.png" } --> B',
    "image shape, a relative path": 'flowchart LR\n  A@{ img: "../../../secret.png" } --> B',
    "themeCSS url": '%%{init: {"themeCSS": ".node rect { fill: url(http://127.0.0.1:8799/t) }"}}%%\nflowchart LR\n  X',
    "fontFamily css": '%%{init: {"fontFamily": "x; background: url(http://127.0.0.1:8799/f)"}}%%\nflowchart LR\n  P',
    "html label image": 'flowchart LR\n  M["<img src=\'x.png\'>"] --> N',
    "css import": '%%{init: {"theme": "base", "themeVariables": {"x": "@import \'a.css\'"}}}%%\nflowchart LR\n  A',
    "an address in shape data": 'flowchart LR\n  A@{ shape: rect, label: "x", link: "//example.com/x" } --> B',
    "click link": 'flowchart LR\n  A --> B\n  click A href "https://example.com"',
    "a CSS escape spelling url(": "flowchart LR\n  A --> B\n  classDef c fill:\\75 rl(x.png)\n  class A c",
    # a statement after a ";" on the line, and a brace in a quoted string of shape data, hid these
    "a style after a semicolon": "flowchart TD\n  A-->B; style A fill:url(https://example.com/x.svg#p)",
    "a classDef after a semicolon": "flowchart TD\n  A:::c; classDef c fill:url(//example.com/x)",
    "a file after a semicolon": "flowchart TD\n  A-->B; classDef c background:url(file:///etc/x.png)",
    "an image after a quoted brace": 'flowchart TD\n  A@{ label: "a}", img: "https://example.com/x.png" }',
    "a link statement": "classDiagram\n  class A\n  link A \"https://example.com\"",
    "a JSON escape in a directive": '%%{init: {"themeVariables": {"primaryColor": "\\u0075rl(x)"}}}%%\nflowchart LR\n  A',
}
LOCKED = {
    "htmlLabels back on": '%%{init: {"htmlLabels": true, "flowchart": {"htmlLabels": true}}}%%\nflowchart LR\n  A',
    "a font": '%%{init: {"fontFamily": "Inter"}}%%\nflowchart LR\n  A',
    "security level": '---\nconfig:\n  securityLevel: loose\n---\nflowchart LR\n  A',
    "themeCSS in front matter": '---\nconfig:\n  themeCSS: ".a { fill: red }"\n---\nflowchart LR\n  A',
    "a directive over two lines": '%%{init: {"theme": "dark",\n  "securityLevel": "loose"}}%%\nflowchart LR\n  A',
}
DRAWN = {
    "flowchart with every shape": "flowchart LR\n  A[\\Go/] --> B[/Back\\]\n  A -.-> B{Ok?}\n  B ==>|yes| C((Done))",
    "sequence": "sequenceDiagram\n  actor A\n  A->>B: Hello\n  Note right of B: a note\n",
    "er with a title": "---\ntitle: Data\n---\nerDiagram\n  CUSTOMER ||--o{ ORDER : places\n",
    "journey": "journey\n  title Day\n  section Go\n    Make tea: 5: Me\n",
    "a theme and its colours": '%%{init: {"theme": "dark", "themeVariables": {"primaryColor": "#ff0000"}}}%%\n'
                               "flowchart LR\n  A-->B\n  classDef hot fill:#f96,stroke:#333\n  class A hot",
    "words that are settings or schemes": "flowchart LR\n  A[Secure login] --> B[Upload file: CSV]\n"
                                          "  B -->|http: 200| C[htmlLabels and fontFamily]",
    "a comment naming a URL": "flowchart LR\n  %% from https://example.com/wiki\n  A --> B",
    # text that names addresses is drawn as text: HTML labels are off and the security level strict
    # (before, these were refused: the architecture stage's ER diagrams carry field descriptions)
    "an ER comment with a URL": 'erDiagram\n  USER {\n    string avatar "Avatar URL (optional)"\n'
                                '    string homepage "homepage, e.g. https://acme.com"\n    string href\n  }',
    "a request in a sequence": "sequenceDiagram\n  A->>B: GET http://api/v1\n  B-->>A: 200 //ok",
    "a class method named url": "classDiagram\n  class Link {\n    +url() String\n    +src String\n  }",
    "labels naming folders and schemes": 'flowchart LR\n  A["Docs // Help"] --> B["src (folder)"] --> C[Upload file:csv]'
                                         "\n  C --> D[//example.com/x]",
}


@pytest.mark.parametrize("source", REACHING.values(), ids=REACHING.keys())
def test_a_diagram_naming_a_url_or_a_file_is_refused(source):
    reason = refusal(source)
    assert reason and ("names a URL or a file" in reason or "backslash" in reason), reason


@pytest.mark.parametrize("source", LOCKED.values(), ids=LOCKED.keys())
def test_a_diagram_changing_what_gitspec_fixes_is_refused(source):
    reason = refusal(source)
    assert reason and reason.startswith("it sets ") and reason.endswith("which gitspec fixes for every diagram")


@pytest.mark.parametrize("source", DRAWN.values(), ids=DRAWN.keys())
def test_ordinary_diagrams_are_drawn(source):
    assert refusal(source) is None


def test_the_reason_shows_where_in_the_diagram_on_one_line():
    assert refusal(REACHING["image shape"]) == (
        'it names a URL or a file (at img: "http://127.0.0.1:8799/shape.png", label: "x…), '
        "and gitspec lets no diagram fetch from the network or read a file")
