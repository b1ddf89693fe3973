"""Writing a stage's sections into its document file: round-trip YAML, atomic, never over a stranger's edit."""
from __future__ import annotations

import codecs
import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from gitspec.atomic import create_new, replace_unchanged
from gitspec.documents import HEADER_KEYS
from gitspec.errors import EXIT_FINDINGS, GitspecError, writing
from gitspec.herepaths import here
from gitspec.kinds import Kind
from gitspec.opening import LoadedDocument
from gitspec.stage import Stage
from gitspec.workspace import Workspace
from gitspec.yamlread import read_yaml
from gitspec.yamlwrite import update_document


class DocumentWriter:
    def __init__(self, workspace: Workspace, kinds: Callable[[], dict[str, Kind]]) -> None:
        self.workspace = workspace
        self._kinds = kinds  # asked only when a stage creates a document
        self._suffixes: dict[str, str] | None = None

    def __call__(self, stage: Stage, document: LoadedDocument | None, sections: dict[str, Any],
                 stamps: dict[str, dict], unpinned: tuple[str, ...]) -> LoadedDocument:
        root = self.workspace.root
        if document is not None:
            rel = document.path
            data = (root / rel).read_bytes()
            if hashlib.sha256(data).hexdigest() != document.sha:
                raise _changed(rel)
            text: str | None = data.decode("utf-8-sig")
            bom = codecs.BOM_UTF8 if data.startswith(codecs.BOM_UTF8) else b""  # kept, as its line endings are
            if rel.endswith(".md"):
                return self._markdown(stage, rel, text, sections, document.sha, stamps, bom, unpinned)
        else:
            suffix = self.suffix(stage.kind)
            rel = f"{self.workspace.config.specs[0].rstrip('/')}/{stage.document}{suffix}"
            if (root / rel).exists():
                raise _taken(rel, stage)
            if suffix == ".md":
                return self._markdown(stage, rel, _new_markdown(stage), sections, None, stamps, b"", ())
            text, bom = None, b""
        header = {"kind": stage.kind, "id": stage.document, "title": stage.title}
        try:
            new_text = update_document(text, header, sections, stamps, unpinned)
        except GitspecError as exc:  # at a line of the document, which it does not name
            exc.path = exc.path or rel
            raise
        encoded = bom + new_text.encode("utf-8")  # (in the file's own line endings)
        self._refuse_oversize(stage, rel, encoded, sections)
        if document is not None:
            _replace(root / rel, rel, encoded, document.sha)
        elif not _create(root / rel, rel, encoded):  # made meanwhile: never overwritten
            raise _taken(rel, stage)
        value = read_yaml(new_text).value
        return LoadedDocument(stage.document, stage.kind, rel,
                              {k: v for k, v in value.items() if k in HEADER_KEYS},
                              {k: v for k, v in value.items() if k not in HEADER_KEYS},
                              hashlib.sha256(encoded).hexdigest())


    def suffix(self, kind: str) -> str:
        """The suffix of a new document of `kind`, as `gitspec new` gives it: ".md" or ".yaml"."""
        if self._suffixes is None:  # only a stage creating a document asks: load the kinds then
            self._suffixes = {name: ".md" if k.suffix == ".md" else ".yaml" for name, k in self._kinds().items()}
        return self._suffixes.get(kind, ".yaml")

    def _markdown(self, stage: Stage, rel: str, text: str, sections: dict[str, Any], sha: str | None,
                  stamps: dict[str, dict], bom: bytes, unpinned: tuple[str, ...]) -> LoadedDocument:
        """Generated regions between marker comments that carry the stamp, as cog writes them; a section
        the file holds in its front matter is written there, its stamp in the front matter's `generated`,
        as in YAML. With `sha` None, `text` is a new document's skeleton, created only where no file is.
        A region's new stamp is unpinned; `unpinned` (the forced sections) leave the front matter's
        `pinned` list too."""
        from gitspec.documents import parse_document
        from gitspec.hashing import value_hash
        from gitspec.markdown import split_markdown
        from gitspec.markdownwrite import replace_sections, unpin_front_matter, write_front_matter

        read = parse_document(rel, text.encode("utf-8"))
        held = [name for name in sections if read.in_front_matter(name)]
        parts = split_markdown(text)
        for name, line in parts.duplicates:
            if name in sections:  # which copy the user means is theirs to say
                raise GitspecError(f"section '{name}' appears twice; {stage.document}#{name} is written into "
                                   "neither copy: merge or rename one, then build again", rel, line,
                                   exit_code=EXIT_FINDINGS)
        added = [name for name in sections if name not in parts.sections and name not in held]
        if added and parts.unclosed is not None:  # a section appended at the end would be inside it
            what, line, *_, closer = parts.unclosed
            raise GitspecError(f"the {what} opened here is never closed, so {stage.document}#{added[0]} cannot be "
                               f"added after it; close it ({closer}), then build again", rel, line,
                               exit_code=EXIT_FINDINGS)
        new_text = replace_sections(text, {name: value for name, value in sections.items() if name not in held},
                                    {name: stamp for name, stamp in stamps.items() if name not in held})
        if held:
            try:
                new_text = write_front_matter(new_text, {name: sections[name] for name in held},
                                              {name: stamps[name] for name in held if name in stamps})
            except GitspecError as exc:  # at a line of the front matter, which it does not name
                exc.path = exc.path or rel
                raise
        if unpinned:
            try:
                new_text = unpin_front_matter(new_text, unpinned)
            except GitspecError as exc:  # at a line of the front matter, which it does not name
                exc.path = exc.path or rel
                raise
        encoded = bom + new_text.encode("utf-8")
        self._refuse_oversize(stage, rel, encoded, sections)
        document = parse_document(rel, encoded)
        if any(value_hash(document.sections.get(n)) != value_hash(v) for n, v in sections.items()):
            raise RuntimeError(f"Markdown rewrite of {rel} changed a generated section; refusing to write it")
        if sha is None:
            if not _create(self.workspace.root / rel, rel, encoded):  # made meanwhile: never overwritten
                raise _taken(rel, stage)
        else:
            _replace(self.workspace.root / rel, rel, encoded, sha)
        written = LoadedDocument(stage.document, document.kind, rel, document.header, document.sections,
                                 hashlib.sha256(encoded).hexdigest())
        written.broken = document.broken  # of sections not written now
        written.front = tuple(name for name in document.sections if document.in_front_matter(name))
        return written

    def _refuse_oversize(self, stage: Stage, rel: str, encoded: bytes, sections: dict[str, Any]) -> None:
        """A document over max_file_size is never written: every later check and build would refuse to
        read it (a provider's long answer, repeated by the stages that quote it, gets there)."""
        limit = self.workspace.config.max_file_size
        if len(encoded) <= limit:
            return
        from gitspec.hashing import canonical_json

        largest = max(sections, key=lambda name: len(canonical_json(sections[name])))
        raise GitspecError(f"stage '{stage.name}' would make this file {len(encoded):,} bytes, over the {limit:,}-byte "
                           f"limit (max_file_size in gitspec.yaml); its largest new section is "
                           f"{stage.document}#{largest}; nothing was written", path=rel, exit_code=EXIT_FINDINGS)


def _new_markdown(stage: Stage) -> str:
    """A new Markdown document's front matter and title; its sections are added as generated regions."""
    import json

    title = " ".join(stage.title.split())  # one line: the `#` heading is the title
    return f"---\nkind: {json.dumps(stage.kind)}\nid: {json.dumps(stage.document)}\n---\n\n# {title}\n"


def _replace(path: Path, rel: str, data: bytes, sha: str) -> None:
    """Write the document's new text, unless it changed since it was read (an edit saved while the build ran)."""
    with writing(rel):  # a read-only folder, a full disk: one line naming it, the file as it was
        replaced = replace_unchanged(path, data, sha)
    if not replaced:
        raise _changed(rel)


def _create(path: Path, rel: str, data: bytes) -> bool:
    """Write a new document, unless a file is there already: whether it was written."""
    with writing(rel):
        return create_new(path, data)


def _changed(rel: str) -> GitspecError:
    return GitspecError(f"{here(rel)} changed while gitspec was building; run the build again", exit_code=EXIT_FINDINGS)


def _taken(rel: str, stage: Stage) -> GitspecError:
    return GitspecError(f"{here(rel)} exists but is not the '{stage.document}' document; "
                        f"stage '{stage.name}' will not overwrite it", exit_code=EXIT_FINDINGS)

