"""`gitspec new KIND ID`: every kind's skeleton passes check; nothing is ever overwritten."""
from __future__ import annotations

import pytest

from conftest import requirement, requirements_doc, run_gitspec, write_files

KINDS = ["product", "brand", "design", "architecture", "ui", "launch", "evolution", "code", "assembly",
         "prd", "requirements", "tasks", "evidence"]


@pytest.mark.parametrize("kind", KINDS)
def test_skeleton_of_every_kind_is_schema_valid(repo, kind):
    ws = repo({})
    named = ["--id", f"my-{kind}"] if kind == "product" else [f"my-{kind}"]  # a product's ID is its directive
    result = run_gitspec(ws, "new", kind, *named, "--title", 'Billing "v2": yes')
    assert result.code == 0, result
    suffix = ".md" if kind == "prd" else ".yaml"
    assert result.err == f"gitspec: wrote specs/my-{kind}{suffix}\n"
    check = run_gitspec(ws, "check", "--format", "json")
    assert check.code == 0 and check.json() == [], check


@pytest.mark.parametrize("kind, line", [("tasks", "    requirements: "), ("evidence", "requirements: ")])
def test_a_skeleton_links_the_lowest_requirement_there_is_or_none(repo, kind, line):
    ws = repo({})
    assert run_gitspec(ws, "new", kind, "first").code == 0
    assert f"\n{line}[]\n" in (ws / "specs" / f"first.yaml").read_text()
    assert run_gitspec(ws, "new", "requirements", "reqs").code == 0
    assert run_gitspec(ws, "new", "requirements", "a-more").code == 0  # REQ-002 (a file listed first)
    assert run_gitspec(ws, "new", kind, "second").code == 0
    assert f"\n{line}[REQ-001]\n" in (ws / "specs" / "second.yaml").read_text()
    result = run_gitspec(ws, "check")
    assert result.code == 0, result


def test_a_whole_set_of_skeletons_checks_clean(repo):
    ws = repo({})
    for kind in KINDS:
        assert run_gitspec(ws, "new", kind, "--id", f"my-{kind}").code == 0
    assert run_gitspec(ws, "check").code == 0
    # a second product gets fresh ids instead of duplicates
    assert run_gitspec(ws, "new", "product", "--id", "other-product").code == 0
    result = run_gitspec(ws, "check")
    assert result.code == 0, result
    assert "id: FEAT-002" in (ws / "specs" / "other-product.yaml").read_text()


def test_ids_only_mentioned_are_not_counted_as_used(repo):
    """The requirements skeleton's comment `# links: [REQ-002]` defines nothing: the next one is REQ-002."""
    ws = repo({"specs/notes.yaml": requirements_doc("notes", requirement("REQ-001")).replace(
        "priority: must\n", "priority: must\n    # REQ-007 was dropped; see REQ-009\n")})
    assert run_gitspec(ws, "new", "requirements", "a").code == 0
    assert run_gitspec(ws, "new", "requirements", "b").code == 0
    assert "  - id: REQ-002\n" in (ws / "specs" / "a.yaml").read_text()
    assert "  - id: REQ-003\n" in (ws / "specs" / "b.yaml").read_text()
    result = run_gitspec(ws, "check")
    assert result.code == 0, result


def test_new_refuses_to_overwrite(repo):
    ws = repo({"specs/reqs.yaml": "precious\n"})
    result = run_gitspec(ws, "new", "requirements", "reqs")
    assert result.code == 1
    assert result.err == "gitspec: error: specs/reqs.yaml already exists; not overwritten\n"
    assert (ws / "specs" / "reqs.yaml").read_text() == "precious\n"


@pytest.mark.parametrize("args, message", [
    (["wishlist", "x"], "argument KIND: unknown kind 'wishlist' (known kinds: architecture, assembly, brand,"),
    (["requirements", "!?"], "argument ID: '!?' is not a document id"),
    (["requirements", "Two words", "--title", "Other"], "argument ID: 'Two words' is not a document id"),
])
def test_bad_arguments_exit_2(repo, args, message):
    result = run_gitspec(repo({}), "new", *args)
    assert result.code == 2 and message in result.err


def test_workspace_template_overrides_the_shipped_one(repo):
    template = "kind: requirements\nid: \"$id\"\ntitle: \"$title\"\nitems:\n  - id: REQ-100\n    title: Ours\n" \
               "    statement: Team template.\n    acceptance: [It is ours.]\n    priority: should\n"
    ws = repo({"templates/requirements.yaml": template})
    assert run_gitspec(ws, "new", "requirements", "team-reqs").code == 0
    assert "Team template." in (ws / "specs" / "team-reqs.yaml").read_text()
    assert run_gitspec(ws, "check").code == 0


def test_new_in_a_read_only_checkout_is_one_line(repo, read_only):
    ws = repo({"specs/reqs.yaml": "precious\n"})
    result = run_gitspec(ws, "new", "tasks", "t", prefix=read_only)
    assert result.code == 2 and result.err == "gitspec: error: cannot write specs/t.yaml: Read-only file system\n"
    taken = run_gitspec(ws, "new", "requirements", "reqs", prefix=read_only)
    assert taken.code == 1 and taken.err == "gitspec: error: specs/reqs.yaml already exists; not overwritten\n"
    product = run_gitspec(ws, "new", "product", "Build a thing", prefix=read_only)
    assert product.code == 2 and product.err == "gitspec: error: cannot write specs/product.yaml: Read-only file system\n"


def test_new_refuses_a_document_id_another_file_has(repo):
    ws = repo({})
    assert run_gitspec(ws, "new", "prd", "p1").code == 0
    result = run_gitspec(ws, "new", "requirements", "p1")
    assert result.code == 2, result
    assert result.err == "gitspec: error: argument ID: document id 'p1' is already used by specs/p1.md; choose another\n"
    assert not (ws / "specs" / "p1.yaml").exists()
    write_files(ws, {"specs/main.yaml": requirements_doc("product", requirement("REQ-001"))})
    directive = run_gitspec(ws, "new", "product", "Build a billing dashboard")
    assert directive.code == 2 and "document id 'product' is already used by specs/main.yaml" in directive.err
    assert not (ws / "specs" / "product.yaml").exists()
    assert run_gitspec(ws, "check").code == 0


def test_a_title_reads_as_typed_in_the_markdown_heading(repo):
    ws = repo({})
    title = 'The "Pro" plan \\ Q3   $id'
    assert run_gitspec(ws, "new", "prd", "pro", "--title", title).code == 0
    text = (ws / "specs" / "pro.md").read_text()
    assert '\n# The "Pro" plan \\ Q3 $id\n' in text
    assert 'title: "The \\"Pro\\" plan \\\\ Q3 $id"\n' in text
    listed = run_gitspec(ws, "check", "--format", "json")
    assert listed.code == 0 and listed.json() == [], listed


def test_a_title_in_place_of_the_id_gives_the_id(repo):
    ws = repo({})
    result = run_gitspec(ws, "new", "prd", "Checkout flow")
    assert result.code == 0 and result.err == "gitspec: wrote specs/checkout-flow.md\n", result
    text = (ws / "specs" / "checkout-flow.md").read_text()
    assert 'id: "checkout-flow"\n' in text and "\n# Checkout flow\n" in text
    assert run_gitspec(ws, "new", "tasks", "Café: launch").err == "gitspec: wrote specs/cafe-launch.yaml\n"
    assert run_gitspec(ws, "check").code == 0


@pytest.mark.parametrize("title, doc_id", [("Straße und Œuvre", "strasse-und-oeuvre"), ("Łódź Ærø", "lodz-aero"),
                                           ("Требования к оплате", "trebovaniya-k-oplate"),
                                           ("要件定義", "yaojiandingyi")])
def test_a_title_in_any_script_gives_an_ascii_id_with_every_letter(repo, title, doc_id):
    # Before, letters without an ASCII decomposition were dropped ("strae-und-uvre", "odz-r") and
    # a Cyrillic or Chinese title was refused.
    ws = repo({})
    result = run_gitspec(ws, "new", "prd", title)
    assert result.code == 0 and result.err == f"gitspec: wrote specs/{doc_id}.md\n", result
    assert f'title: "{title}"\n' in (ws / "specs" / f"{doc_id}.md").read_text()
    assert run_gitspec(ws, "check").code == 0


def test_a_title_that_spells_no_id_says_how_to_name_one(repo):
    result = run_gitspec(repo({}), "new", "prd", "!?")
    assert result.code == 2 and result.err == (
        "gitspec: error: argument ID: '!?' is not a document id (lowercase letters, digits, '-'); "
        "name one and give the title apart: gitspec new prd ID --title '!?'\n"), result


@pytest.mark.parametrize("args, argument, shown", [
    (["prd", "Caf\udce9 menu"], "ID", "Caf\\xe9 menu"),
    (["requirements", "reqs", "--title", "Caf\udce9"], "--title", "Caf\\xe9"),
    (["product", "Build a caf\udce9 app"], "ID", "Build a caf\\xe9 app"),
])
def test_an_argument_that_is_not_utf8_is_a_usage_error(repo, args, argument, shown):
    # Before, a title typed in a Latin-1 terminal was an internal error (exit 3): UnicodeEncodeError, or
    # YamlProblem for a product's directive.
    ws = repo({})
    result = run_gitspec(ws, "new", *args)
    assert result.code == 2 and result.err == (
        f"gitspec: error: argument {argument}: '{shown}' is not valid UTF-8 text; is the terminal set to UTF-8?\n"
    ), result
    assert sorted(p.name for p in (ws / "specs").iterdir()) == [".keep"]


@pytest.mark.parametrize("args, message", [
    (["requirements", "del-char", "--title", "Rubout \x7f here"],
     "argument --title: 'Rubout \\x7f here' holds the character U+007F, which a title cannot show; remove it"),
    (["prd", "c1-control", "--title", "Text \x81 pasted"], "argument --title: 'Text \\x81 pasted' holds the character U+0081"),
    (["requirements", "nonchar", "--title", "A \ufffe B"], "argument --title: 'A \\ufffe B' holds the character U+FFFE"),
    (["prd", "Zero\ufeffwidth"], "argument ID: 'Zero\\ufeffwidth' holds the character U+FEFF"),
    (["product", "Build \x01 it"], "argument ID: 'Build \\x01 it' holds the character U+0001, which a directive"),
    (["product", "..."], "argument ID: the directive '...' gives no title; give one with --title"),
])
def test_a_title_a_document_cannot_hold_is_refused(repo, args, message):
    # Before, each was written as it came and the new document failed check at once (yaml-syntax, or an
    # empty title).
    ws = repo({})
    result = run_gitspec(ws, "new", *args)
    assert result.code == 2 and result.err.startswith(f"gitspec: error: {message}") \
        and result.err.count("\n") == 1, result
    assert sorted(p.name for p in (ws / "specs").iterdir()) == [".keep"]


@pytest.mark.parametrize("args, file, lines", [
    (["prd", "blank", "--title", "   "], "blank.md", ['title: "Blank"\n', "\n# Blank\n"]),
    (["requirements", "reqs", "--title", " Two\n\nlines "], "reqs.yaml", ['title: "Two lines"\n']),
    (["product", "Build a todo app", "--title", "Todo\n\napp"], "product.yaml", ["\ntitle: Todo app\n"]),
    (["product", "Build a todo app", "--title", "   "], "product.yaml", ["\ntitle: Build a todo app\n"]),
])
def test_a_blank_or_multi_line_title_becomes_one_line(repo, args, file, lines):
    # Before, a blank --title gave `title: ""` (a schema error) and a bare `# ` heading, and a product's
    # title kept its line breaks (a `|-` block).
    ws = repo({})
    result = run_gitspec(ws, "new", *args)
    assert result.code == 0, result
    text = (ws / "specs" / file).read_text()
    assert all(line in text for line in lines), text
    checked = run_gitspec(ws, "check", "--format", "json")
    if args[0] == "product":  # a directive alone lacks what `build` generates, but its header is valid
        assert not [f for f in checked.json() if "title" in f["message"] or f["rule"] != "schema"], checked
    else:
        assert checked.code == 0 and checked.json() == [], checked


def test_an_id_from_a_long_title_is_cut_at_a_word(repo):
    # Before, the id was the whole title: "File name too long" once the temp file's 18 characters were added.
    ws = repo({})
    title = "Quarterly planning notes for the billing team " * 6
    result = run_gitspec(ws, "new", "prd", title)
    doc_id = "quarterly-planning-notes-for-the-billing-team-" * 4 + "quarterly"
    assert len(doc_id) <= 200 and result.code == 0 and result.err == f"gitspec: wrote specs/{doc_id}.md\n", result
    assert f'title: "{title.strip()}"\n' in (ws / "specs" / f"{doc_id}.md").read_text()
    one_word = run_gitspec(ws, "new", "tasks", "A" + "b" * 240)
    assert one_word.code == 0 and one_word.err == f"gitspec: wrote specs/a{'b' * 199}.yaml\n", one_word
    assert run_gitspec(ws, "check").code == 0


def test_an_id_too_long_to_name_its_pages_is_refused(repo):
    ws = repo({})
    result = run_gitspec(ws, "new", "prd", "a" * 240)
    assert result.code == 2 and result.err == (
        f"gitspec: error: argument ID: '{'a' * 60}…' is 240 characters long; an id has at most 200 "
        "(the rendered pages are named after it)\n"), result
    assert run_gitspec(ws, "new", "prd", "a" * 200).code == 0


def test_new_reuses_no_id_of_a_document_that_cannot_be_read(repo):
    # Before, `new` saw only the documents check could read: it wrote a second 'billing' and a second
    # REQ-001, and once the slip was fixed check reported both as duplicates.
    slip = requirements_doc("billing", requirement("REQ-001")) + "   oops: [\n"
    conflict = requirements_doc("payments", "<<<<<<< ours\n" + requirement("REQ-004") + "=======\n"
                                + requirement("REQ-006") + ">>>>>>> theirs\n")
    ws = repo({"specs/billing.yaml": slip, "specs/payments.yaml": conflict})
    result = run_gitspec(ws, "new", "prd", "billing")
    assert result.code == 2 and result.err == (
        "gitspec: error: argument ID: document id 'billing' may be used by specs/billing.yaml, which could not "
        "be read (line 11: YAML syntax error: did not find expected '-' indicator); fix it, or choose another\n"
    ), result
    assert not (ws / "specs" / "billing.md").exists()
    assert "may be used by specs/payments.yaml" in run_gitspec(ws, "new", "prd", "payments").err
    assert run_gitspec(ws, "new", "requirements", "more").code == 0
    assert "  - id: REQ-007\n" in (ws / "specs" / "more.yaml").read_text()
    write_files(ws, {"specs/billing.yaml": slip.replace("   oops: [\n", ""),
                     "specs/payments.yaml": requirements_doc("payments", requirement("REQ-006"))})
    checked = run_gitspec(ws, "check")
    assert checked.code == 0, checked


def test_a_product_s_one_argument_is_always_its_directive(repo):
    # Before, `new product invoicing` took the one lower-case word for an id: it wrote a TODO skeleton
    # specs/invoicing.yaml, and build then generated nothing.
    ws = repo({})
    result = run_gitspec(ws, "new", "product", "invoicing")
    assert result.code == 0 and result.err.startswith("gitspec: wrote specs/product.yaml;"), result
    assert "\ndirective: invoicing\n" in (ws / "specs" / "product.yaml").read_text()
    assert sorted(p.name for p in (ws / "specs").iterdir()) == [".keep", "product.yaml"]
    skeleton = run_gitspec(ws, "new", "product", "--id", "invoicing")
    assert skeleton.code == 0 and skeleton.err == "gitspec: wrote specs/invoicing.yaml\n", skeleton


@pytest.mark.parametrize("args, message", [
    (["product", "Build a thing", "--id", "shop"],
     "argument --id: a directive is written to specs/product.yaml; give the directive or --id (a skeleton), not both"),
    (["prd", "checkout", "--id", "checkout"], "argument --id: the id is given twice; give ID or --id"),
    (["prd", "--id", "Checkout flow"], "argument --id: 'Checkout flow' is not a document id"),
    (["product"], "argument ID: give the directive (or --id ID for a skeleton)"),
    (["prd"], "argument ID: give an id or a title"),
])
def test_an_unclear_id_is_a_usage_error(repo, args, message):
    ws = repo({})
    result = run_gitspec(ws, "new", *args)
    assert result.code == 2 and result.err.startswith(f"gitspec: error: {message}") \
        and result.err.count("\n") == 1, result
    assert sorted(p.name for p in (ws / "specs").iterdir()) == [".keep"]


@pytest.mark.parametrize("exclude, args, path", [
    ("drafts-*", ("prd", "Drafts 2027"), "specs/drafts-2027.md"),
    ("specs/*.yaml", ("requirements", "reqs"), "specs/reqs.yaml"),
    ("*", ("product", "Build a billing dashboard"), "specs/product.yaml"),
])
def test_new_refuses_to_write_where_exclude_hides_the_document(repo, exclude, args, path):
    # Before, new wrote the document and said so (exit 0), but no command read it: check saw 0 documents.
    ws = repo({}, config=f"specs: [specs]\nformats: []\nexclude: [notes/*, '{exclude}']\n")
    result = run_gitspec(ws, "new", *args)
    assert result.code == 2, result
    assert result.err == (f"gitspec: error: argument ID: {path} would be left out by the glob '{exclude}' of "
                          "'exclude' in gitspec.yaml, so no command would read it; choose another id, or change "
                          "'exclude'\n")
    assert not (ws / path).exists()
    assert run_gitspec(ws, "new", "prd", "kept").code == (2 if exclude == "*" else 0)


def test_new_writes_where_only_another_spec_folder_is_excluded(repo):
    ws = repo({"docs/.keep": ""}, config="specs: [specs, docs]\nformats: []\nexclude: ['docs/*']\n")
    assert run_gitspec(ws, "new", "prd", "first").code == 0
    assert "1 document checked" in run_gitspec(ws, "check").err


def test_new_refuses_a_kind_whose_schema_cannot_be_loaded(repo):
    # Before, `new adr first` wrote specs/first.yaml (exit 0), a document no check could then read.
    ws = repo({"schemas/adr.schema.json": "not json\n",
               "templates/adr.yaml": 'kind: adr\nid: "$id"\ntitle: "$title"\n'})
    result = run_gitspec(ws, "new", "adr", "first")
    assert result.code == 2, result
    assert result.err.startswith("schemas/adr.schema.json:1:1: error: invalid JSON in schema"), result
    assert not (ws / "specs" / "first.yaml").exists()


LIST = ("# Billing, from the kick-off notes\n"
        "- Users can export invoices as CSV.\n"
        "\n"
        "* Admins can refund a payment: fully or in part.\n"
        "1. An invoice shows its  tax\tlines.\n"
        "2) no\n"
        "- [ ] Refunds are logged # with who asked\n"
        "[x] Receipts are emailed.\n"
        "-\n")


def test_new_requirements_from_a_list_writes_one_item_per_line_with_fresh_ids(repo):
    # Before, DESIGN.md's `gitspec new requirements --from FILE` was "unrecognized arguments: --from" (exit 2).
    ws = repo({"specs/old.yaml": requirements_doc("old", requirement("REQ-001") + requirement("REQ-004"))})
    (ws / "reqs.txt").write_text(LIST, encoding="utf-8")
    result = run_gitspec(ws, "new", "requirements", "--from", "reqs.txt")
    assert result.code == 0 and result.err == "gitspec: wrote specs/requirements.yaml\n", result
    from gitspec.yamlread import read_yaml

    document = read_yaml((ws / "specs" / "requirements.yaml").read_text(encoding="utf-8")).value
    assert (document["id"], document["title"]) == ("requirements", "Requirements")
    assert [(item["id"], item["statement"]) for item in document["items"]] == [
        ("REQ-005", "Users can export invoices as CSV."),
        ("REQ-006", "Admins can refund a payment: fully or in part."),
        ("REQ-007", "An invoice shows its tax lines."),
        ("REQ-008", "no"),
        ("REQ-009", "Refunds are logged # with who asked"),
        ("REQ-010", "Receipts are emailed."),
    ]
    first = document["items"][0]  # the rest as the skeleton leaves it, for the user to fill in
    assert (first["title"], first["acceptance"], first["priority"]) == (
        "TODO short name of the requirement", ["TODO a testable condition that must hold"], "must")
    check = run_gitspec(ws, "check")
    assert check.code == 0, check


def test_new_requirements_from_a_list_keeps_a_line_whole_at_a_line_separator_or_a_form_feed(repo):
    # Before, each line below became two requirements (six in all), each holding half a sentence.
    ws = repo()
    (ws / "list.txt").write_bytes("- The system shall list invoices\u2028newest first.\n- Exports run nightly\x85and "
                                  "are kept 30 days.\n- Page one\x0cpage two of one requirement.\n".encode())
    result = run_gitspec(ws, "new", "requirements", "--from", "list.txt")
    assert result.code == 0, result
    from gitspec.yamlread import read_yaml

    document = read_yaml((ws / "specs" / "requirements.yaml").read_text(encoding="utf-8")).value
    assert [item["statement"] for item in document["items"]] == [
        "The system shall list invoices newest first.", "Exports run nightly and are kept 30 days.",
        "Page one page two of one requirement."]


def test_new_requirements_from_a_wrapped_list_writes_one_item_per_list_item(repo):
    """Found by a hunt: a line indented under a list item (a list wrapped at 72 columns) was a requirement
    of its own, a fragment with an id, a TODO acceptance and a `must` priority."""
    ws = repo({})
    (ws / "list.md").write_text("- The system shall send a payment reminder to the billing contact\n"
                                "  when an invoice is 7 days overdue.\n"
                                "- The system shall offer each invoice as a PDF.\n", encoding="utf-8")
    result = run_gitspec(ws, "new", "requirements", "--from", "list.md")
    assert result.code == 0, result
    from gitspec.yamlread import read_yaml

    document = read_yaml((ws / "specs" / "requirements.yaml").read_text(encoding="utf-8")).value
    assert [(item["id"], item["statement"]) for item in document["items"]] == [
        ("REQ-001", "The system shall send a payment reminder to the billing contact when an invoice is 7 days "
                    "overdue."),
        ("REQ-002", "The system shall offer each invoice as a PDF."),
    ]


def test_new_requirements_from_a_list_takes_an_id_and_a_title(repo):
    ws = repo({})
    (ws / "notes").mkdir()
    (ws / "notes" / "reqs.md").write_bytes("\ufeff- Prices show in euros.\r\n".encode("utf-8"))
    result = run_gitspec(ws, "new", "requirements", "Billing rules", "--from", "notes/reqs.md")
    assert result.code == 0, result
    text = (ws / "specs" / "billing-rules.yaml").read_text(encoding="utf-8")
    assert 'title: "Billing rules"\n' in text and "  - id: REQ-001\n" in text
    assert "    statement: Prices show in euros.\n" in text and "generated" not in text
    assert run_gitspec(ws, "check").code == 0


@pytest.mark.parametrize("files, args, message", [
    ({}, ["requirements", "--from", "missing.txt"],
     "argument --from: cannot read missing.txt: No such file or directory"),
    ({"notes/.keep": ""}, ["requirements", "--from", "notes"], "argument --from: cannot read notes: Is a directory"),
    ({"reqs.txt": b"- Caf\xe9 opens early.\n- Fine.\n"}, ["requirements", "--from", "reqs.txt"],
     "argument --from: reqs.txt is not UTF-8 text (line 1); save it as UTF-8"),
    ({"reqs.txt": "# only a comment\n\n- \n"}, ["requirements", "--from", "reqs.txt"],
     "argument --from: reqs.txt lists no requirements (one a line; blank lines and lines starting with # are skipped)"),
    ({"reqs.txt": ""}, ["requirements", "--from", "reqs.txt"], "argument --from: reqs.txt lists no requirements"),
    ({"reqs.txt": "Fine.\nBell \x07 here.\n"}, ["requirements", "--from", "reqs.txt"],
     "argument --from: reqs.txt line 2 holds the character U+0007, which a statement cannot show"),
    ({"reqs.txt": "Fine.\n"}, ["tasks", "--from", "reqs.txt"],
     "argument --from: only 'gitspec new requirements' reads a list (KIND is 'tasks')"),
    ({"reqs.txt": "Fine.\n"}, ["product", "--from", "reqs.txt"],
     "argument --from: only 'gitspec new requirements' reads a list (KIND is 'product')"),
])
def test_a_list_that_cannot_be_read_or_a_kind_that_takes_none_is_a_usage_error(repo, files, args, message):
    ws = repo(files)
    result = run_gitspec(ws, "new", *args)
    assert result.code == 2 and result.err.startswith(f"gitspec: error: {message}") \
        and result.err.count("\n") == 1 and result.out == "", result
    assert sorted(p.name for p in (ws / "specs").iterdir()) == [".keep"]


def test_new_from_a_list_is_in_the_help(repo):
    result = run_gitspec(repo({}), "new", "--help")
    assert result.code == 0 and "--from FILE" in result.out


@pytest.mark.parametrize("template, message", [
    ("kind: requirements\nid: \"$id\"\ntitle: \"$title\"\nitems: []\n",
     "argument --from: the template templates/requirements.yaml has no item under 'items' to copy"),
    ("kind: requirements\nid: \"$id\"\nitems: [\n", "argument --from: the template templates/requirements.yaml "
                                                   "cannot be read as YAML (line "),
])
def test_a_workspace_template_with_no_item_to_copy_is_named(repo, template, message):
    ws = repo({"templates/requirements.yaml": template, "reqs.txt": "Fine.\n"})
    result = run_gitspec(ws, "new", "requirements", "--from", "reqs.txt")
    assert result.code == 2 and result.err.startswith(f"gitspec: error: {message}") \
        and result.err.count("\n") == 1, result
    assert sorted(p.name for p in (ws / "specs").iterdir()) == [".keep"]


def test_new_names_every_file_from_the_current_folder(repo):
    """Before, from specs/sub/ `new` said `gitspec: wrote ../t.yaml` but refused with `specs/t.yaml already
    exists`, `document id 't' is already used by specs/t.yaml` and `specs/x-1.yaml would be left out`: paths
    from the workspace's top, which lead nowhere from there."""
    slip = requirements_doc("billing", requirement("REQ-001")) + "   oops: [\n"
    ws = repo({"specs/sub/.keep": "", "specs/billing.yaml": slip},
              config="specs: [specs]\nformats: []\nexclude: ['x-*']\n")
    sub = ws / "specs" / "sub"
    assert run_gitspec(sub, "new", "tasks", "t").err == "gitspec: wrote ../t.yaml\n"
    again = run_gitspec(sub, "new", "tasks", "t")
    assert again.code == 1 and again.err == "gitspec: error: ../t.yaml already exists; not overwritten\n", again
    taken = run_gitspec(sub, "new", "prd", "t")
    assert taken.code == 2 and taken.err == (
        "gitspec: error: argument ID: document id 't' is already used by ../t.yaml; choose another\n"), taken
    unread = run_gitspec(sub, "new", "prd", "billing")
    assert unread.code == 2 and unread.err.startswith(
        "gitspec: error: argument ID: document id 'billing' may be used by ../billing.yaml, which could not"), unread
    hidden = run_gitspec(sub, "new", "tasks", "x-1")
    assert hidden.code == 2 and hidden.err.startswith(
        "gitspec: error: argument ID: ../x-1.yaml would be left out by the glob 'x-*'"), hidden
