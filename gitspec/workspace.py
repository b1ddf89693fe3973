"""The workspace: its root, its configuration and the document files in it.

Finding files must stay cheap: a no-op check is mostly this scan plus stats.
"""
from __future__ import annotations

import fnmatch
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from gitspec.config import CONFIG_FILE, Config, config_error
from gitspec.errors import EXIT_USAGE, GitspecError
from gitspec.herepaths import here
from gitspec.unicodenames import composed, on_disk, stored

# Files in spec folders with these suffixes are documents; others are ignored.
DOCUMENT_SUFFIXES = (".yaml", ".yml", ".md")


def current_folder() -> Path:
    """The folder gitspec runs in. One deleted (or moved away) under the shell that started gitspec
    is a usage error, as git's "Unable to read current working directory" is, not a crash."""
    try:
        return Path.cwd()
    except FileNotFoundError:
        raise GitspecError("the current folder no longer exists (deleted or moved away): "
                           "cd into one that does", exit_code=EXIT_USAGE) from None
    except OSError as error:
        raise GitspecError(f"cannot read the current folder: {error.strerror or error}",
                           exit_code=EXIT_USAGE) from None


def find_root(start: Path) -> Path:
    """The nearest folder at or above `start` holding gitspec.yaml."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / CONFIG_FILE).is_file():
            return folder
    raise GitspecError(f"no {CONFIG_FILE} in {start} or any parent folder: run 'gitspec init' first",
                       exit_code=EXIT_USAGE)


def store_of(root: Path, config: Config | None = None) -> Path:
    """The workspace's store, `.gitspec/`. A symlink there (one committed to the repository, say) must
    lead to a folder of gitspec's own: one out of the workspace, to the workspace itself, into git's
    folder or (once `config` is read) to or around a configured folder is refused, as gitspec would
    write its index, README and objects there and `cache gc` would delete what it found. So is a
    symlink inside the store, wherever it leads."""
    store = root / ".gitspec"
    if os.path.islink(store):
        target, root = Path(os.path.realpath(store)), root.resolve()
        if not target.is_relative_to(root):
            raise GitspecError(f".gitspec is a symlink leading outside the workspace, to {target}; remove it "
                               "(gitspec keeps its store inside the workspace)", exit_code=EXIT_USAGE)
        taken = _taken_place(target, root, config)
        if taken:
            raise GitspecError(f".gitspec is a symlink to {target.relative_to(root).as_posix()}, {taken}; remove "
                               "it (gitspec keeps its store in a folder of its own)", exit_code=EXIT_USAGE)
    from gitspec.store import store_symlink

    link = store_symlink(store)
    if link is not None:  # `.gitspec/renders -> /elsewhere`: a render would write its manifest there
        name = PurePosixPath(".gitspec", link.relative_to(store).as_posix())
        raise GitspecError(f"{here(str(name))} is a symlink to {os.readlink(link)}; remove it (gitspec follows "
                           "no link inside its store)", exit_code=EXIT_USAGE)
    return store


def _taken_place(target: Path, root: Path, config: Config | None) -> str:
    """What else `target` (resolved, inside `root`) is, as a store's folder: "" when it is nothing else."""
    if target == root:
        return "the workspace itself"
    if in_git_folder(target, root):
        return "which belongs to git"
    folders = [] if config is None else [
        *(("spec folder", folder) for folder in config.specs), ("output folder", config.output),
        ("templates folder", config.templates), ("schemas folder", config.schemas),
        ("code_folder", config.code_folder)]
    for what, folder in folders:
        place = Path(os.path.realpath(root / folder))
        if target == place:
            return f"the {what} '{folder}'"
        if target.is_relative_to(place) and place != root:  # `specs: [.]`: its own folders are apart
            return f"inside the {what} '{folder}'"
        if place.is_relative_to(target):
            return f"which holds the {what} '{folder}'"
    return ""


def in_git_folder(path: Path, root: Path) -> bool:
    """Whether `path` (resolved, inside `root`) is a repository's git folder or inside one: named `.git`
    (in any case, as macOS's are), or another name holding what git keeps (`--separate-git-dir`)."""
    inner = path.relative_to(root)
    if any(part.lower() == ".git" for part in inner.parts):
        return True
    return any((folder / "HEAD").is_file() and ((folder / "objects").is_dir() or (folder / "commondir").is_file())
               for folder in (path, *path.parents[:len(inner.parts) - 1]))


def find_root_of(start: Path, paths: Sequence[str], verb: str = "check") -> Path:
    """The workspace holding `start`; if there is none, the one holding every one of `paths` (files or
    folders, as given on the command line), which must all be in the same workspace: else an error
    saying to `verb` (the command's: check, render) each workspace on its own."""
    try:
        return find_root(start)
    except GitspecError:
        if not paths:
            raise
    roots: dict[Path, str] = {}
    for given in paths:
        path = Path(os.path.abspath(given))
        try:
            roots.setdefault(find_root(path if path.is_dir() else path.parent), given)
        except GitspecError:
            raise GitspecError(f"no {CONFIG_FILE} in {start.resolve()} or any parent folder, nor in any folder "
                               f"above {given}: run 'gitspec init' first", exit_code=EXIT_USAGE) from None
    if len(roots) > 1:
        first, second = list(roots.values())[:2]
        raise GitspecError(f"{first} and {second} are in different workspaces: {verb} each workspace on its own",
                           exit_code=EXIT_USAGE)
    return next(iter(roots))


def stored_folders(root: Path, config: Config) -> Config:
    """`config` with every folder it names spelt as the file system stores it (gitspec.unicodenames):
    `specs: [spécs]` typed composed is the folder macOS wrote decomposed, read as such, and `new` and
    `init` write into it rather than make a second one that looks the same beside it."""
    from dataclasses import replace

    return replace(config, specs=tuple(stored(root, folder) for folder in config.specs),
                   output=stored(root, config.output), schemas=stored(root, config.schemas),
                   templates=stored(root, config.templates), code_folder=stored(root, config.code_folder))


@dataclass(frozen=True)
class Workspace:
    root: Path
    config: Config

    @property
    def store(self) -> Path:
        return self.root / ".gitspec"  # checked by store_of when the workspace was opened

    def document_files(self) -> list[str]:
        """Workspace-relative paths ('/'-separated) of every document, sorted."""
        exclude = _exclusion(self.config.exclude)
        found: set[str] = set()
        own = self._own_folders()
        for number, folder in enumerate(self.config.specs):
            top = self.root / folder
            if not top.is_dir():
                if not os.path.lexists(top):  # git keeps no empty folder: a fresh clone has no `specs/` yet
                    continue
                raise config_error(self.root, f"spec folder '{folder}' is {not_a_folder(top)} (key 'specs')",
                                   ("specs", number))
            rel = folder.strip("/").rstrip("/")
            _walk(str(top), rel, exclude, found, own, len(rel) + 1 if rel not in ("", ".") else 0)
        found.discard(CONFIG_FILE)
        return sorted(found)

    def _own_folders(self) -> frozenset[str]:
        """What is gitspec's, not documents, though in a spec folder (`specs: [.]`): the output,
        templates and generated-code folders ("build", ...); gitspec.yaml is left out apart."""
        config = self.config
        return frozenset(PurePosixPath(folder).as_posix().strip("/")
                         for folder in (config.output, config.templates, config.code_folder)
                         if folder not in config.specs)

    def hidden_documents(self) -> list[tuple[str, str, str]]:
        """Files that look like documents (a top-level `kind:`) in a spec folder but are not read, being in
        the templates or code folder there (`_own_folders`): (path, key, folder). A template (a file at the
        templates folder's top) is what that folder is for; a folder outside the spec folders costs nothing."""
        config, found = self.config, []
        exclude = _exclusion(config.exclude)
        for key, folder in (("templates", config.templates), ("code_folder", config.code_folder)):
            rel = PurePosixPath(folder).as_posix().strip("/")
            if folder in config.specs or not any(_within(rel, spec) for spec in config.specs):
                continue
            for path in _document_like(self.root / rel, key == "templates"):
                child = path.relative_to(self.root).as_posix()
                if not _excluded(exclude, child, 0):
                    found.append((child, key, folder))
        return sorted(found)

    def exclusion_of(self, inner_path: str) -> str | None:
        """The `exclude` glob that leaves `inner_path` ('/'-separated, in the first spec folder) out of the
        documents, by its own path or a folder's on the way to it, as the walk meets them; None if none does."""
        spec = self.config.specs[0].strip("/")
        top = "" if spec in ("", ".") else spec
        inner = len(top) + 1 if top else 0
        names = inner_path.split("/")
        for pattern in self.config.exclude:
            glob = _exclusion((pattern,))
            if any(_excluded(glob, top + "/" * bool(top) + "/".join(names[:end]), inner)
                   for end in range(1, len(names) + 1)):
                return pattern
        return None

    def relative(self, path: Path) -> str:
        return path.resolve().relative_to(self.root).as_posix()

    def selection(self, paths: list[str]) -> list[str]:
        """The files or folders named on the command line, workspace-relative; exit 2 for bad ones.

        A file is known by the path it has in the workspace, as findings name it: a symlinked document
        is where its link is, not where it leads (which may be outside the workspace)."""
        wanted = []
        for given in paths:
            path = on_disk(Path(os.path.abspath(given)))
            if path is None:
                raise GitspecError(f"no such file or folder: {given}", exit_code=EXIT_USAGE)
            real = Path(os.path.realpath(path)) if path.is_dir() else Path(os.path.realpath(path.parent)) / path.name
            try:
                wanted.append(real.relative_to(self.root).as_posix())
            except ValueError:
                raise outside(given, self.root) from None
        return wanted


def outside(given: str, root: Path) -> GitspecError:
    """What a command says of a file or folder named on its command line that is not in the workspace."""
    return GitspecError(f"{given} is outside the workspace {root}", exit_code=EXIT_USAGE)


def selected(rel: str, wanted: list[str]) -> bool:
    """Whether `rel` is one of `wanted` or inside one of them (everything when nothing is wanted)."""
    rel = composed(rel)
    return not wanted or any(w in (".", "") or rel == composed(w)
                             or rel.startswith(composed(w).rstrip("/") + "/") for w in wanted)


def _within(folder: str, spec: str) -> bool:
    spec = PurePosixPath(spec).as_posix().strip("/")
    return spec in ("", ".") or folder == spec or folder.startswith(spec + "/")


def _document_like(top: Path, templates: bool) -> list[Path]:
    """The regular files under `top` (no dot-names, no linked folders, no `node_modules`) with a
    document's suffix whose first KiB has a document's top-level `kind:` and `id:` (a Kubernetes
    manifest has a `kind:` but no `id:`); with `templates`, not those at the top."""
    found = []
    for folder, folders, names in os.walk(top):
        folders[:] = [name for name in folders if not name.startswith(".") and name != "node_modules"]
        for name in names:
            path = Path(folder, name)
            if name.startswith(".") or not name.endswith(DOCUMENT_SUFFIXES) or (templates and folder == str(top)):
                continue
            if not regular_file(path):  # a named pipe would block
                continue
            try:
                with open(path, "rb") as file:
                    head = file.read(1024)
            except OSError:
                continue
            if re.search(rb"(?m)^kind:", head) and re.search(rb"(?m)^id:", head):
                found.append(path)
    return found


def not_a_folder(path: Path) -> str:
    """What `path`, which exists (perhaps as a link) but is no folder, is instead: "a file, not a folder"."""
    if os.path.islink(path):
        return "a symlink that leads nowhere" if not os.path.exists(path) else "a symlink to a file, not a folder"
    return "a file, not a folder"


def regular_file(path: Path) -> bool:
    """Whether `path` is a regular file, not followed if a symlink: the only thing it is safe to open
    without knowing what it is (a named pipe would block for ever)."""
    import stat

    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def _exclusion(patterns: tuple[str, ...]) -> re.Pattern | None:
    if not patterns:
        return None
    return re.compile("|".join(fnmatch.translate(composed(p)) for p in patterns))


def _excluded(exclude: re.Pattern | None, child: str, inner: int) -> bool:
    """Whether a glob matches `child` (workspace-relative) as .gitignore's users expect: by that
    path, by its path in its spec folder (from offset `inner`: `README.md`, `notes/*`), or by its name."""
    if exclude is None:
        return False
    # compared composed, as the globs are: `exclude: [café.md]` also leaves out a name stored decomposed
    return any(exclude.match(composed(path)) for path in (child, child[inner:], child.rpartition("/")[2]))


def _walk(folder: str, rel: str, exclude: re.Pattern | None, found: set[str], skip: frozenset[str],
          inner: int) -> None:
    """Add the documents under `folder` (`rel` in the workspace) to `found`; folders in `skip` are not
    entered. `inner` is where, in a workspace-relative path, the path inside its spec folder starts."""
    try:
        listing = os.scandir(folder)
    except OSError as error:
        raise GitspecError(f"cannot read the folder {here(rel)}: {error.strerror or error} (add it to 'exclude' "
                           "in gitspec.yaml to skip it)", exit_code=EXIT_USAGE) from None
    with listing as entries:
        for entry in entries:
            if entry.name.startswith("."):
                continue
            child = f"{rel}/{entry.name}" if rel not in ("", ".") else entry.name
            if _excluded(exclude, child, inner):
                continue
            if entry.is_dir(follow_symlinks=False):  # as git does: a linked folder may loop, or lead outside
                if child not in skip:
                    _walk(entry.path, child, exclude, found, skip, inner)
            elif entry.name.endswith(DOCUMENT_SUFFIXES) and _is_file(entry):  # no FIFOs, sockets
                found.add(child)


def _is_file(entry: os.DirEntry) -> bool:
    """Whether the entry is a file, or a link that cannot be followed (a loop), which reading then names."""
    try:
        return entry.is_file()
    except OSError:
        return True


def local_kinds(workspace: Workspace) -> dict:
    """Kinds the workspace adds: `<schemas>/<kind>.schema.json`, `<templates>/<kind>.yaml|.md`."""
    from gitspec.kinds import Kind

    folder = workspace.root / workspace.config.schemas
    templates = workspace.root / workspace.config.templates
    kinds = {}
    if folder.is_dir():
        for schema in sorted(folder.glob("*.schema.json")):
            name = schema.name[: -len(".schema.json")]
            md = templates / f"{name}.md"
            template, suffix = (md, ".md") if md.is_file() else (templates / f"{name}.yaml", ".yaml")
            kinds[name] = Kind(name, schema, template if template.is_file() else None, suffix)
    return kinds
