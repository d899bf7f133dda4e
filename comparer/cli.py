"""The `comparer` command line: parse arguments, call the library, map errors to exit codes."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import IntEnum, StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from comparer import __version__
from comparer.errors import ComparerError
from comparer.options import MAX_INPUT_BYTES, CompareOptions, ReadOptions
from comparer.render import write_output as _write_file
from comparer.render.text_report import terminal_safe

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
    text = "text"


class ColorMode(StrEnum):
    """When `compare -f text` colours its word diff."""

    auto = "auto"
    always = "always"
    never = "never"


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
OutOpt = Annotated[
    Path | None, typer.Option("--output", "-o", help="Write here instead of stdout (- is stdout).")
]
STDIN_HELP = " - reads standard input."


def write_output(text: str, output: Path | None) -> None:
    """Write `text` to `output` (None or "-": stdout); on a terminal, control characters are escaped."""
    import sys

    if (output is None or str(output) == "-") and sys.stdout.isatty():
        text = terminal_safe(text)
    _write_file(text, output)


def _tagged(command: str, text: str) -> str:
    """A plain-text output with its generator line first, so comparer never reads it back as a report."""
    from comparer.render.text_report import generator_line

    return generator_line(command) + "\n" + text


def _fail(err: ComparerError) -> typer.Exit:
    """Print `err` as one line on stderr and return the exit to raise."""
    message = terminal_safe(str(err)).replace("\n", " ")
    typer.echo(f"Error: {message}", err=True)
    return typer.Exit(code=ExitCode.ERROR)


@contextmanager
def _warnings_as_lines() -> Iterator[None]:
    """Show the library's warnings as one `Warning:` line each on stderr."""
    from comparer.discover import ComparerWarning

    def show(message: Warning | str, category: type[Warning], *args: object, **kwargs: object) -> None:
        typer.echo(f"Warning: {terminal_safe(str(message))}", err=True)

    with warnings.catch_warnings():
        warnings.simplefilter("always", ComparerWarning)
        warnings.showwarning = show
        yield


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
    file: Annotated[Path, typer.Argument(help="A report: .txt, .md, .html or .pdf;" + STDIN_HELP)],
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
    from comparer import api
    from comparer.render import json_report, text_report

    try:
        report = api.read_report(file, options=ReadOptions(encoding=encoding, max_bytes=max_bytes))
        if fmt is SectionsFormat.json:
            write_output(json_report.render_sections(report), output)
        else:
            text = text_report.render_sections(report)
            write_output(_tagged("sections", terminal_safe(text)), output)
    except ComparerError as err:
        raise _fail(err) from err


@app.command()
def compare(
    old: Annotated[Path, typer.Argument(help="The earlier report (or one publisher's);" + STDIN_HELP)],
    new: Annotated[Path, typer.Argument(help="The later report (or the other publisher's);" + STDIN_HELP)],
    fmt: Annotated[CompareFormat, typer.Option("--format", "-f", help="Output format.")] = CompareFormat.html,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Output file (default: report.html for HTML, stdout otherwise; - is stdout).",
        ),
    ] = None,
    fail_on: Annotated[
        FailOn, typer.Option("--fail-on", help="Exit 1 when there are changes, or fact changes.")
    ] = FailOn.none,
    encoding: EncodingOpt = None,
    max_bytes: MaxBytesOpt = MAX_INPUT_BYTES,
    review: Annotated[
        Path | None,
        typer.Option("--review", help="A review file the HTML page exported: its marks carry over."),
    ] = None,
    color: Annotated[
        ColorMode, typer.Option("--color", help="Colour the text word diff (auto: on a terminal).")
    ] = ColorMode.auto,
    stat: Annotated[bool, typer.Option("--stat", help="One line per changed section, then totals.")] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No output: exit 1 when the reports differ, 0 when not.")
    ] = False,
) -> None:
    """Compare two reports: aligned topic sections, matched passages, word diffs and fact changes.

    Exit code 0 when nothing changed (or --fail-on is none), 1 when --fail-on finds what it asks
    about (or, with -q, when anything differs), 2 on bad input.

    Example: comparer compare reports/north-korea/hrw-2019.txt reports/north-korea/hrw-2020.txt -o report.html
    """
    from comparer import api

    options = CompareOptions(read=ReadOptions(encoding=encoding, max_bytes=max_bytes))
    try:
        comparison = api.compare_files(old, new, options=options)
        if quiet:
            raise typer.Exit(code=ExitCode.DIFFERENCES if api.has_changes(comparison) else ExitCode.OK)
        if output is None and fmt is CompareFormat.html and not stat:
            output = Path("report.html")
        text = _compare_output(comparison, fmt, review, stat, _colored(color, output))
        if stat:
            text = _tagged("compare --stat", text)
        elif fmt is CompareFormat.text:
            text = _tagged("compare", text)
        write_output(terminal_safe(text) if fmt is CompareFormat.md and not stat else text, output)
    except ComparerError as err:
        raise _fail(err) from err
    if output is not None and str(output) != "-" and fmt is CompareFormat.html and not stat:
        typer.echo(f"Wrote {output}", err=True)
    if fail_on is FailOn.changes and api.has_changes(comparison):
        raise typer.Exit(code=ExitCode.DIFFERENCES)
    if fail_on is FailOn.facts and api.has_fact_changes(comparison):
        raise typer.Exit(code=ExitCode.DIFFERENCES)


def _colored(mode: ColorMode, output: Path | None) -> bool:
    """Whether to colour: always, never, or (auto) when writing to a terminal and NO_COLOR is unset."""
    import os
    import sys

    if mode is not ColorMode.auto:
        return mode is ColorMode.always
    to_stdout = output is None or str(output) == "-"
    return to_stdout and sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def _compare_output(comparison: Any, fmt: CompareFormat, review: Path | None, stat: bool, color: bool) -> str:
    """The text `compare` writes, in the format asked for."""
    from comparer.render import FORMATS, text_report

    if stat:
        return text_report.render_stat(comparison)
    if fmt is CompareFormat.text:
        return text_report.render_compare(comparison, color=color)
    if fmt is CompareFormat.html and review is not None:
        from comparer.render import html_report
        from comparer.review import load_review

        return html_report.render_html(comparison, review=load_review(review))
    return FORMATS[fmt.value](comparison)


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


SchedulerOpt = Annotated[
    str | None,
    typer.Option(
        "--scheduler",
        help="Run the jobs on Dask: a scheduler's address (tcp://HOST:8786), or local for a LocalCluster of -j workers (needs comparer[dask]).",
    ),
]
ReportsArg = Annotated[list[Path], typer.Argument(help="Report files, or folders of reports;" + STDIN_HELP)]


JobsOpt = Annotated[
    int | None, typer.Option("--jobs", "-j", min=1, help="Worker processes (default: all cores).")
]
FactsCacheOpt = Annotated[
    Path | None,
    typer.Option("--cache", help="Keep what was read and linked in this file, so a re-run only does new work."),
]


@app.command()
def facts(
    paths: ReportsArg,
    fmt: Annotated[FactsFormat, typer.Option("--format", "-f", help="Output format.")] = FactsFormat.text,
    output: OutOpt = None,
    encoding: EncodingOpt = None,
    max_bytes: MaxBytesOpt = MAX_INPUT_BYTES,
    jobs: JobsOpt = None,
    cache: FactsCacheOpt = None,
    scheduler: SchedulerOpt = None,
) -> None:
    """Link the facts of several reports into claims and say which agree, changed or conflict.

    Example: comparer facts reports/north-korea --format html -o facts.html
    """
    from comparer.render import claims_report, html_report

    try:
        options = ReadOptions(encoding=encoding, max_bytes=max_bytes)
        reports, claims, words = _link_facts(paths, options, jobs, cache, scheduler)
        if fmt is FactsFormat.json:
            text = claims_report.render_json(reports, claims, words=words)
        elif fmt is FactsFormat.csv:
            text = claims_report.render_csv(reports, claims)
        elif fmt is FactsFormat.html:
            text = html_report.render_facts_html(reports, claims, version=__version__, words=words)
        else:
            text = _tagged("facts", terminal_safe(claims_report.render_text(reports, claims)))
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
    jobs: JobsOpt = None,
    cache: FactsCacheOpt = None,
    scheduler: SchedulerOpt = None,
) -> None:
    """For CI: exit 1 with a Markdown list when reports disagree, 0 when they agree.

    Example: comparer check reports/ --fail-on conflicts >> "$GITHUB_STEP_SUMMARY"
    """
    from comparer.render import claims_report
    from comparer.render.markdown_report import GENERATOR_TAG

    try:
        options = ReadOptions(encoding=encoding, max_bytes=max_bytes)
        _, claims, _ = _link_facts(paths, options, jobs, cache, scheduler)
        text = claims_report.render_check(claims, fail_on=fail_on.value)
        write_output(GENERATOR_TAG + "\n" + terminal_safe(text), output)
    except ComparerError as err:
        raise _fail(err) from err
    wanted = {"conflict"} if fail_on is CheckFailOn.conflicts else {"conflict", "changed"}
    if any(c.status in wanted for c in claims):
        raise typer.Exit(code=ExitCode.DIFFERENCES)


def _link_facts(
    paths: list[Path], options: ReadOptions, jobs: int | None, cache: Path | None, scheduler: str | None
) -> tuple[list[Any], list[Any], dict[str, int]]:
    """`facts` and `check`: read and link on the parallel, cached path, with progress on a terminal."""
    import sys

    from comparer import batch

    with _progress(sys.stderr.isatty(), quiet=True) as progress, _warnings_as_lines():
        return batch.link_facts(
            paths, options=options, jobs=jobs, cache_path=cache, scheduler=scheduler, progress=progress
        )


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
        Path | None,
        typer.Option("--summary", help="Also write a Markdown job summary here (for CI; - is stdout)."),
    ] = None,
    review: Annotated[
        Path | None,
        typer.Option(
            "--review", help="A review file a page exported: its marks carry into every comparison."
        ),
    ] = None,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Write into a non-empty folder comparer did not write (files of the same names are replaced; others kept).",
        ),
    ] = False,
    scheduler: SchedulerOpt = None,
) -> None:
    """Turn a collection of reports into a static site: heat map, comparisons, facts over time.

    Re-runs only do new work (a cache keyed by content, options and version). The site folder
    must be new, empty, or one comparer wrote (it leaves a .comparer-site file listing its
    pages); files you add to it (CNAME, .nojekyll) are kept.

    Example: comparer track reports -o site && open site/index.html
    """
    import sys

    from comparer import track as tracking

    if not root.is_dir():
        raise _fail(ComparerError(f"{root}: not a folder of reports"))
    if str(output) == "-":
        raise _fail(ComparerError("-: the site is a folder of pages; it cannot go to standard output"))
    from comparer.review import load_review

    try:
        marks = load_review(review) if review is not None else None
        with _progress(sys.stderr.isatty()) as progress, _warnings_as_lines(), _terminate_as_interrupt():
            result = tracking.build_site(
                root,
                output,
                jobs=jobs,
                cache_path=cache,
                progress=progress,
                force=force,
                review=marks,
                scheduler=scheduler,
            )
        if summary is not None:
            write_output(terminal_safe(tracking.summary_markdown(result)), summary)
    except ComparerError as err:
        raise _fail(err) from err
    except KeyboardInterrupt as err:
        signal = "SIGTERM" if isinstance(err, tracking.Interrupted) else "interrupt"
        typer.echo(
            f"Error: {terminal_safe(str(root))}: stopped by {signal}; finished work is in the cache "
            "(run again to go on)",
            err=True,
        )
        raise typer.Exit(code=143 if signal == "SIGTERM" else 130) from None
    if result.cache_note:
        typer.echo(f"Warning: {terminal_safe(result.cache_note)}", err=True)
    for failure in result.failures:
        typer.echo(f"Error: {terminal_safe(failure.message)}", err=True)
    typer.echo(
        f"Wrote {result.pages_written} of {result.pages} pages to {output}/ ({len(result.entries)} reports, "
        f"{len(result.pairs)} comparisons; {result.pages - result.pages_written} pages unchanged; "
        f"cache {result.cache_hits} hits, {result.cache_misses} misses)",
        err=True,
    )
    if result.failures:
        raise typer.Exit(code=ExitCode.ERROR)


@contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM unwinds like Ctrl-C, so temporary folders are removed and workers stopped."""
    import signal

    def stop(signum: int, frame: object) -> None:
        from comparer.track import Interrupted

        raise Interrupted  # a KeyboardInterrupt that says it came from SIGTERM

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


class _progress:
    """A rich progress bar on a terminal, plain progress lines otherwise (CI logs)."""

    def __init__(self, tty: bool, *, quiet: bool = False) -> None:
        self.tty = tty
        self.quiet = quiet  # no plain lines: progress only on a terminal
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
        if self.quiet:
            return
        # Plain lines: the start, every tenth, and the end of each stage.
        step = max(1, total // 10)
        if (done in (0, total) or done % step == 0) and self.last.get(what) != done:
            self.last[what] = done
            typer.echo(f"comparer: {what} {done}/{total}", err=True)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()
