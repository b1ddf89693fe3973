"""Built-in plugin: the shipped pipeline's stages and the offline `template` provider."""
from __future__ import annotations

import importlib

from gitspec.hookspecs import hookimpl

SHIPPED_STAGES = ("product", "brand", "design", "architecture", "ui", "launch", "evolution", "code", "assembly")


@hookimpl
def gitspec_stages():
    return [importlib.import_module(f"gitspec.stages.{name}").STAGE for name in SHIPPED_STAGES]


@hookimpl
def gitspec_providers():
    return {"template": _template}


def _template(options: dict):
    from gitspec.providers import TemplateProvider  # when a stage generates, not when stages are declared

    return TemplateProvider()
