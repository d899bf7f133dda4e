"""The `comparer` command line: parse arguments, call the library, map errors to exit codes."""

from __future__ import annotations

from collections.abc import Callable
from enum import IntEnum, StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from comparer import __version__, api
from comparer.errors import ComparerError
from comparer.options import MAX_INPUT_BYTES, CompareOptions, ReadOptions
from comparer.render import write_output

app = typer.Typer(
    help="Compare long human-rights reports across years and publishers.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class ExitCode(IntEnum):
    """Exit codes as diff(1) has them."""

    OK = 0
    DIFFERENCES = 1
    ERROR = 2


class SectionsFormat(StrEnum):
    """Output formats of `comparer sections`."""

    text = "text"
    json = "json"


class CompareFormat(StrEnum):
    """Output formats of `comparer compare`."""

    html = "html"
    json = "json"
    md = "md"


class FailOn(StrEnum):
    """What makes `comparer compare` exit with 1."""

    none = "none"
    changes = "changes"
    facts = "facts"


EncodingOpt = Annotated[
    str | None, typer.Option("--encoding", help="Text encoding of the inputs (default: detect).")
]
MaxBytesOpt = Annotated[
    int, typer.Option("--max-bytes", help="Refuse inputs larger than this many bytes.", min=1)
]
OutOpt = Annotated[Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")]


def _fail(err: ComparerError) -> typer.Exit:
    """Print `err` as one line on stderr and return the exit to raise."""
    typer.echo(f"Error: {err}", err=True)
    return typer.Exit(code=ExitCode.ERROR)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"comparer {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """Compare long human-rights reports across years and publishers."""


@app.command()
def sections(
    file: Annotated[Path, typer.Argument(help="A report: .txt, .md, .html or .pdf.")],
    fmt: Annotated[
        SectionsFormat, typer.Option("--format", "-f", help="Output format.")
    ] = SectionsFormat.text,
    output: OutOpt = None,
    encoding: EncodingOpt = None,
    max_bytes: MaxBytesOpt = MAX_INPUT_BYTES,
) -> None:
    """Show how a report was read: metadata, heading tree with word counts, removed boilerplate.

    Example: comparer sections reports/north-korea/hrw-2014.txt --format json
    """
    from comparer.render import json_report, text_report

    try:
        report = api.read_report(file, options=ReadOptions(encoding=encoding, max_bytes=max_bytes))
        if fmt is SectionsFormat.json:
            write_output(json_report.render_sections(report), output)
        else:
            write_output(text_report.render_sections(report), output)
    except ComparerError as err:
        raise _fail(err) from err


@app.command()
def compare(
    old: Annotated[Path, typer.Argument(help="The earlier report (or one publisher's).")],
    new: Annotated[Path, typer.Argument(help="The later report (or the other publisher's).")],
    fmt: Annotated[CompareFormat, typer.Option("--format", "-f", help="Output format.")] = CompareFormat.html,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Output file (default: report.html for HTML, stdout otherwise)."),
    ] = None,
    fail_on: Annotated[
        FailOn, typer.Option("--fail-on", help="Exit 1 when there are changes, or fact changes.")
    ] = FailOn.none,
    encoding: EncodingOpt = None,
    max_bytes: MaxBytesOpt = MAX_INPUT_BYTES,
) -> None:
    """Compare two reports: aligned topic sections, matched passages, word diffs and fact changes.

    Exit code 0 when nothing changed (or --fail-on is none), 1 when --fail-on finds what it asks
    about, 2 on bad input.

    Example: comparer compare reports/north-korea/hrw-2019.txt reports/north-korea/hrw-2020.txt -o report.html
    """
    from comparer.render import FORMATS

    options = CompareOptions(read=ReadOptions(encoding=encoding, max_bytes=max_bytes))
    try:
        comparison = api.compare_files(old, new, options=options)
        if output is None and fmt is CompareFormat.html:
            output = Path("report.html")
        write_output(FORMATS[fmt.value](comparison), output)
    except ComparerError as err:
        raise _fail(err) from err
    if output is not None and fmt is CompareFormat.html:
        typer.echo(f"Wrote {output}", err=True)
    if fail_on is FailOn.changes and api.has_changes(comparison):
        raise typer.Exit(code=ExitCode.DIFFERENCES)
    if fail_on is FailOn.facts and api.has_fact_changes(comparison):
        raise typer.Exit(code=ExitCode.DIFFERENCES)


class FactsFormat(StrEnum):
    """Output formats of `comparer facts`."""

    text = "text"
    json = "json"
    csv = "csv"
    html = "html"


class CheckFailOn(StrEnum):
    """What makes `comparer check` exit with 1."""

    conflicts = "conflicts"
    changes = "changes"


ReportsArg = Annotated[list[Path], typer.Argument(help="Report files, or folders of reports.")]


@app.command()
def facts(
    paths: ReportsArg,
    fmt: Annotated[FactsFormat, typer.Option("--format", "-f", help="Output format.")] = FactsFormat.text,
    output: OutOpt = None,
    encoding: EncodingOpt = None,
    max_bytes: MaxBytesOpt = MAX_INPUT_BYTES,
) -> None:
    """Link the facts of several reports into claims and say which agree, changed or conflict.

    Example: comparer facts reports/north-korea --format html -o facts.html
    """
    from comparer.render import claims_report, html_report

    try:
        reports, claims = api.link_facts(paths, options=ReadOptions(encoding=encoding, max_bytes=max_bytes))
        if fmt is FactsFormat.json:
            text = claims_report.render_json(reports, claims)
        elif fmt is FactsFormat.csv:
            text = claims_report.render_csv(reports, claims)
        elif fmt is FactsFormat.html:
            text = html_report.render_facts_html(reports, claims, version=__version__)
        else:
            text = claims_report.render_text(reports, claims)
        write_output(text, output)
    except ComparerError as err:
        raise _fail(err) from err


@app.command()
def check(
    paths: ReportsArg,
    fail_on: Annotated[
        CheckFailOn, typer.Option("--fail-on", help="Exit 1 on conflicts (same year), or on any change.")
    ] = CheckFailOn.conflicts,
    output: OutOpt = None,
    encoding: EncodingOpt = None,
    max_bytes: MaxBytesOpt = MAX_INPUT_BYTES,
) -> None:
    """For CI: exit 1 with a Markdown list when reports disagree, 0 when they agree.

    Example: comparer check reports/ --fail-on conflicts >> "$GITHUB_STEP_SUMMARY"
    """
    from comparer.render import claims_report

    try:
        _, claims = api.link_facts(paths, options=ReadOptions(encoding=encoding, max_bytes=max_bytes))
        write_output(claims_report.render_check(claims, fail_on=fail_on.value), output)
    except ComparerError as err:
        raise _fail(err) from err
    wanted = {"conflict"} if fail_on is CheckFailOn.conflicts else {"conflict", "changed"}
    if any(c.status in wanted for c in claims):
        raise typer.Exit(code=ExitCode.DIFFERENCES)


@app.command()
def track(
    root: Annotated[Path, typer.Argument(help="A folder of reports (with catalog.toml files).")],
    output: Annotated[Path, typer.Option("--output", "-o", help="The site folder to write.")] = Path("site"),
    jobs: Annotated[
        int | None, typer.Option("--jobs", "-j", min=1, help="Worker processes (default: all cores).")
    ] = None,
    cache: Annotated[
        Path | None,
        typer.Option("--cache", help="The cache file (default: SITE.cache.sqlite beside the site)."),
    ] = None,
    summary: Annotated[
        Path | None, typer.Option("--summary", help="Also write a Markdown job summary here (for CI).")
    ] = None,
) -> None:
    """Turn a collection of reports into a static site: heat map, comparisons, facts over time.

    Re-runs only do new work (a cache keyed by content, options and version).

    Example: comparer track reports -o site && open site/index.html
    """
    import sys

    from comparer import track as tracking

    if not root.is_dir():
        typer.echo(f"Error: {root}: not a folder of reports", err=True)
        raise typer.Exit(code=ExitCode.ERROR)
    try:
        with _progress(sys.stderr.isatty()) as progress:
            result = tracking.build_site(root, output, jobs=jobs, cache_path=cache, progress=progress)
        if summary is not None:
            write_output(tracking.summary_markdown(result), summary)
    except ComparerError as err:
        raise _fail(err) from err
    except KeyboardInterrupt as err:
        signal = "SIGTERM" if isinstance(err, tracking.Interrupted) else "interrupt"
        typer.echo(
            f"Error: {root}: stopped by {signal}; finished work is in the cache (run again to go on)",
            err=True,
        )
        raise typer.Exit(code=143 if signal == "SIGTERM" else 130) from None
    if result.cache_note:
        typer.echo(f"Warning: {result.cache_note}", err=True)
    for failure in result.failures:
        typer.echo(f"Error: {failure.message}", err=True)
    typer.echo(
        f"Wrote {result.pages} pages to {output}/ ({len(result.entries)} reports, {len(result.pairs)} comparisons; "
        f"cache {result.cache_hits} hits, {result.cache_misses} misses)",
        err=True,
    )
    if result.failures:
        raise typer.Exit(code=ExitCode.ERROR)


class _progress:
    """A rich progress bar on a terminal, plain progress lines otherwise (CI logs)."""

    def __init__(self, tty: bool) -> None:
        self.tty = tty
        self.bar: Any = None
        self.tasks: dict[str, Any] = {}
        self.last: dict[str, int] = {}

    def __enter__(self) -> Callable[[str, int, int], None]:
        if self.tty:
            from rich.progress import Progress

            self.bar = Progress(transient=True)
            self.bar.start()
        return self.update

    def update(self, what: str, done: int, total: int) -> None:
        if self.bar is not None:
            if what not in self.tasks:
                self.tasks[what] = self.bar.add_task(what, total=total)
            self.bar.update(self.tasks[what], completed=done, total=total)
            return
        # Plain lines: the start, every tenth, and the end of each stage.
        step = max(1, total // 10)
        if (done in (0, total) or done % step == 0) and self.last.get(what) != done:
            self.last[what] = done
            typer.echo(f"comparer: {what} {done}/{total}", err=True)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()
