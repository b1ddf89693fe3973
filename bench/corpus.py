"""Write a synthetic gitspec workspace for benchmarks.

Usage:
    python bench/corpus.py OUT --requirements N [--tasks M] [--doorstop DIR]

OUT becomes a git repository holding a ``gitspec.yaml`` and:

* ``2N`` requirements: parents ``REQ-1 .. REQ-N`` and children
  ``REQ-N+1 .. REQ-2N`` (child ``i`` has ``parent:`` parent ``i``), 50 items
  per document under ``specs/requirements/``;
* ``M`` tasks (default ``N // 2``) that link one or two requirements and
  usually depend on an earlier task (a DAG), 50 items per document under
  ``specs/tasks/``.

With ``--doorstop DIR`` the same requirements are also written as a Doorstop
3.x tree (document ``REQ`` and child document ``LLR``) in its own git
repository, so Doorstop can validate equivalent items. With ``--strictdoc DIR``
they are written as StrictDoc ``.sdoc`` documents (50 per file, children
linked to parents), so ``strictdoc export`` can render equivalent items.

Output is deterministic: the text comes from ``random.Random(0)``, and the
commits use a fixed author and date. Only the standard library is used; the
YAML is written as text.
"""

import argparse
import os
import random
import subprocess
import sys
from pathlib import Path

PER_DOCUMENT = 50

VOCABULARY = (
    "account", "action", "admin", "alert", "archive", "audit", "backup",
    "balance", "batch", "billing", "browser", "budget", "cache", "calendar",
    "catalog", "channel", "checkout", "client", "comment", "config",
    "contract", "counter", "customer", "dashboard", "data", "deadline",
    "delivery", "device", "discount", "document", "draft", "email", "error",
    "event", "export", "feed", "field", "filter", "folder", "form", "group",
    "history", "image", "import", "invoice", "item", "job", "label",
    "language", "layout", "ledger", "limit", "list", "locale", "log",
    "message", "metric", "mobile", "module", "network", "note", "number",
    "order", "owner", "page", "partner", "password", "payment", "period",
    "permission", "plan", "policy", "portal", "preference", "price",
    "profile", "project", "queue", "quota", "rate", "record", "refund",
    "region", "report", "request", "review", "role", "rule", "schedule",
    "search", "session", "setting", "shipment", "signal", "status", "store",
    "summary", "team", "template", "tenant", "ticket", "timeout", "token",
    "update", "upload", "user", "value", "vendor", "version", "view",
    "warning", "webhook", "window", "workflow", "quickly", "securely",
    "always", "within", "before", "after", "every", "each", "visible",
    "valid", "current", "pending", "shared", "private", "daily", "weekly",
)
VERBS = (
    "shall display", "shall store", "shall validate", "shall export",
    "shall notify", "shall reject", "shall record", "shall update",
    "shall allow", "shall limit",
)
REQ_PRIORITIES = ("must", "should", "could")
TASK_STATUSES = ("todo", "in-progress", "done", "blocked")
TASK_PRIORITIES = ("p0", "p1", "p2", "p3")
OWNER_ROLES = ("backend", "frontend", "qa", "design")

GITSPEC_YAML = """\
specs:
  - specs
output: build
page_size: A4
exclude: []
max_file_size: 1048576
"""

GIT_IDENTITY = ["-c", "user.name=gitspec bench", "-c", "user.email=bench@gitspec.invalid"]
GIT_DATE = "2025-01-01T00:00:00+00:00"


def quote(text):
    """Return ``text`` as a double-quoted YAML scalar."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + escaped + '"'


def words(rng, count):
    """Return ``count`` pseudo-random vocabulary words joined by spaces."""
    return " ".join(rng.choice(VOCABULARY) for _ in range(count))


def statement(rng):
    """Return a requirement statement of about 40 words."""
    subject = words(rng, 3)
    verb = rng.choice(VERBS)
    rest = words(rng, rng.randint(32, 38))
    return "The " + subject + " " + verb + " " + rest + "."


def criterion(rng):
    """Return one Given/When/Then acceptance criterion."""
    return "Given {}, when {}, then {}.".format(
        words(rng, 3), words(rng, 3), words(rng, 4))


def id_width(count):
    """Return the digit count for ids up to ``count`` (at least 5)."""
    return max(5, len(str(count)))


def make_requirements(rng, n):
    """Return 2N requirement dicts: N parents, then N children."""
    width = id_width(2 * n)
    items = []
    for number in range(1, 2 * n + 1):
        is_child = number > n
        kind = "Child" if is_child else "Parent"
        item = {
            "id": "REQ-{:0{}d}".format(number, width),
            "title": "{} requirement {}: {}".format(kind, number, words(rng, 3)),
            "statement": statement(rng),
            "acceptance": [criterion(rng), criterion(rng)],
            "priority": rng.choice(REQ_PRIORITIES),
        }
        if is_child:
            item["parent"] = items[number - n - 1]["id"]
        items.append(item)
    return items


def make_tasks(rng, m, requirement_ids):
    """Return M task dicts linking requirements; dependsOn only points back."""
    width = id_width(m)
    tasks = []
    for index in range(m):
        links = rng.sample(requirement_ids, rng.choice((1, 2)))
        task = {
            "id": "TASK-{:0{}d}".format(index + 1, width),
            "title": "Implement " + words(rng, 4),
            "requirements": links,
            "status": rng.choice(TASK_STATUSES),
            "priority": rng.choice(TASK_PRIORITIES),
            "ownerRole": rng.choice(OWNER_ROLES),
        }
        if index > 0 and rng.random() < 0.8:
            earlier = rng.randrange(max(0, index - 20), index)
            task["dependsOn"] = [tasks[earlier]["id"]]
        tasks.append(task)
    return tasks


def flow_list(values):
    """Return a YAML flow sequence of quoted strings."""
    return "[" + ", ".join(quote(v) for v in values) + "]"


def requirement_yaml(item):
    """Return the YAML lines of one requirement item."""
    lines = ["  - id: " + item["id"], "    title: " + quote(item["title"])]
    if "parent" in item:
        lines.append("    parent: " + item["parent"])
    lines.append("    statement: " + quote(item["statement"]))
    lines.append("    acceptance:")
    lines.extend("      - " + quote(c) for c in item["acceptance"])
    lines.append("    priority: " + item["priority"])
    return lines


def task_yaml(task):
    """Return the YAML lines of one task item."""
    lines = ["  - id: " + task["id"], "    title: " + quote(task["title"])]
    lines.append("    requirements: " + flow_list(task["requirements"]))
    if "dependsOn" in task:
        lines.append("    dependsOn: " + flow_list(task["dependsOn"]))
    lines.append("    status: " + task["status"])
    lines.append("    priority: " + task["priority"])
    lines.append("    ownerRole: " + task["ownerRole"])
    return lines


def document_text(kind, doc_id, title, item_lines):
    """Return the text of one document with a header and an ``items`` list."""
    header = ["kind: " + kind, "id: " + doc_id, "title: " + quote(title), "items:"]
    return "\n".join(header + item_lines) + "\n"


def write_documents(folder, kind, prefix, title, items, to_lines):
    """Write ``items`` into documents of PER_DOCUMENT items under ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for start in range(0, len(items), PER_DOCUMENT):
        number = start // PER_DOCUMENT + 1
        doc_id = "{}-{:04d}".format(prefix, number)
        lines = []
        for item in items[start:start + PER_DOCUMENT]:
            lines.extend(to_lines(item))
        text = document_text(kind, doc_id, "{} {}".format(title, number), lines)
        (folder / (doc_id + ".yaml")).write_text(text, encoding="utf-8")


def git_commit(path, message):
    """Make ``path`` a git repository with one commit of all its files."""
    env = dict(os.environ, GIT_AUTHOR_DATE=GIT_DATE, GIT_COMMITTER_DATE=GIT_DATE)
    run = lambda *args: subprocess.run(
        ["git", *GIT_IDENTITY, *args], cwd=path, env=env, check=True,
        stdout=subprocess.DEVNULL)
    run("init", "-q")
    run("add", "-A")
    run("commit", "-q", "--no-gpg-sign", "-m", message)


def prepare_folder(path):
    """Create ``path``; refuse to write into a non-empty folder."""
    path.mkdir(parents=True, exist_ok=True)
    if any(path.iterdir()):
        raise SystemExit("corpus: {} is not empty".format(path))


def write_workspace(out, requirements, tasks):
    """Write and commit the gitspec workspace; return the requirement dicts."""
    out = Path(out)
    prepare_folder(out)
    rng = random.Random(0)
    items = make_requirements(rng, requirements)
    task_items = make_tasks(rng, tasks, [item["id"] for item in items])
    (out / "gitspec.yaml").write_text(GITSPEC_YAML, encoding="utf-8")
    specs = out / "specs"
    write_documents(specs / "requirements", "requirements", "reqs",
                    "Requirements", items, requirement_yaml)
    write_documents(specs / "tasks", "tasks", "tasks", "Tasks",
                    task_items, task_yaml)
    git_commit(out, "Benchmark corpus: {} requirements, {} tasks".format(
        len(items), len(task_items)))
    return items


def literal_block(text, indent="  ", width=72):
    """Return ``text`` as the lines of a YAML literal block, wrapped."""
    lines, current = [], ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > width:
            lines.append(indent + current)
            current = word
        else:
            current = (current + " " + word).strip()
    lines.append(indent + current)
    return lines


def doorstop_level(position):
    """Return a level ``1.<position>`` as Doorstop itself would save it."""
    level = "1.{}".format(position)
    return "'" + level + "'" if level.endswith("0") else level


def doorstop_item_text(item, level, links):
    """Return the text of one Doorstop item file."""
    lines = ["active: true", "derived: false", "header: " + quote(item["title"]),
             "level: " + doorstop_level(level)]
    if links:
        lines.append("links:")
        lines.extend("- {}: null".format(uid) for uid in links)
    else:
        lines.append("links: []")
    lines += ["normative: true", "priority: " + item["priority"], "ref: ''",
              "reviewed: null", "text: |"]
    lines += literal_block(item["statement"])
    lines.append("")
    lines.append("  Acceptance:")
    for criterion_text in item["acceptance"]:
        lines += literal_block("- " + criterion_text)
    return "\n".join(lines) + "\n"


def doorstop_settings(prefix, digits, parent=None):
    """Return the text of a Doorstop ``.doorstop.yml``."""
    lines = ["settings:", "  digits: {}".format(digits), "  itemformat: yaml"]
    if parent:
        lines.append("  parent: " + parent)
    lines += ["  prefix: " + prefix, "  sep: '-'"]
    return "\n".join(lines) + "\n"


def write_doorstop(out, items):
    """Write ``items`` (N parents then N children) as a Doorstop tree."""
    out = Path(out)
    prepare_folder(out)
    n = len(items) // 2
    digits = id_width(n)
    uid = lambda prefix, number: "{}-{:0{}d}".format(prefix, number, digits)
    folders = {"REQ": out / "reqs" / "req", "LLR": out / "reqs" / "llr"}
    for prefix, folder in folders.items():
        folder.mkdir(parents=True)
        parent = "REQ" if prefix == "LLR" else None
        (folder / ".doorstop.yml").write_text(
            doorstop_settings(prefix, digits, parent), encoding="utf-8")
    for number in range(1, n + 1):
        parent_uid, child_uid = uid("REQ", number), uid("LLR", number)
        (folders["REQ"] / (parent_uid + ".yml")).write_text(
            doorstop_item_text(items[number - 1], number, []), encoding="utf-8")
        (folders["LLR"] / (child_uid + ".yml")).write_text(
            doorstop_item_text(items[n + number - 1], number, [parent_uid]),
            encoding="utf-8")
    git_commit(out, "Benchmark corpus: Doorstop tree of {} items".format(2 * n))


def strictdoc_field(name, text):
    """One SDoc field: single-line text inline, multi-line text between >>> and <<<."""
    text = text.strip()
    if "\n" in text:
        return "{}: >>>\n{}\n<<<".format(name, text)
    return "{}: {}".format(name, text)


def strictdoc_requirement(item):
    """The SDoc text of one requirement, with its parent relation."""
    lines = ["[REQUIREMENT]", "UID: " + item["id"], strictdoc_field("TITLE", item["title"]),
             strictdoc_field("STATEMENT", item["statement"]),
             strictdoc_field("COMMENT", "\n".join("- " + c for c in item["acceptance"]))]
    if "parent" in item:
        lines += ["RELATIONS:", "- TYPE: Parent", "  VALUE: " + item["parent"]]
    return "\n".join(lines) + "\n"


def write_strictdoc(out, items):
    """Write ``items`` as StrictDoc documents, 50 requirements per .sdoc file as in the workspace."""
    out = Path(out)
    prepare_folder(out)
    docs = out / "docs"
    docs.mkdir()
    for start in range(0, len(items), PER_DOCUMENT):
        number = start // PER_DOCUMENT + 1
        body = "\n".join(strictdoc_requirement(item) for item in items[start:start + PER_DOCUMENT])
        text = "[DOCUMENT]\nTITLE: Requirements {}\n\n{}".format(number, body)
        (docs / "requirements-{:03d}.sdoc".format(number)).write_text(text, encoding="utf-8")


def parse_args(argv):
    """Parse the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder to create (empty or new)")
    parser.add_argument("--requirements", type=int, required=True, metavar="N",
                        help="number of parent requirements (2N items in all)")
    parser.add_argument("--tasks", type=int, metavar="M",
                        help="number of tasks (default N // 2)")
    parser.add_argument("--doorstop", type=Path, metavar="DIR",
                        help="also write the requirements as a Doorstop tree")
    parser.add_argument("--strictdoc", type=Path, metavar="DIR",
                        help="also write the requirements as StrictDoc .sdoc documents")
    args = parser.parse_args(argv)
    if args.requirements < 1:
        parser.error("--requirements must be at least 1")
    if args.tasks is None:
        args.tasks = args.requirements // 2
    return args


def main(argv=None):
    """Write the workspace (and the Doorstop tree if asked)."""
    args = parse_args(argv)
    items = write_workspace(args.out, args.requirements, args.tasks)
    print("wrote {} requirements and {} tasks to {}".format(
        len(items), args.tasks, args.out))
    if args.doorstop:
        write_doorstop(args.doorstop, items)
        print("wrote Doorstop tree of {} items to {}".format(len(items), args.doorstop))
    if args.strictdoc:
        write_strictdoc(args.strictdoc, items)
        print("wrote {} StrictDoc requirements to {}".format(len(items), args.strictdoc))
    return 0


if __name__ == "__main__":
    sys.exit(main())
