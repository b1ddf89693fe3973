"""A section's schema on its own: what stages hand a provider to validate its answer against."""
from __future__ import annotations

import json

import jsonschema_rs
import pytest

from gitspec.builtin.stages import gitspec_stages
from gitspec.sectionschema import section_schema

SECTIONS = [(stage.kind, output.section) for stage in gitspec_stages() for output in stage.outputs]


@pytest.mark.parametrize("kind, section", SECTIONS)
def test_every_shipped_section_has_a_schema_that_stands_alone(kind, section):
    schema = section_schema(kind, section)
    jsonschema_rs.meta.validate(schema)
    refs = [part.split('"')[0] for part in json.dumps(schema).split('"$ref": "')[1:]]
    assert all(ref.startswith("#/$defs/") for ref in refs)
    jsonschema_rs.validator_for(schema, offline=True)  # no registry, no network: nothing left to fetch


def test_the_keywords_beside_a_ref_still_apply():
    features = jsonschema_rs.validator_for(section_schema("product", "features"))
    feature = {"id": "FEAT-001", "name": "Invoices", "description": "See every invoice.", "priority": "must"}
    assert features.is_valid([feature])
    assert not features.is_valid([{**feature, "id": "PERS-001"}])  # an item id, but not a feature's
    assert not features.is_valid(["Invoices", "Payments"])


def test_a_part_of_a_section_one_tweet_of_the_list():
    tweet = jsonschema_rs.validator_for(section_schema("launch", "tweets", "items"))
    assert tweet.is_valid("Launching today.")
    assert not tweet.is_valid(["Launching today."]) and not tweet.is_valid("x" * 281)


def test_each_call_returns_its_own_copy():
    section_schema("product", "name")["type"] = "number"
    assert "type" not in section_schema("product", "name")
