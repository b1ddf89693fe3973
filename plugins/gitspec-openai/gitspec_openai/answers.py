"""What the model is told and how its reply is judged: messages, parsing, schema checks.

Pure functions of their inputs: no HTTP, no clock, no randomness.
"""
from __future__ import annotations

import json
from typing import Any

SYSTEM_PROMPT = (
    "You are the writing engine of gitspec, a tool that keeps product specifications "
    "(product, brand, design, architecture, UI, launch and roadmap documents) as "
    "validated YAML in Git. A deterministic stage has drafted one section of a document; "
    "improve that draft as the instructions ask. State only what the inputs support: "
    "where a fact is unknown keep the draft's placeholder instead of inventing one. "
    'Reply with one JSON object and nothing else: {"value": <the section>}, where '
    "<the section> must be valid against the JSON Schema you are given."
)

# Enough for the model to fix its answer; more only lengthens the prompt.
MAX_REPORTED_ERRORS = 10


class InvalidAnswer(Exception):
    """The reply could not be used; `errors` are what the model is told to fix."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors


def build_messages(*, stage: str, section: str, draft: Any, prompt: str,
                   schema: dict | None) -> list[dict[str, str]]:
    """The conversation that asks for one section."""
    wanted = (f"JSON Schema for the value:\n{_dump(schema)}" if schema is not None else
              "No JSON Schema is given: the value must have the same JSON type as the draft.")
    user = (f"Stage: {stage}\nSection: {section}\n\nInstructions:\n{prompt}\n\n"
            f"Draft value (JSON):\n{_dump(draft)}\n\n{wanted}\n\n"
            'Answer with {"value": ...} only.')
    return [{"role": "system", "content": SYSTEM_PROMPT}, {"role": "user", "content": user}]


def feedback_messages(content: str | None, problem: InvalidAnswer) -> list[dict[str, str]]:
    """The turn that shows the model its bad reply and what was wrong with it."""
    listed = "\n".join(f"- {error}" for error in problem.errors)
    return [
        {"role": "assistant", "content": content or ""},
        {"role": "user", "content": f"That answer was rejected:\n{listed}\n\n"
                                    'Reply again with only {"value": ...}, fixing every problem listed.'},
    ]


def schema_for_draft(draft: Any) -> dict:
    """Without a schema, the answer must at least keep the draft's JSON type."""
    if draft is None:
        return {}  # no draft to compare with: any JSON value will do
    if isinstance(draft, bool):
        return {"type": "boolean"}
    if isinstance(draft, (int, float)):
        return {"type": "number"}
    if isinstance(draft, str):
        return {"type": "string"}
    if isinstance(draft, (list, tuple)):
        return {"type": "array"}
    return {"type": "object"}


def read_answer(content: str | None, schema: dict) -> Any:
    """Return the `value` from a reply, or raise `InvalidAnswer` saying what to fix."""
    if not content or not content.strip():
        raise InvalidAnswer(["the reply was empty"])
    try:
        reply = json.loads(_strip_fence(content), parse_constant=_not_json)
    except json.JSONDecodeError as exc:
        raise InvalidAnswer([f"the reply is not valid JSON: {exc}"]) from None
    if not isinstance(reply, dict) or "value" not in reply:
        raise InvalidAnswer([f'the reply must be a JSON object {{"value": ...}}, got {_clip(_dump(reply))}'])
    try:  # before the schema check: jsonschema-rs cannot take such text either
        json.dumps(reply["value"], ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as error:  # "\ud83d": half of a UTF-16 pair, as JSON may escape it
        raise InvalidAnswer([f"the reply holds a lone surrogate \\u{ord(error.object[error.start]):04x}, half of a "
                             "UTF-16 pair, which is no character: write the whole character"]) from None
    errors = schema_errors(reply["value"], schema)
    if errors:
        raise InvalidAnswer(errors)
    return reply["value"]


def schema_errors(value: Any, schema: dict) -> list[str]:
    """Validation errors for `value`, each prefixed with where it is (a JSON pointer)."""
    import jsonschema_rs  # heavy, and only needed once a model has answered

    validator = jsonschema_rs.validator_for(schema)
    errors = []
    for error in validator.iter_errors(value):
        pointer = "".join(f"/{part}" for part in error.instance_path) or "/"
        errors.append(f"at {pointer}: {_clip(error.message)}")
        if len(errors) == MAX_REPORTED_ERRORS:
            errors.append("(further errors not listed)")
            break
    return errors


def _not_json(constant: str) -> None:
    # Python's json reads NaN and Infinity, which JSON has not, and no spec can hold.
    raise InvalidAnswer([f"the reply is not valid JSON: {constant} is not a JSON number"])


def _strip_fence(content: str) -> str:
    # Some local models wrap JSON in a Markdown fence even in JSON mode.
    text = content.strip()
    if text.startswith("```") and text.endswith("```"):
        text = text[3:-3]
        text = text[text.index("\n") + 1:] if "\n" in text else text
    return text


def _dump(value: Any) -> str:
    # One line: indentation costs tokens and models read compact JSON as well.
    return json.dumps(value, ensure_ascii=False, default=str)


def _clip(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"
