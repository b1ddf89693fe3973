"""A drawn diagram's text alternative: its name, its kind and what it links, read from its Mermaid source."""
from __future__ import annotations

import json
import re
import subprocess
import sys

from hypothesis import given
from hypothesis import strategies as st

from gitspec.render.diagramtext import LONGEST, describe


def test_a_flowchart_reads_as_its_chains_of_labels():
    source = 'flowchart LR\n  A[Sign up] --> B(["Verify email"])\n  B --> C{{Dashboard}}\n'
    assert describe(source, "Onboarding") == "Onboarding. Flowchart: Sign up → Verify email → Dashboard"
    assert describe("graph TD\n  client([Client]) -->|HTTPS| api[API]\n  api --> db[(Postgres)]\n  x & y --> db\n  lone") \
        == "Flowchart: Client → API (HTTPS) → Postgres; x → Postgres; y → Postgres; lone"
    assert describe('flowchart LR\n  S["[draft] a step"] --> S') == "Flowchart: [draft] a step → [draft] a step"


def test_sequences_and_entity_relationships_name_their_parts():
    assert describe("sequenceDiagram\n  participant U as User\n  U->>+S: log in\n  S-->>-U: token", "Login") \
        == "Login. Sequence diagram: User → S: log in; S → User: token"
    source = '---\ntitle: Data model\n---\nerDiagram\n  A ||--o{ B : "has"\n  Lone {\n    uuid id PK\n  }\n'
    assert describe(source, "Er diagram") == "Data model. Entity relationship diagram: A has B; Lone"


def test_common_forms_say_what_they_link():
    # Before, each read as its kind alone ("Entity relationship diagram", "Flowchart"), or kept the markup.
    generated = 'erDiagram\n  Customer||--o{Invoice : "customerId"\n  Invoice||--o{LineItem : "invoiceId"\n'
    assert describe(generated) == ("Entity relationship diagram: Customer customerId Invoice; "
                                   "Invoice invoiceId LineItem")  # the form gitspec's data model writes
    assert describe("graph TD; Signup-->Verify; Verify-->Dashboard") == "Flowchart: Signup → Verify → Dashboard"
    assert describe("graph; A-->B") == "Flowchart: A → B"
    assert describe("flowchart LR\n  app[Web app<br/>React SPA] -->|calls<BR>over HTTPS| api[API]") \
        == "Flowchart: Web app React SPA → API (calls over HTTPS)"
    assert describe("sequenceDiagram\n  A->>B: one<br>two") == "Sequence diagram: A → B: one two"


def test_other_kinds_say_their_kind_and_nothing_is_too_long():
    assert describe('pie\n  "a": 1', "Share") == "Share. Pie chart"
    assert describe("") == "Diagram"
    long = describe("flowchart LR\n" + "\n".join(f"  n{i}[Step {i}] --> n{i + 1}" for i in range(200)))
    assert len(long) <= LONGEST and long.endswith("Step 39…")


@given(st.text(max_size=200), st.text(max_size=20))
def test_any_source_is_described_without_failing(source, name):
    text = describe(source, name)
    assert 0 < len(text) and (len(text) <= LONGEST or "accDescr" in source)  # (an author's is kept whole)


def test_mermaids_own_accessible_title_and_description_name_and_describe_the_diagram():
    """`accTitle: Checkout` and `accDescr: …` were read as flowchart nodes ("Flowchart: Cart → Pay; accTitle;
    accDescr"), a multi-line `accDescr { … }` gave words from inside the sentence ("The; then"), and a pie
    chart's description was left out: a screen reader heard the nonsense, not what the author wrote."""
    assert describe("flowchart LR\n  accTitle: Checkout\n  accDescr: The buyer pays, then sees a receipt.\n"
                    "  A[Cart] --> B[Pay]\n", "Caption") == "Checkout. Flowchart: The buyer pays, then sees a receipt."
    assert describe("flowchart LR\n  accDescr {\n    The buyer pays,\n    then sees a receipt.\n  }\n"
                    "  A[Cart] --> B[Pay]\n") == "Flowchart: The buyer pays, then sees a receipt."
    assert describe('pie\n  accTitle: Pet ownership\n  accDescr: Dogs 386 and cats 85 of 471 households.\n'
                    '  "Dogs" : 386\n  "Cats" : 85\n') == (
        "Pet ownership. Pie chart: Dogs 386 and cats 85 of 471 households.")
    # A title alone names the diagram, which is then read as ever; as a statement after a ";" too
    assert describe("flowchart LR\n  accTitle: Checkout\n  A[Cart] --> B[Pay]\n") == "Checkout. Flowchart: Cart → Pay"
    assert describe("graph TD; A-->B; accTitle: Two steps") == "Two steps. Flowchart: A → B"
    assert describe("sequenceDiagram\n  accDescr { Alice greets Bob }\n  A->>B: hi\n") == (
        "Sequence diagram: Alice greets Bob")
    long = "word " * 200
    assert describe(f"flowchart LR\n  accDescr: {long}\n  A --> B") == f"Flowchart: {long.strip()}"


def test_a_long_line_is_described_in_one_pass():
    """Lines such as a 20,000-character `loop` label after a "-" took hours (two quantifiers of a pattern shared
    the run and backtracked over it); in a child process, so a regression fails at its timeout, not hangs."""
    run = 20_000
    sources = [
        "sequenceDiagram\n  A->>B: hi\n  loop retry a-" + "x" * run + "\n    B->>A: again\n  end",
        "sequenceDiagram\n  A->>B: hi\n  loop " + "-" + ">" * run + "\n  end",
        "sequenceDiagram\n  participant A as Al" + " " * run + "ice\n  A->>B: hi",
        "flowchart LR\n  A[" + " " * run + "x\n  A --> B",
        "flowchart LR\n  A" + " " * run + "x --> B",
        "erDiagram\n  A ||--o{ B : has" + " " * run + "x",
        "---\ntitle: Long" + " " * run + "name\n---\npie",
        "erDiagram\n  A||--o{" + "o" * run + " : has",
        "flowchart LR\n  A[a" + " " * run + "<br" + " " * run + "b] --> B",
        "erDiagram\n  " + "o--o" * 25_000,  # an entity's name, which a relation's pattern backtracked over (minutes)
    ]
    script = ("import json, sys\nfrom gitspec.render.diagramtext import describe\n"
              "print(json.dumps([describe(s) for s in json.load(sys.stdin)]))")
    done = subprocess.run([sys.executable, "-c", script], input=json.dumps(sources), capture_output=True,
                          text=True, timeout=60, check=True)
    texts = json.loads(done.stdout)
    assert texts == ["Sequence diagram: A → B: hi; B → A: again", "Sequence diagram: A → B: hi",
                     "Sequence diagram: Al…", "Flowchart: A → B", "Flowchart: A → B",
                     "Entity relationship diagram: A has…", "Long…",
                     "Entity relationship diagram: A has " + "o" * (LONGEST - 36) + "…", "Flowchart: a…",
                     "Entity relationship diagram"]


def _described(repo, tmp_path, body: str) -> tuple[list[str], list[str]]:
    """The text alternatives of a PRD's diagrams (drawn by a stand-in mmdc): the site's, then Word's."""
    import docx
    from conftest import run_gitspec
    from test_render_pdf import prd, stand_in_mmdc

    root = repo({"specs/p.md": prd(body)})
    assert run_gitspec(root, "render", "--format", "html,docx", env=stand_in_mmdc(tmp_path / "bin")).code == 0
    page = (root / "build/html/p.html").read_text(encoding="utf-8")
    shapes = docx.Document(str(root / "build/docx/p.docx")).inline_shapes
    return (re.findall(r'<img src="diagrams/[^"]*" alt="([^"]*)"', page),
            [shape._inline.docPr.get("descr") for shape in shapes])


def test_the_site_and_word_describe_the_forms_gitspec_and_its_users_write(repo, tmp_path):
    body = ('## Problem\n\n```mermaid\nerDiagram\n  Customer||--o{Invoice : "customerId"\n```\n\n'
            "## Goals\n\n```mermaid\ngraph TD; Signup-->Verify; Verify-->Dashboard\n```\n\n"
            "## Non-goals\n\n```mermaid\nflowchart LR\n  app[Web app<br/>React SPA] --> api[API]\n```\n")
    described = ["Entity relationship diagram: Customer customerId Invoice",
                 "Flowchart: Signup → Verify → Dashboard", "Flowchart: Web app React SPA → API"]
    assert _described(repo, tmp_path, body) == (described, described)


def test_the_site_and_word_take_a_diagrams_accessible_description_from_its_author(repo, tmp_path):
    body = ("## Problem\n\n```mermaid\nflowchart LR\n  accTitle: Checkout\n  accDescr {\n    The buyer pays,\n"
            "    then sees a receipt.\n  }\n  A[Cart] --> B[Pay]\n```\n\n"
            '## Goals\n\n```mermaid\npie\n  accDescr: Dogs 386 and cats 85 of 471 households.\n  "Dogs" : 386\n```\n')
    described = ["Checkout. Flowchart: The buyer pays, then sees a receipt.",
                 "Pie chart: Dogs 386 and cats 85 of 471 households."]
    assert _described(repo, tmp_path, body) == (described, described)
