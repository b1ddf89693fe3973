"""Every hook gitspec calls, grouped by phase, each documented.

This is the one place hooks are declared. Built-in kinds and checks implement
these hooks exactly as third-party plugins do. pluggy calls implementations
with keyword arguments, so an implementation may accept any subset of the
arguments named here.
"""
from __future__ import annotations

import pluggy

hookspec = pluggy.HookspecMarker("gitspec")
hookimpl = pluggy.HookimplMarker("gitspec")


# --- Discovery: what kinds of document exist --------------------------------


@hookspec
def gitspec_kinds():
    """Declare the document kinds this plugin provides.

    Called once per run, before any document is read.
    Return a list of `gitspec.kinds.Kind` (name, JSON Schema file, optional
    `gitspec new` template and file suffix). A kind declared twice is a
    configuration error naming both plugins.
    """


@hookspec
def gitspec_document_symbols(document):
    """Say which ids a document defines and which ids or addresses it references.

    Called once for each document that parsed and matched its schema, when the
    file is new or changed (results are cached in the parse index).
    `document` is a `gitspec.documents.Document`. Return a list of
    `gitspec.symbols.Definition` and `gitspec.symbols.Reference`, or None when
    the document's kind is not yours. gitspec resolves references across the
    workspace and reports unknown ids and cycles.
    """


# --- Checks: findings about documents and the workspace ---------------------


@hookspec
def gitspec_check_document(document, config):
    """Check one document on its own and return findings.

    Called for each document that parsed and matched its schema, when the file
    is new or changed (results are cached). `document` is a
    `gitspec.documents.Document`; `config` is the workspace's
    `gitspec.config.Config` (plugin options are in `config.plugins`).
    Return a list of `gitspec.findings.Finding`, or None.
    """


@hookspec
def gitspec_check_workspace(workspace, config):
    """Check the workspace as a whole and return findings.

    Called once per run in which any document or gitspec.yaml changed, after every
    document's symbols are known. `workspace` is a `gitspec.symbols.SymbolTable`: its
    `definitions`, `references` and `documents` (id -> `DocumentInfo`), and
    `values(doc_id)` for a document's parsed sections; `config` is the workspace's
    `gitspec.config.Config` (plugin options are in `config.plugins`).
    Return a list of `gitspec.findings.Finding`, or None.
    """


# --- Stages: the regenerating pipeline ----------------------------------------


@hookspec
def gitspec_stages():
    """Declare the stages this plugin provides.

    Called at most once per `build`, `status` or `render` (a render shows
    which sections are stale), before the pipeline is planned, and not at all
    while the declarations cached in `.gitspec/plan` hold: they do until an
    installed plugin or a module changes, so declare from code alone (not from
    data files or the environment).
    Return a list of `gitspec.stage.Stage` (name, version, output document,
    input addresses, outputs with their dependencies, and a pure `generate`).
    Stages form a DAG from these declarations; a cycle, two stages writing
    the same section, or two plugins declaring one stage name, is a
    configuration error naming them.
    """


@hookspec
def gitspec_providers():
    """Offer providers that stages use to write prose.

    Called together with `gitspec_stages` (the provider names are cached
    with the stage declarations in `.gitspec/plan`), so at most once per
    `build`, `status` or `render`; a factory is called only when a build
    generates (`provider:` in gitspec.yaml, default `template`). Return a mapping of
    provider name to a factory `factory(options: dict) -> provider`, where
    options are `plugins.<name>` from gitspec.yaml; a provider has `name`,
    `model`, `usage` and `fill(stage=, section=, draft=, prompt=, schema=)`.
    `schema` is the JSON Schema (draft 2020-12) the returned value must match,
    standing alone (each `$ref` points inside it); gitspec's stages pass their
    section's, from their kind's schema. It may be None: then the value must
    keep the draft's JSON type. A provider that cannot answer validly raises
    `GitspecError` (exit 1), so that nothing invalid is written.
    """


# --- Rendering: the spec set as HTML, PDF, Word -----------------------------


@hookspec
def gitspec_renderers():
    """Offer output formats.

    Called once per `render` (and per `build` that renders), before any
    stage runs or anything is rendered. Return a list of renderers (`gitspec.render.renderer.Renderer`):
    each has a `name` (the format, e.g. `html`, and its folder under the output
    folder), a `version`, `page_files(site, page, assets)` and
    `site_files(site, assets)`, which turn the format-neutral tree of
    `gitspec.render.model` into files. Two renderers with one name is a
    configuration error naming both plugins, when that format is asked for.
    """
