"""The pipeline: stages ordered as a DAG from their declared inputs and outputs.

Pure: no files, no generation. A cycle, two stages writing one section or one
document as two kinds, an output named after a header key, or a name no address
can hold is a configuration error that names them.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from gitspec.addresses import DOC_ID, SECTION_ID
from gitspec.documents import HEADER_KEYS
from gitspec.errors import EXIT_USAGE, GitspecError
from gitspec.plugincalls import PluginError
from gitspec.stage import Stage

# gitspec.addresses.ADDRESS with the section as one group: one match, no Address object.
_SECTION = re.compile(rf"({DOC_ID}#{SECTION_ID})(?:/.*)?$")
_SECTION_LINES = re.compile(rf"^({DOC_ID}#{SECTION_ID})(?:/.*)?$", re.MULTILINE)


@lru_cache(maxsize=65536)  # planning asks for the same few thousand addresses again and again
def section_of(address: str) -> str:
    """`doc#section/pointer` -> `doc#section`."""
    match = _SECTION.match(address)
    if match is None:
        raise GitspecError(f"'{address}' is not an address (DOC-ID#SECTION[/pointer])", exit_code=EXIT_USAGE)
    return match[1]


def sections_of(addresses: tuple[str, ...]) -> list[str]:
    """`section_of` of each address, in one regex pass over them all (a stage may read thousands)."""
    joined = "\n".join(addresses)
    if joined.count("\n") == len(addresses) - 1:  # one line each: a bad address leaves its line unmatched
        found = _SECTION_LINES.findall(joined)
        if len(found) == len(addresses):
            return found
    return [section_of(address) for address in addresses]  # raises, naming the bad one


class Pipeline:
    def __init__(self, stages: list[Stage], plugin_of: Callable[[str], str] = lambda name: "") -> None:
        """`plugin_of(stage name)` is how errors about a stage's declaration name the plugin that declares
        it (`plugin gitspec-foo (entry point foo)`), "" for none."""
        self.stages = {}
        self.plugin_of = plugin_of
        self.producer: dict[str, Stage] = {}  # doc#section -> the stage that writes it
        kinds: dict[str, Stage] = {}  # document id -> the first stage that writes it, which names its kind
        for stage in stages:
            if stage.name in self.stages:
                raise GitspecError(f"two stages are named '{stage.name}'", exit_code=EXIT_USAGE)
            self.stages[stage.name] = stage
            self._refuse_unaddressable(stage)
            kinds.setdefault(stage.document, stage)
            if kinds[stage.document].kind != stage.kind:
                first = kinds[stage.document]
                raise self.blame(stage, f"writes the document '{stage.document}' as kind '{stage.kind}', "
                                        f"but stage '{first.name}'{self._other(first, stage)} writes it as "
                                        f"kind '{first.kind}'")
            inputs = set(stage.inputs)
            for output in stage.outputs:
                address = f"{stage.document}#{output.section}"
                if output.section in HEADER_KEYS:  # written as a section, it would replace the user's header
                    raise self.blame(stage, f"declares an output {address}, but '{output.section}' is a "
                                            f"header key, not a section ({', '.join(HEADER_KEYS)})")
                if address in self.producer:
                    other = self.producer[address]
                    raise self.blame(stage, f"writes {address}, which stage '{other.name}'{self._other(other, stage)} "
                                            "writes too")
                self.producer[address] = stage
                for dependency in output.depends_on:
                    if dependency not in inputs:
                        raise self.blame(stage, f"declares an output {address} depending on {dependency}, which is "
                                                "not one of its inputs")
        self.upstream = {name: self._upstream(stage) for name, stage in self.stages.items()}
        self.order = self._topological()

    def blame(self, stage: Stage, problem: str) -> PluginError:
        """The error, exit 2, of the plugin that declares `stage`: `plugin ...: stage 'name' <problem>`."""
        plugin = self.plugin_of(stage.name)
        return PluginError(f"{plugin + ': ' if plugin else ''}stage '{stage.name}' {problem}", stage.name)

    def _other(self, other: Stage, stage: Stage) -> str:
        """` (plugin gitspec-foo ...)`: the plugin of the `other` stage a clash is with, when not the blamed one's."""
        plugin = self.plugin_of(other.name)
        return f" ({plugin})" if plugin and plugin != self.plugin_of(stage.name) else ""

    def _refuse_unaddressable(self, stage: Stage) -> None:
        """Every input is an address, and every document and section a stage writes can be named in one
        (`gitspec pin`, `build --force`, other stages' inputs): else it would be written, and then neither
        pinned nor forced."""
        if not re.fullmatch(DOC_ID, stage.document):
            raise self.blame(stage, f"writes the document '{stage.document}', which no address can name: "
                                    "a document id is lower-case letters, digits and '-'")
        try:
            sections_of(stage.inputs)
        except GitspecError:
            address = next(address for address in stage.inputs if not _SECTION.match(address))
            raise self.blame(stage, f"declares an input '{address}', which is not an address "
                                    "(DOC-ID#SECTION[/pointer]; a section name is letters, digits, "
                                    "'_' and '-')") from None
        for output in stage.outputs:
            if not re.fullmatch(SECTION_ID, output.section):
                raise self.blame(stage, f"declares an output '{output.section}', which no address can "
                                        "name: a section name is letters, digits, '_' and '-'")

    def _upstream(self, stage: Stage) -> set[str]:
        found = set()
        for section in sections_of(stage.inputs):
            producer = self.producer.get(section)
            if producer is not None and producer.name != stage.name:
                found.add(producer.name)
        return found

    def _topological(self) -> list[list[Stage]]:
        """Stages in levels: each level depends only on earlier ones (Kahn's algorithm)."""
        remaining = {name: set(deps) for name, deps in self.upstream.items()}
        levels = []
        while remaining:
            ready = sorted(name for name, deps in remaining.items() if not deps)
            if not ready:
                raise self._cycle_error(self._cycle(remaining))
            levels.append([self.stages[name] for name in ready])
            for name in ready:
                del remaining[name]
            for deps in remaining.values():
                deps.difference_update(ready)
        return levels

    def _cycle_error(self, cycle: list[str]) -> PluginError:
        """`plugin ...: stage cycle: a → b → a` when one plugin declares every stage in it, else the plugin of
        each stage after the cycle: `(stage a of plugin ..., stage b of plugin ...)`."""
        shown = f"stage cycle: {' → '.join(cycle)}"
        plugins = {name: self.plugin_of(name) for name in cycle}
        if len(set(plugins.values())) == 1:
            plugin = plugins[cycle[0]]
            return PluginError(f"{plugin + ': ' if plugin else ''}{shown}", cycle[0])
        declared = ", ".join(f"stage {name} of {plugin or 'no plugin'}" for name, plugin in plugins.items())
        return PluginError(f"{shown} ({declared})", cycle[0])

    def _cycle(self, remaining: dict[str, set[str]]) -> list[str]:
        start = min(remaining)
        path, node = [start], start
        while True:
            node = min(remaining[node])
            if node in path:
                return [*path[path.index(node):], node]
            path.append(node)

    def with_upstream(self, names: set[str]) -> set[str]:
        """`names` and every stage they depend on, transitively."""
        todo, seen = list(names), set()
        while todo:
            name = todo.pop()
            if name not in seen:
                seen.add(name)
                todo.extend(self.upstream.get(name, ()))
        return seen

    def downstream(self, names: set[str]) -> set[str]:
        """Every stage that depends on `names`, transitively."""
        found, changed = set(names), True
        while changed:
            changed = False
            for name, deps in self.upstream.items():
                if name not in found and deps & found:
                    found.add(name)
                    changed = True
        return found - set(names)
