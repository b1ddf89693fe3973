"""The workspace configuration, `gitspec.yaml`: defaults, validation, errors.

A configuration error names the file, line and key, and exits 2.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePosixPath

from gitspec.errors import EXIT_USAGE, GitspecError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~2 ms) on a no-op check
if TYPE_CHECKING:
    from typing import Any

CONFIG_FILE = "gitspec.yaml"
_OWN_FOLDERS = {".git", ".gitspec"}  # no configured folder may be in these: git's and gitspec's own
# RFC 5646's langtag: a 2-3 letter language (the 4-8 letter ones are reserved, unassigned), then its extended
# language, script, region, variants, extensions and private use subtags; or a private use tag alone (x-klingon)
_PRIVATE_USE = r"x(?:-[a-z0-9]{1,8})+"
_LANGUAGE_TAG = (r"[a-z]{2,3}(?:-[a-z]{3}){0,3}(?:-[a-z]{4})?(?:-(?:[a-z]{2}|[0-9]{3}))?"
                 rf"(?:-(?:[a-z0-9]{{5,8}}|[0-9][a-z0-9]{{3}}))*(?:-[0-9a-wyz](?:-[a-z0-9]{{2,8}})+)*(?:-{_PRIVATE_USE})?"
                 rf"|{_PRIVATE_USE}")

DEFAULT_CONFIG_TEXT = """\
# gitspec workspace settings (see docs/formats.md)
specs:            # folders holding the spec documents
  - specs
output: build     # where rendered HTML, PDF and Word go
page_size: A4     # A4 or Letter
language: en      # the documents' language, a BCP 47 tag: en, ja, pt-BR, zh-Hant
formats: [html, pdf, docx]  # what gitspec build renders into the output folder
exclude: []       # globs of files in spec folders that are not documents: README.md, notes/*
max_file_size: 1048576  # bytes; larger files are reported, not read, and never written by a build
"""


@dataclass(frozen=True)
class Config:
    specs: tuple[str, ...] = ("specs",)
    output: str = "build"
    page_size: str = "A4"
    language: str = "en"
    formats: tuple[str, ...] = ("html", "pdf", "docx")
    mermaid_server: str = ""
    mermaid_timeout: float = 20.0
    exclude: tuple[str, ...] = ()
    max_file_size: int = 1_048_576
    schemas: str = "schemas"
    templates: str = "templates"
    code_folder: str = "generated"
    provider: str = "template"
    plugins: dict[str, Any] = field(default_factory=dict)

    def options_of(self, name: str) -> dict[str, Any]:
        """The options of the stage or provider `name`: `plugins.<name>`, empty when it has none."""
        return dict(self.plugins.get(name) or {})

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Config:
        data = dict(data)
        for key in ("specs", "exclude", "formats"):
            if key in data:
                data[key] = tuple(data[key])
        return cls(**data)


def parse_config(data: bytes, path: str = CONFIG_FILE) -> Config:
    """Read and validate gitspec.yaml; raise GitspecError (exit 2) naming the key."""
    from gitspec.conflicts import find_conflicts
    from gitspec.documents import DocumentProblem, decode
    from gitspec.yamlread import YamlProblem, read_yaml

    try:
        text = decode(data)
        conflicts = find_conflicts(text)  # named as in a document, not as the YAML error a line below
        if conflicts:
            raise GitspecError(conflicts[0].message, path, conflicts[0].start, 1, EXIT_USAGE)
        tree = read_yaml(text)
    except (DocumentProblem, YamlProblem) as exc:
        if getattr(exc, "rule", "") == "empty-file":
            return Config()
        raise GitspecError(exc.message, path, exc.line, exc.col, EXIT_USAGE) from None
    if tree.ambiguous:  # a setting must mean one thing
        first = tree.ambiguous[0]
        raise GitspecError(first.message, path, first.line, first.col, EXIT_USAGE)
    if tree.value is None:
        return Config()
    if not isinstance(tree.value, dict):
        raise GitspecError("gitspec.yaml must be a mapping of keys", path, 1, 1, EXIT_USAGE)
    _refuse_nan(tree, path)
    _validate(tree, path)
    config = Config.from_dict(tree.value)
    _check_server(tree, config.mermaid_server, path)
    _check_language(tree, config.language, path)
    for key, folders in (("specs", config.specs), ("output", (config.output,)),
                         ("schemas", (config.schemas,)), ("templates", (config.templates,)),
                         ("code_folder", (config.code_folder,))):
        for folder in folders:
            posix = PurePosixPath(folder)
            if posix.is_absolute() or ".." in posix.parts:
                line, col = tree.locate((key,))
                raise GitspecError(f"key '{key}': {folder!r} must be a folder inside the workspace",
                                   path, line, col, EXIT_USAGE)
            if {part.lower() for part in posix.parts} & _OWN_FOLDERS:  # lower: macOS's .GIT is .git
                line, col = tree.locate((key,))
                raise GitspecError(f"key '{key}': {folder!r} is inside .git or .gitspec, which belong to "
                                   "git and gitspec; choose another folder", path, line, col, EXIT_USAGE)
    _refuse_output_among_specs(tree, config, path)
    return config


def _refuse_output_among_specs(tree: Any, config: Config, path: str) -> None:
    """The output folder is not read for documents: inside a spec folder it would hide those already there
    (and `new` would write a second document with their ids); a spec folder inside it would be rendered over.
    The workspace itself as either (`specs: [.]`, `output: .`) is the usual exception: that is gitspec's layout."""
    output = _parts(config.output)
    for folder in config.specs:
        spec = _parts(folder)
        if spec and output[:len(spec)] == spec:
            relation = "is" if output == spec else "is inside"
        elif output and spec[:len(output)] == output:
            relation = "holds"
        else:
            continue
        line, col = tree.locate(("output",))
        why = "where renders would mix with its documents" if relation == "holds" else \
            "whose documents gitspec would no longer read"
        raise GitspecError(f"key 'output': {config.output!r} {relation} the spec folder {folder!r}, {why}; "
                           "choose a folder apart from the spec folders", path, line, col, EXIT_USAGE)


def _parts(folder: str) -> tuple[str, ...]:
    """A configured folder's path, by its names: `./specs/` is `specs`, `.` is the workspace ()."""
    return tuple(part.lower() for part in PurePosixPath(folder).parts if part != ".")


def config_error(root: Path, message: str, key: tuple) -> GitspecError:
    """A problem found after gitspec.yaml was read (a folder missing, a format not installed), at the
    line of `key` (a path into the config: `("specs", 1)`), or of its nearest parent there."""
    from gitspec.documents import DocumentProblem, decode
    from gitspec.yamlread import YamlProblem, read_yaml

    try:
        line, col = read_yaml(decode((root / CONFIG_FILE).read_bytes())).locate(key)
    except (OSError, DocumentProblem, YamlProblem):  # changed since it was read: its top, then
        line, col = 1, 1
    return GitspecError(message, CONFIG_FILE, line, col, EXIT_USAGE)


def _check_server(tree: Any, server: str, path: str) -> None:
    """An empty server, or an http(s) URL with a host and no user name or password: anything else
    would fail once per diagram. A password is never echoed: gitspec.yaml is shared, messages and CI logs more so."""
    from urllib.parse import urlsplit

    if not server:
        return
    try:
        parts = urlsplit(server)
        host = parts.hostname
    except ValueError:  # e.g. an unclosed IPv6 bracket
        parts, host = None, None
    problem = None
    if not server.startswith(("http://", "https://")) or not host:
        problem = "must be an http:// or https:// URL (e.g. https://mermaid.ink), or empty"
    elif "@" in parts.netloc:
        # urllib sends no credentials from a URL (it took them for part of the host name), and a
        # password in a committed gitspec.yaml would be every reader's
        problem = ("must not hold a user name or password: gitspec sends no credentials, and gitspec.yaml "
                   "is committed; use a server that needs none (your own, on a network you trust)")
    if problem:
        line, col = tree.locate(("mermaid_server",))
        raise GitspecError(f"key 'mermaid_server': {_without_userinfo(server)!r} {problem}",
                           path, line, col, EXIT_USAGE)


def _without_userinfo(url: str) -> str:
    """`url` with whatever precedes an "@" within a part of it shown as "…", so a password is never
    printed however the URL is mangled (a path's "@" is hidden too; this is only for messages)."""
    import re

    return re.sub(r"[^/?#]*@", "…@", url)


def _check_language(tree: Any, language: str, path: str) -> None:
    """A well-formed BCP 47 tag (RFC 5646), which pages, PDFs and Word files declare their text to be in:
    a browser, a screen reader or Word would misread anything else, or ignore it."""
    import re

    if not re.fullmatch(_LANGUAGE_TAG, language, re.ASCII | re.IGNORECASE):
        line, col = tree.locate(("language",))
        hint = f" ({language.replace('_', '-')!r}: tags join their parts with '-')" if "_" in language else ""
        raise GitspecError(f"key 'language': {language!r} is not a BCP 47 language tag such as en, ja, pt-BR "
                           f"or zh-Hant{hint}", path, line, col, EXIT_USAGE)


def _refuse_nan(tree: Any, path: str) -> None:
    """`.nan` compares false with every bound, so the schema's minimum and maximum would let it through."""
    for key, value in tree.value.items():
        if isinstance(value, float) and value != value:
            line, col = tree.locate((key,))
            raise GitspecError(f"key '{key}': .nan is not a number", path, line, col, EXIT_USAGE)


def _validate(tree: Any, path: str) -> None:
    import difflib

    import jsonschema_rs

    from gitspec.schemas import load_builtin_schema

    schema = load_builtin_schema("config")
    if jsonschema_rs.validator_for(schema).is_valid(tree.value):
        return
    from jsonschema import Draft202012Validator  # slower to import, but its errors say more

    for error in sorted(Draft202012Validator(schema).iter_errors(tree.value), key=lambda e: list(e.path)):
        if error.validator == "additionalProperties" and not error.path:
            unknown = sorted(set(tree.value) - set(schema["properties"]))[0]
            close = difflib.get_close_matches(unknown, list(schema["properties"]), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            line, col = tree.locate_key((), unknown)
            raise GitspecError(f"unknown key '{unknown}'{hint}", path, line, col, EXIT_USAGE)
        key = "/".join(str(p) for p in error.absolute_path) or "(top level)"
        line, col = tree.locate(tuple(error.absolute_path))
        raise GitspecError(f"key '{key}': {error.message}", path, line, col, EXIT_USAGE)
    # The two validators disagree: never let that pass silently (as gitspec/schemas.py does for documents).
    for error in jsonschema_rs.validator_for(schema).iter_errors(tree.value):
        key = "/".join(str(p) for p in error.instance_path) or "(top level)"
        line, col = tree.locate(tuple(error.instance_path))
        raise GitspecError(f"key '{key}': {error.message}", path, line, col, EXIT_USAGE)
