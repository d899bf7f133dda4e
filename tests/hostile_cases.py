"""The hostile-input corpus and a bounded runner: each input through `sections`, `compare`, `facts`.

Inputs are the committed files of `tests/data/hostile/`, the larger ones `make_hostile.py` writes
at run time, and special files (FIFO, device, unreadable file, folder without search permission,
symlink loop). Each input runs in its own process with a timeout, so a hang is a finding, not a
stuck suite. `python -m tests.hostile_cases` prints the tally per class (for the issue note).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tomllib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = ROOT / "tests" / "data" / "hostile"
GOOD = ROOT / "reports" / "north-korea" / "hrw-2014.txt"
COMMANDS = ("sections", "compare", "facts")
TIMEOUT = 120  # seconds per input for all three commands; a bound on hangs, not a speed target
# Characters that must never reach an output: C0/C1 controls (but tab, newline, form feed), DEL,
# noncharacters, and the escape that starts terminal sequences.
INVALID = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff]")


@dataclass(frozen=True)
class Case:
    """One hostile input and what comparer must do with it."""

    name: str
    path: Path
    expect: str  # "ok", "error" or "either"
    contains: tuple[str, ...] = ()


def manifest() -> dict[str, dict[str, object]]:
    """The expectations of `tests/data/hostile/manifest.toml`."""
    return tomllib.loads((HOSTILE / "manifest.toml").read_text(encoding="utf-8"))


def materialise(folder: Path) -> list[Case]:
    """Every hostile input as a file (or special file) below `folder`, with its expectation."""
    sys.path.insert(0, str(HOSTILE))
    try:
        import make_hostile
    finally:
        sys.path.remove(str(HOSTILE))
    wanted = manifest()
    cases = []
    big = {k: v for k, v in make_hostile.generated().items() if len(v) > make_hostile.COMMIT_LIMIT}
    for name, spec in sorted(wanted.items()):
        path = HOSTILE / name
        if name in big:
            path = folder / name
            path.write_bytes(big[name])
        contains = tuple(str(c) for c in spec.get("contains", []))  # type: ignore[attr-defined]
        cases.append(Case(name, path, str(spec["expect"]), contains))
    return cases + _special(folder)


def _special(folder: Path) -> list[Case]:
    """Inputs that cannot be committed: they are made here."""
    out = []
    fifo = folder / "fifo.txt"
    os.mkfifo(fifo)
    out.append(Case("special-fifo", fifo, "error"))
    out.append(Case("special-dev-zero", Path("/dev/zero"), "error"))
    out.append(Case("special-dev-null", Path("/dev/null"), "error"))
    out.append(Case("special-directory", folder, "error"))
    out.append(Case("special-missing", folder / "missing.txt", "error"))
    loop = folder / "loop.txt"
    loop.symlink_to(loop)
    out.append(Case("special-symlink-loop", loop, "error"))
    dangling = folder / "dangling.txt"
    dangling.symlink_to(folder / "nowhere.txt")
    out.append(Case("special-dangling-symlink", dangling, "error"))
    locked = folder / "mode000.txt"
    locked.write_bytes(GOOD.read_bytes())
    locked.chmod(0)
    # root reads a mode-000 file; anyone else must get one Error line
    out.append(Case("special-mode-000", locked, "either" if os.geteuid() == 0 else "error"))
    closed = folder / "closed"
    closed.mkdir()
    (closed / "r.txt").write_bytes(GOOD.read_bytes())
    closed.chmod(0o600)  # no search (x) permission
    out.append(Case("special-no-search-folder", closed / "r.txt", "either" if os.geteuid() == 0 else "error"))
    return out


DRIVER = r"""
import json, os, sys
from typer.testing import CliRunner
from comparer.cli import app
good = sys.argv[1]
for line in sys.stdin:
    name, path, out = json.loads(line)
    runs = {
        "sections": ["sections", path, "-f", "json"],
        "compare": ["compare", path, good, "-f", "html", "-o", out + "/compare.html"],
        "facts": ["facts", path, "-f", "html", "-o", out + "/facts.html"],
    }
    os.makedirs(out, exist_ok=True)
    for command, args in runs.items():
        r = CliRunner().invoke(app, args)
        files = {}
        for file in ("compare.html", "facts.html"):
            try:
                with open(out + "/" + file, encoding="utf-8") as handle:
                    files[file] = handle.read()
                os.remove(out + "/" + file)
            except OSError:
                pass
        crash = None
        if r.exception is not None and not isinstance(r.exception, SystemExit):
            crash = type(r.exception).__name__ + ": " + str(r.exception)[:200]
        print(json.dumps({"case": name, "command": command, "code": r.exit_code, "stdout": r.stdout,
                          "stderr": r.stderr, "crash": crash, "files": files}), flush=True)
"""


@dataclass(frozen=True)
class Outcome:
    """What one command did with one input, and whether that is acceptable."""

    case: str
    command: str
    verdict: str  # "ok", "error", "crash", "hang", "bad" (wrong exit/message/output)
    detail: str = ""


def run_cases(cases: list[Case], out: Path) -> list[Outcome]:
    """Run the three commands on every case in child processes; `TIMEOUT` bounds each command.

    One child runs case after case (imports are paid once); when a command does not answer in
    time the child is killed, the rest of that case counts as hung, and a new child goes on.
    """
    outcomes: list[Outcome] = []
    todo = list(cases)
    while todo:
        outcomes += _run_batch(todo, out)
        done = {o.case for o in outcomes}
        todo = [c for c in todo if c.name not in done]
    return outcomes


def _run_batch(cases: list[Case], out: Path) -> list[Outcome]:
    import selectors
    import time

    by_name = {c.name: c for c in cases}
    proc = subprocess.Popen(
        [sys.executable, "-c", DRIVER, str(GOOD)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=out,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert proc.stdin is not None and proc.stdout is not None
    for k, c in enumerate(cases):
        proc.stdin.write(json.dumps([c.name, str(c.path), str(out / f"o{k}")]) + "\n")
    proc.stdin.close()
    outcomes: list[Outcome] = []
    seen: dict[str, set[str]] = {}
    selector = selectors.DefaultSelector()
    selector.register(proc.stdout, selectors.EVENT_READ)
    deadline = time.monotonic() + TIMEOUT
    while True:
        if not selector.select(timeout=max(0.0, deadline - time.monotonic())):
            proc.kill()
            proc.wait()
            return outcomes + _unfinished(cases, seen, "hang", "timeout")
        line = proc.stdout.readline()
        if not line:
            break
        r = json.loads(line)
        seen.setdefault(r["case"], set()).add(r["command"])
        outcomes.append(_judge(by_name[r["case"]], r))
        deadline = time.monotonic() + TIMEOUT
    stray = proc.stderr.read() if proc.stderr else ""
    proc.wait()
    if proc.returncode != 0:
        return outcomes + _unfinished(cases, seen, "crash", f"child exit {proc.returncode}: {stray[-300:]}")
    return outcomes


def _unfinished(cases: list[Case], seen: dict[str, set[str]], verdict: str, detail: str) -> list[Outcome]:
    """The commands of the case that was running when the child stopped."""
    started = [c for c in cases if c.name in seen and len(seen[c.name]) < len(COMMANDS)]
    current = started[0] if started else next((c for c in cases if c.name not in seen), None)
    if current is None:
        return []
    return [
        Outcome(current.name, cmd, verdict, detail)
        for cmd in COMMANDS
        if cmd not in seen.get(current.name, set())
    ]


def _judge(case: Case, r: dict[str, object]) -> Outcome:
    command, code, stderr = str(r["command"]), r["code"], str(r["stderr"])
    stdout = str(r["stdout"])
    if r["crash"] or "Traceback" in stderr:
        return Outcome(case.name, command, "crash", str(r["crash"] or stderr[-300:]))
    lines = stderr.strip().splitlines()
    if code == 2:
        if len(lines) != 1 or not lines[0].startswith("Error: ") or stdout.strip():
            return Outcome(case.name, command, "bad", f"exit 2 with stderr {stderr[:300]!r}")
        if case.expect == "ok":
            return Outcome(case.name, command, "bad", f"refused a readable input: {lines[0]}")
        return Outcome(case.name, command, "error", lines[0])
    if code != 0:
        return Outcome(case.name, command, "bad", f"exit {code}: {stderr[:300]!r}")
    if case.expect == "error":
        return Outcome(case.name, command, "bad", "accepted an input that is not a report")
    texts = [stdout, *dict(r["files"]).values()]  # type: ignore[call-overload]
    for text in texts:
        found = INVALID.search(text)
        if found:
            return Outcome(case.name, command, "bad", f"invalid character {found.group()!r} in output")
    if command == "sections":
        data = json.loads(stdout)
        body = "\n".join(f"{s['heading']}\n{s['text']}" for s in data["sections"])
        missing = [c for c in case.contains if c not in body]
        if missing:
            return Outcome(case.name, command, "bad", f"output lacks {missing}")
    return Outcome(case.name, command, "ok")


def tally(outcomes: list[Outcome]) -> dict[str, Counter[str]]:
    """Verdicts per class of input (the file name's first word)."""
    by_class: dict[str, Counter[str]] = {}
    for o in outcomes:
        by_class.setdefault(o.case.split("-")[0], Counter())[o.verdict] += 1
    return by_class


def main() -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        cases = materialise(folder)
        outcomes = run_cases(cases, folder)
        inputs = Counter(c.name.split("-")[0] for c in cases)
        for cls, counts in sorted(tally(outcomes).items()):
            print(
                f"{cls:10} inputs {inputs[cls]:3}  "
                + "  ".join(f"{v} {n}" for v, n in sorted(counts.items()))
            )
        for o in outcomes:
            if o.verdict in ("crash", "hang", "bad"):
                print(f"  {o.verdict:5} {o.command:8} {o.case}: {o.detail[:160]!r}")
        os.chmod(folder / "closed", 0o700)


if __name__ == "__main__":
    main()
