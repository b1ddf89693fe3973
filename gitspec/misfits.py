"""Whether each stage's output document can be written as it declares it: of a kind a plugin (or a schema
in the workspace) declares, the kind the document already has, and in Markdown only sections a heading
can name. Pure: asked by `build` before any stage writes and by `status`, which says what a build would do."""
from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping
from typing import Any

from gitspec.herepaths import here
from gitspec.pipeline import Pipeline


def refuse_misfits(pipeline: Pipeline, documents: Mapping[str, Any], known: Collection[str] | None,
                   suffix: Callable[[str], str]) -> None:
    """Each stage writes a document of a `known` kind (None: not checked), the one it declares, and a
    Markdown one only sections it can name: else a configuration error naming the stage and its plugin.
    `documents` are the loaded documents by id; `suffix(kind)` that of a new document of `kind`."""
    from gitspec.markdown import slug

    for stage in pipeline.stages.values():
        document = documents.get(stage.document)
        if document is not None and document.kind != stage.kind:
            raise pipeline.blame(stage, f"writes the document '{stage.document}' as kind "
                                        f"'{stage.kind}', but {here(document.path)} is of kind "
                                        f"'{document.kind}'; nothing was written")
        if known is not None and stage.kind not in known:  # it would write a document check cannot read
            raise pipeline.blame(stage, f"writes the document '{stage.document}' as kind '{stage.kind}', "
                                        f"which no plugin declares ({_kind_hint(stage.kind, known)}); "
                                        "nothing was written")
        if not (document.path if document is not None else suffix(stage.kind)).endswith(".md"):
            continue
        held = getattr(document, "front", ())  # sections its front matter holds, written there as YAML keys
        for output in stage.outputs:  # a Markdown section's name is its `##` heading's slug: only a slug reads back
            if slug(output.section) != output.section and output.section not in held:
                like = slug(re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "-", output.section))  # riskSummary: risk-summary
                raise pipeline.blame(stage, f"declares an output '{output.section}' of the Markdown "
                                            f"document '{stage.document}', where a section is named "
                                            "by its heading: lower-case letters, digits and single "
                                            "'-'" + (f" (as '{like}')" if like else ""))


def _kind_hint(kind: str, known: Collection[str]) -> str:
    """`did you mean 'risk'?`, or the known kinds when none is close."""
    from gitspec.suggestions import closest

    close = closest(kind, sorted(known))
    return f"did you mean '{close}'?" if close else f"known kinds: {', '.join(sorted(known))}"
