"""`gitspec build [ADDRESS...]`: regenerate exactly what is stale, in dependency order."""
from __future__ import annotations


from gitspec.errors import EXIT_FINDINGS, EXIT_INTERNAL, GitspecError
from gitspec.findings import ERROR, count_of, write_text
from gitspec.herepaths import here
from gitspec.opening import open_workspace
from gitspec.printable import file_name, one_line
from gitspec.streams import messages, results

STAGES_SHARE = 50  # of a build's progress that renders: the stages count up to here, the render the rest


def run(addresses: list[str], only: list[str], force: list[str], dry_run: bool, jobs: int, json_events: bool,
        trace: str | None, lock_timeout: float, render: bool = True) -> int:
    from gitspec.events import EventSink

    sink = EventSink(json_events)
    try:
        return _build(addresses, only, force, dry_run, jobs, sink, trace, lock_timeout, render)
    except GitspecError:  # a config or usage problem, or a plugin's failure: cli.main tells it, as events too
        raise
    except KeyboardInterrupt as stop:  # Ctrl-C, SIGTERM: a reader of the events still sees them end
        if sink.json_lines:
            from gitspec.stopping import told

            word, code = told(stop)
            _emit_end(sink, code, word)
        raise
    except BrokenPipeError:  # the reader went away (`| head`): nothing to tell it, as cli.main knows
        raise
    except Exception:  # gitspec's own bug: told as `gitspec` tells it (exit 3), and as events
        if not sink.json_lines:
            raise
        from gitspec.crashlog import report_internal_error

        _emit_end(sink, EXIT_INTERNAL, report_internal_error())
        return EXIT_INTERNAL


def emit_error(sink, exc: GitspecError) -> None:
    """A build that could not start, or stopped short, as events: the `error` and the `complete`."""
    _emit_end(sink, exc.exit_code, exc.message, getattr(exc, "stage", ""), exc.path, exc.line, exc.col)


def _emit_end(sink, exit_code: int, message: str, stage: str = "", path: str | None = None, line: int | None = None,
              col: int | None = None) -> None:
    """The last two events of a build that stopped short: an `error` saying why, and the `complete`."""
    sink.emit({"event": "error", "stage": stage, "progress": 100, "file": path, "line": line, "col": col,
               "message": message})
    sink.emit({"event": "complete", "stage": "", "progress": 100, "exit_code": exit_code})


def _build(addresses: list[str], only: list[str], force: list[str], dry_run: bool, jobs: int, sink,
           trace: str | None, lock_timeout: float, render: bool) -> int:
    from gitspec.builder import Builder
    from gitspec.buildsession import make_provider, prepare
    from gitspec.commands.render import render_progress
    from gitspec.docwriter import DocumentWriter
    from gitspec.store import GenerationCache, ObjectStore, build_lock

    workspace, index = open_workspace()
    if trace is not None:
        from gitspec.tracefile import trace_target

        trace_path = trace_target(trace, workspace)  # before building: a bad path must cost nothing
    from gitspec.configinstalled import check_installed

    check_installed(workspace, index)  # the formats and provider gitspec.yaml names, before anything runs
    with build_lock(workspace.store, lock_timeout, writes=not dry_run):
        context = prepare(workspace, index)
        render = render and not dry_run and bool(workspace.config.formats)
        chosen = []
        if render:  # a mistyped format is a config error before any stage runs, not after all did
            from gitspec.render.session import check_formats

            chosen = check_formats(context)
        provider = make_provider(context)
        objects = ObjectStore(workspace.store)
        documents = DocumentWriter(workspace, lambda: context.engine().kinds)
        builder = Builder(context.documents, context.pipeline, provider,
                          GenerationCache(workspace.store, objects),
                          context.options,
                          _writer(documents, workspace), sink.share(0, STAGES_SHARE if render else 100),
                          context.unreadable,
                          lambda: _load_output_schemas(context), documents.suffix, _settle(workspace),
                          lambda: _defined_item_ids(context), lambda: context.engine().kinds)
        with sink:  # one progress bar for the stages and the render
            report = builder.run(set(force), set(only) or None, set(addresses) or None, dry_run, jobs)
            findings = _recheck(context) if report.generated else context.checked.findings
            progress = render_progress(sink, chosen, STAGES_SHARE)
            rendered = _render(context, chosen, index, findings, progress) if render else None
    if trace is not None:
        from gitspec.tracefile import write_trace

        write_trace(trace_path, report, rendered.spans if rendered else ())
    return _report(report, findings, sink, dry_run, provider, rendered, workspace.root)


def _load_output_schemas(context) -> None:
    """Every stage's output kind has a schema that loads: else a configuration error before any stage
    runs, not a build that writes documents and then cannot check them."""
    context.engine().load_schemas({stage.kind for stage in context.pipeline.stages.values()})


def _defined_item_ids(context) -> list[tuple[str, str]]:
    """The item ids the workspace's documents define (and its unreadable files write), for the stages
    that number items to leave out."""
    from gitspec.itemids import defined_item_ids

    read = {document.path for document in context.documents.values()}
    return defined_item_ids(context.workspace.root, context.index, context.checked.findings, read)


def _writer(documents, workspace):
    """Writes a stage's document; for the code stage, its stub files too, each judged before anything is
    written: a stub edited by hand stops the stage with its document as it was (its files still stale)."""
    from gitspec.codefiles import judge_stubs, write_stubs

    def write(stage, document, sections, stamps, unpinned):
        stubs = None
        if stage.kind == "code" and "files" in sections:
            previous = document.sections.get("files") if document is not None else None
            stubs = judge_stubs(workspace, sections["files"], previous)
            if stubs.edited:
                raise GitspecError(f"{here(stubs.edited[0])} was edited by hand; not overwritten, and "
                                   f"{stage.document}#files not regenerated (delete it or move your changes, "
                                   "then build again)", exit_code=EXIT_FINDINGS)
        written = documents(stage, document, sections, stamps, unpinned)
        if stubs is not None:
            write_stubs(stubs.writes)
        return written

    return write


def _settle(workspace):
    """For a code stage whose files section is up to date: writes each stub that is missing (deleted, or
    never written by a build that stopped) and warns of each that differs from it, which it keeps."""
    from gitspec.codefiles import judge_stubs, write_stubs
    from gitspec.planning import KEEP
    from gitspec.stamps import FRESH

    def settle(stage, document, planned) -> list[str]:
        fresh = any(p.section == "files" and p.state.state == FRESH and p.action == KEEP for p in planned)
        files = document.sections.get("files") if document is not None else None
        if stage.kind != "code" or not fresh or not isinstance(files, list):
            return []
        stubs = judge_stubs(workspace, files, files)  # as last written: one that differs is a hand edit
        write_stubs(stubs.writes)
        address = f"{stage.document}#files"
        return ([f"{here(stub.name)} was missing: written again from {address}" for stub in stubs.writes]
                + [f"{here(name)} differs from {address}: kept (delete it to have it written again)"
                   for name in stubs.edited])

    return settle


def _render(context, chosen, index, findings, emit):
    """Render from the documents as the build left them (re-read from the refreshed index)."""
    from dataclasses import replace

    from gitspec.checker import CheckResult
    from gitspec.opening import loaded_documents
    from gitspec.render.session import render_workspace

    fresh = replace(context, checked=CheckResult(findings, len(index.entries)), documents=loaded_documents(index))
    return render_workspace(fresh, chosen, emit=emit)


def _recheck(context):
    from gitspec.checker import check

    return check(context.workspace, context.index, engine=context.engine).findings


def _report(report, findings, sink, dry_run: bool, provider, rendered, root) -> int:
    errors = [f for f in findings if f.severity == ERROR and f.rule not in ("stale", "conflict")]  # build says these its own way
    code = EXIT_FINDINGS if report.conflicts or errors else 0
    summary = {"event": "complete", "stage": "", "progress": 100, "exit_code": code, "generated": report.generated,
               "documents": sorted(set(report.documents_written)), "conflicts": report.conflicts,
               "warnings": report.warnings, "cache_hits": report.cache_hits,
               "provider_calls": report.provider_calls, "would_change": report.would_change,
               "tokens": provider.usage.prompt_tokens + provider.usage.completion_tokens,
               "rendered": rendered.rendered if rendered else [],
               "render_warnings": rendered.warnings if rendered else []}
    if sink.json_lines:
        for finding in errors:  # why the build exits 1, as the text output lists them
            sink.emit({"event": "error", "stage": "", "progress": 100, "file": file_name(finding.path),
                       "line": finding.line, "col": finding.col, "message": finding.message, "rule": finding.rule})
        sink.emit(summary)
    else:
        out, told = results(), messages()  # what was regenerated; what else there is to say
        if dry_run:
            out.write("".join(f"would regenerate {a}\n" for a in report.would_change) or "nothing to regenerate\n")
        for address in report.generated:
            out.write(f"regenerated {address}\n")
        for message in report.warnings:
            told.write(f"warning: {one_line(message)}\n")
        for message in report.skipped:
            told.write(f"skipped: {one_line(message)}\n")
        for message in report.conflicts:
            told.write(f"conflict: {one_line(message)}\n")
        write_text(errors, told, root)  # named from the current folder
        if rendered is not None:
            from gitspec.commands.render import write_report

            write_report(rendered)
        told.write(f"gitspec: {count_of(len(report.generated), 'section')} regenerated "
                         f"({report.cache_hits} from cache, {report.provider_calls} generated), "
                         f"{count_of(len(report.conflicts), 'conflict')}\n")
    return code
