"""`gitspec new KIND ID` (or `KIND "Title"`): write a skeleton document that passes `check`; `new requirements
--from FILE` one whose items are FILE's list. Never overwrites."""
from __future__ import annotations

import json
import re
import shlex
import string
from dataclasses import dataclass
from pathlib import Path

from gitspec.atomic import create_new
from gitspec.config import CONFIG_FILE
from gitspec.errors import EXIT_FINDINGS, EXIT_USAGE, GitspecError, writing
from gitspec.herepaths import here, workspace_name
from gitspec.itemids import DEFINED_ID
from gitspec.opening import LoadedDocument, loaded_documents, open_workspace
from gitspec.printable import file_name, is_utf8, shown
from gitspec.render.pagefiles import MAX_STEM
from gitspec.slugs import ascii_slug
from gitspec.streams import messages
from gitspec.unicodenames import on_disk
from gitspec.workspace import Workspace, local_kinds

TYPE_CHECKING = False  # as typing's: Unreadable is only named in annotations
if TYPE_CHECKING:
    from gitspec.requirementlist import Sentence
    from gitspec.unreadable import Unreadable

_DOCUMENT_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_ITEM_ID = re.compile(r"\b([A-Z][A-Z0-9]*)-([0-9]+)\b")
_REQUIREMENT_LINK = re.compile(r"(?<=\brequirements: )\[(REQ-[0-9]+)\]")
# What YAML cannot hold unescaped, once white space is one space: controls, U+FEFF, U+FFFE, U+FFFF.
_UNWRITABLE = re.compile("[^\x20-\x7e\xa0-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")


def run(kind_name: str, doc_id: str | None, title: str | None = None, named_id: str | None = None,
        from_file: str | None = None) -> int:
    """`doc_id` is the ID argument: an id or a title, or for a product its directive; `named_id` is --id,
    an id only (for a product, the skeleton's instead of a directive); `from_file` is --from, a list
    of requirements to write as the items of a requirements document (its id 'requirements' unless named)."""
    for argument, text in (("KIND", kind_name), ("ID", doc_id), ("--id", named_id), ("--title", title),
                           ("--from", from_file)):
        _refuse_undecodable(argument, text)
    sentences = None
    if from_file is not None:
        sentences = _read_list(kind_name, from_file)  # before the workspace: a wrong FILE costs nothing
        if doc_id is None and named_id is None:
            doc_id = "requirements"
    argument = _refuse_unclear_id(kind_name, doc_id, named_id)
    title = _one_line("--title", title, "title")
    workspace, index = open_workspace()  # refuses a .gitspec symlink leading out: the plugin cache is written there
    root = workspace.root
    if named_id is None and kind_name == "product":
        return _product_from_directive(workspace, index, doc_id, title)
    doc_id = named_id or doc_id
    if not _DOCUMENT_ID.match(doc_id):
        doc_id, title = _id_from_title(kind_name, doc_id, title)
    if len(doc_id) > MAX_STEM:
        raise GitspecError(f"argument {argument}: {shown(doc_id)} is {len(doc_id)} characters long; an id has at "
                           f"most {MAX_STEM} (the rendered pages are named after it)", exit_code=EXIT_USAGE)
    from gitspec.builtin.references import RESERVED_IDS

    if doc_id in RESERVED_IDS:
        raise GitspecError(f"argument {argument}: '{doc_id}' is kept for {RESERVED_IDS[doc_id]}; choose another",
                           exit_code=EXIT_USAGE)
    from gitspec.engine import Engine

    engine = Engine(workspace.config, local_kinds(workspace), workspace.store, workspace.root)
    kinds = engine.kinds
    kind = kinds.get(kind_name)
    if kind is None:
        from gitspec.suggestions import did_you_mean

        raise GitspecError(f"argument KIND: unknown kind {kind_name!r}{did_you_mean(kind_name, sorted(kinds))} "
                           f"(known kinds: {', '.join(sorted(kinds))})", exit_code=EXIT_USAGE)
    engine.load_schemas({kind_name})  # a skeleton no schema can check would be a document check cannot read
    template = _template(workspace, kind)
    title = title or doc_id.replace("-", " ").capitalize()
    text = _fill(template.read_text(encoding="utf-8"), doc_id, title)
    taken = _taken(workspace, index)
    text = _fresh_item_ids(text, _highest_defined(taken.item_ids))
    if sentences is not None:
        text = _listed_items(text, sentences, _highest_defined(taken.item_ids).get("REQ", 0),
                             here(workspace_name(root, template)))
    text = _link_requirement(text, taken.documents)
    target = root / workspace.config.specs[0] / f"{doc_id}{kind.suffix}"
    _refuse_taken_id(workspace, doc_id, target, taken)
    _write_new(workspace, target, text)
    messages().write(f"gitspec: wrote {here(workspace.relative(target))}\n")
    return 0


def _read_list(kind_name: str, from_file: str) -> list[Sentence]:
    """The requirements FILE lists (gitspec.requirementlist): UTF-8 text, at least one of them, each
    one a document can hold."""
    from gitspec.requirementlist import listed_sentences

    name = file_name(from_file)
    if kind_name != "requirements":
        raise GitspecError(f"argument --from: only 'gitspec new requirements' reads a list (KIND is {kind_name!r})",
                           exit_code=EXIT_USAGE)
    try:
        data = (on_disk(Path(from_file)) or Path(from_file)).read_bytes()
    except OSError as error:
        raise GitspecError(f"argument --from: cannot read {name}: {error.strerror or error}",
                           exit_code=EXIT_USAGE) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        raise GitspecError(f"argument --from: {name} is not UTF-8 text (line {line}); save it as UTF-8",
                           exit_code=EXIT_USAGE) from None
    sentences = listed_sentences(text)
    if not sentences:
        raise GitspecError(f"argument --from: {name} lists no requirements (one a line; blank lines and "
                           "lines starting with # are skipped)", exit_code=EXIT_USAGE)
    for sentence in sentences:
        unwritable = _UNWRITABLE.search(sentence.text)
        if unwritable:
            raise GitspecError(f"argument --from: {name} line {sentence.line} holds the character "
                               f"U+{ord(unwritable.group()):04X}, which a statement cannot show; remove it",
                               exit_code=EXIT_USAGE)
    return sentences


def _listed_items(text: str, sentences: list[Sentence], highest: int, template: str) -> str:
    """The requirements skeleton `text` (from the file `template`) with, in place of its example item, one
    copy of it per sentence: the sentence its statement, its id the next REQ number past `highest` (the
    workspace's); the rest (title, acceptance, priority) left for the user to fill in, as the skeleton leaves them."""
    from gitspec.yamlread import YamlProblem, read_yaml
    from gitspec.yamlwrite import update_document

    try:
        skeleton = read_yaml(text).value
    except YamlProblem as problem:  # a workspace's own template, with $id and $title filled in
        raise GitspecError(f"argument --from: the template {template} cannot be read as YAML "
                           f"(line {problem.line}: {problem.message})", exit_code=EXIT_USAGE) from None
    example = next(iter(skeleton.get("items") or ()), None) if isinstance(skeleton, dict) else None
    if not isinstance(example, dict):
        raise GitspecError(f"argument --from: the template {template} has no item under 'items' to copy for "
                           "each requirement", exit_code=EXIT_USAGE)
    items = [{**example, "id": f"REQ-{highest + n:03d}", "statement": sentence.text}
             for n, sentence in enumerate(sentences, start=1)]
    written = update_document(text, {}, {"items": items}, {})
    return written if "generated" in skeleton else written.replace("generated: {}\n", "", 1)


def _refuse_unclear_id(kind_name: str, doc_id: str | None, named_id: str | None) -> str:
    """The argument that names the document: ID, or --id (which takes an id only). Given both, which one
    names the file would be unclear; for a product, ID is its directive, always."""
    if doc_id is None and named_id is None:
        wanted = "the directive (or --id ID for a skeleton)" if kind_name == "product" else "an id or a title"
        raise GitspecError(f"argument ID: give {wanted}", exit_code=EXIT_USAGE)
    if doc_id is not None and named_id is not None:
        reason = ("a directive is written to specs/product.yaml; give the directive or --id (a skeleton), not both"
                  if kind_name == "product" else "the id is given twice; give ID or --id")
        raise GitspecError(f"argument --id: {reason}", exit_code=EXIT_USAGE)
    if named_id is not None and not _DOCUMENT_ID.match(named_id):
        raise GitspecError(f"argument --id: {named_id!r} is not a document id (lowercase letters, digits, '-')",
                           exit_code=EXIT_USAGE)
    return "ID" if named_id is None else "--id"


def _refuse_undecodable(argument: str, text: str | None) -> None:
    """An argument holding bytes that are not UTF-8 (typed in a Latin-1 terminal: Python holds each as a
    lone surrogate) cannot be written into a UTF-8 document."""
    if text is not None and not is_utf8(text):
        raise GitspecError(f"argument {argument}: '{file_name(text)}' is not valid UTF-8 text; "
                           "is the terminal set to UTF-8?", exit_code=EXIT_USAGE)


def _id_from_title(kind_name: str, text: str, title: str | None) -> tuple[str, str]:
    """`gitspec new prd "Checkout flow"`: the id `checkout-flow`, titled as typed. With `--title` as
    well, ID must be an id: two titles would leave it unclear which one names the file."""
    derived = _shortened(ascii_slug(text))  # "Straße und Œuvre" -> strasse-und-oeuvre, "Требования" -> trebovaniya
    if title is not None or not derived:
        example = shlex.quote(title if title is not None else text)
        raise GitspecError(f"argument ID: {text!r} is not a document id (lowercase letters, digits, '-'); "
                           f"name one and give the title apart: gitspec new {kind_name} ID --title {example}",
                           exit_code=EXIT_USAGE)
    return derived, _one_line("ID", text, "title")


def _shortened(slug: str) -> str:
    """An id from a long title: its words up to the last that ends within MAX_STEM characters, or the
    first MAX_STEM characters of one word that long."""
    if len(slug) <= MAX_STEM:
        return slug
    head = slug[:MAX_STEM + 1]  # a word ending right at the limit is kept whole
    return (head.rpartition("-")[0] or head[:MAX_STEM]).rstrip("-")


def _one_line(argument: str, text: str | None, what: str) -> str | None:
    """A title or directive as one line, its runs of white space (line breaks too) one space; None when
    blank. A character YAML cannot hold as it is (a control character, U+FFFE) is refused: in a title it
    shows as nothing, or breaks the document."""
    text = " ".join((text or "").split())
    unwritable = _UNWRITABLE.search(text)
    if unwritable:
        raise GitspecError(f"argument {argument}: {text!r} holds the character U+{ord(unwritable.group()):04X}, "
                           f"which a {what} cannot show; remove it", exit_code=EXIT_USAGE)
    return text or None


def _fill(template: str, doc_id: str, title: str) -> str:
    """The template with its `$id` and `$title`: escaped inside a YAML double-quoted string
    (`title: "$title"`), as typed elsewhere (a Markdown heading `# $title`). One pass: a `$` in the
    title is not substituted again."""
    template = template.replace('"$title"', '"${quoted_title}"')
    return string.Template(template).safe_substitute(id=doc_id, title=title,
                                                     quoted_title=json.dumps(title, ensure_ascii=False)[1:-1])


def _template(workspace: Workspace, kind) -> Path:
    override = workspace.root / workspace.config.templates / f"{kind.name}{kind.suffix}"
    if override.is_file():
        return override
    if kind.template is None or not kind.template.is_file():
        raise GitspecError(f"kind '{kind.name}' has no template; add {workspace.config.templates}/"
                           f"{kind.name}{kind.suffix}", exit_code=EXIT_USAGE)
    return kind.template


def _fresh_item_ids(text: str, used: dict[str, int]) -> str:
    """Renumber the items the skeleton defines (`id: FEAT-001`) past `used`, the highest number of each
    prefix the workspace defines.

    References to ids the skeleton does not define (a task's REQ-001) are left alone.
    """
    used = dict(used)
    renamed: dict[str, str] = {}
    for match in DEFINED_ID.finditer(text):
        prefix, number = match.groups()
        if prefix in used and match.group(0) not in renamed:
            used[prefix] += 1
            renamed[f"{prefix}-{number}"] = f"{prefix}-{used[prefix]:0{len(number)}d}"
    return _ITEM_ID.sub(lambda m: renamed.get(m.group(0), m.group(0)), text)


def _highest_defined(item_ids: list[tuple[str, str]]) -> dict[str, int]:
    """The highest number of each item id prefix (`REQ`) among `item_ids` (gitspec.itemids): ids documents
    define, not ids only mentioned, in a comment (`# links: [REQ-002]`) or a reference."""
    used: dict[str, int] = {}
    for item_id, _ in item_ids:
        prefix, _, number = item_id.rpartition("-")
        used[prefix] = max(used.get(prefix, 0), int(number))
    return used


@dataclass(frozen=True)
class _Taken:
    """What the workspace holds already: the documents as `check` read them, in path order, each id a
    document file that could not be read may have (gitspec.unreadable), and the item ids defined
    (gitspec.itemids)."""
    documents: list[LoadedDocument]
    unreadable: dict[str, Unreadable]
    item_ids: list[tuple[str, str]]


def _taken(workspace: Workspace, index) -> _Taken:
    """The index is left to `check` to save."""
    from gitspec.checker import check
    from gitspec.itemids import defined_item_ids
    from gitspec.unreadable import unreadable_documents

    findings = check(workspace, index, save=False).findings
    documents = sorted(loaded_documents(index).values(), key=lambda document: document.path)
    unreadable = unreadable_documents(workspace.root, findings, index.content()[0],
                                      lambda: {document.id: document.path for document in documents})
    item_ids = defined_item_ids(workspace.root, index, findings, {document.path for document in documents})
    return _Taken(documents, unreadable, item_ids)


def _link_requirement(text: str, documents: list[LoadedDocument]) -> str:
    """A skeleton's link to a requirement it does not define (a task's `requirements: [REQ-001]`) goes to
    the workspace's lowest-numbered requirement, or is left empty while there is none: a made-up id fails check."""
    defined = {"-".join(match.groups()) for match in DEFINED_ID.finditer(text)}
    existing = [item["id"] for document in documents if document.kind == "requirements"
                for item in document.sections.get("items") or ()
                if isinstance(item, dict) and isinstance(item.get("id"), str) and _ITEM_ID.fullmatch(item["id"])]
    first = min(existing, key=lambda req: int(req.rpartition("-")[2]), default=None)
    return _REQUIREMENT_LINK.sub(lambda m: m.group(0) if m.group(1) in defined else f"[{first or ''}]", text)


def _product_from_directive(workspace: Workspace, index, directive: str, title: str | None) -> int:
    """`gitspec new product "Build a ..."`: a product document holding only its directive.

    `gitspec build` then generates the rest of it and the whole spec set.
    """
    from gitspec.yamlwrite import update_document

    directive = _one_line("ID", directive, "directive")
    if directive is None:
        raise GitspecError("argument ID: the directive is empty", exit_code=EXIT_USAGE)
    title = title or _one_line("ID", directive.rstrip("."), "title")
    if title is None:
        raise GitspecError(f"argument ID: the directive {directive!r} gives no title; "
                           "give one with --title", exit_code=EXIT_USAGE)
    header = {"kind": "product", "id": "product", "title": title}
    text = update_document(None, header, {"directive": directive}, {})
    text = text.replace("generated: {}\n", "")
    target = workspace.root / workspace.config.specs[0] / "product.yaml"
    _refuse_taken_id(workspace, "product", target, _taken(workspace, index))
    _write_new(workspace, target, text)
    messages().write(f"gitspec: wrote {here(workspace.relative(target))}; run 'gitspec build' to generate the spec set\n")
    return 0


def _refuse_taken_id(workspace: Workspace, doc_id: str, target: Path, taken: _Taken) -> None:
    """Document ids are unique in the workspace: one another file has would be a duplicate-id finding (once
    that file can be read, for one that cannot)."""
    name = workspace.relative(target)  # the same file: "already exists" says it
    used = next((document.path for document in taken.documents if document.id == doc_id), None)
    if used is not None and used != name:
        raise GitspecError(f"argument ID: document id '{doc_id}' is already used by {here(used)}; choose another",
                           exit_code=EXIT_USAGE)
    unreadable = taken.unreadable.get(doc_id)
    if unreadable is not None and unreadable.path != name:
        raise GitspecError(f"argument ID: document id '{doc_id}' may be used by {file_name(here(unreadable.path))}, "
                           f"which could not be read (line {unreadable.line}: {unreadable.message}); "
                           "fix it, or choose another", exit_code=EXIT_USAGE)


def _write_new(workspace: Workspace, target: Path, text: str) -> None:
    """Write `target`, never over an existing file (looked for first: a read-only checkout says so too),
    nor where an `exclude` glob would hide it from every command. The file is named from the current folder."""
    name = workspace.relative(target)
    pattern = workspace.exclusion_of(target.name)  # `target` is at the top of the first spec folder
    if pattern is not None:
        raise GitspecError(f"argument ID: {here(name)} would be left out by the glob {pattern!r} of 'exclude' in "
                           f"{CONFIG_FILE}, so no command would read it; choose another id, or change 'exclude'",
                           exit_code=EXIT_USAGE)
    with writing(name):
        written = not target.exists() and create_new(target, text.encode("utf-8"))
    if not written:
        raise GitspecError(f"{here(name)} already exists; not overwritten", exit_code=EXIT_FINDINGS)
