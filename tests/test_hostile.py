"""Hostile and damaged input: never a traceback, never a hang; one `Error:` line or correct output."""

from __future__ import annotations

import codecs
import io
import os
from pathlib import Path

import pytest

from comparer.errors import InputError
from comparer.ingest import read_bytes, read_document, read_stream
from tests.hostile_cases import HOSTILE, manifest, materialise, run_cases

ROOT_USER = os.geteuid() == 0


def test_manifest_covers_every_committed_hostile_file() -> None:
    committed = {p.name for p in HOSTILE.iterdir() if p.suffix not in (".py", ".toml")}
    assert committed <= set(manifest())


def test_hostile_corpus_through_sections_compare_and_facts(tmp_path: Path) -> None:
    cases = materialise(tmp_path)
    try:
        outcomes = run_cases(cases, tmp_path)
    finally:
        (tmp_path / "closed").chmod(0o700)
    assert len(outcomes) == 3 * len(cases)
    wrong = [
        f"{o.verdict} {o.command} {o.case}: {o.detail[:200]}"
        for o in outcomes
        if o.verdict not in ("ok", "error")
    ]
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize(
    ("script", "text"),
    [
        ("russian", "Правительство задержало 120 человек в 2019 году без предъявления обвинений."),
        ("chinese", "政府在二〇一九年未经起诉拘留了一百二十人。法院没有审查这些案件。"),
        ("arabic", "احتجزت الحكومة 120 شخصا في عام 2019 دون توجيه اتهام."),
        ("greek", "Η κυβέρνηση κράτησε 120 άτομα το 2019 χωρίς κατηγορία."),
        ("hindi", "सरकार ने 2019 में 120 लोगों को बिना आरोप के हिरासत में लिया।"),
    ],
)
@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_bomless_wide_encodings_of_any_script(script: str, text: str, encoding: str) -> None:
    body = f"Report\n\n{text}\n\n{text}\n"
    doc = read_bytes(body.encode(encoding), name=f"{script}.txt")
    assert doc.encoding == encoding
    assert text in " ".join(b.text for b in doc.blocks)


@pytest.mark.parametrize(
    "data",
    [
        bytes(range(1, 9)) * 50,
        "\u200b\u200c\u200d\u2060".encode() * 50,
        "\ufeff\u200b".encode("utf-16-le") * 50,
        ("\x85\x97" * 100).encode(),
        b"... --- !!! 123 456",
    ],
)
def test_text_without_letters_is_not_a_report(data: bytes) -> None:
    with pytest.raises(
        InputError, match=r"r\.txt: (has no words|has no readable text|is a binary file|is empty)"
    ):
        read_bytes(data, name="r.txt")


def test_c1_controls_and_mojibake_repaired_and_noted() -> None:
    filler = "A long paragraph of ordinary text that surrounds the damage. " * 5
    data = f"Report\n\n{filler}The arrests \x97 many \x85 were \u00e2\u0080\u009cfound\u00e2\u0080\u009d.\n".encode()
    doc = read_bytes(data, name="r.txt")
    text = " ".join(b.text for b in doc.blocks)
    assert "arrests — many … were “found”." in text
    assert any("ftfy" in n for n in doc.notes)


def test_terminal_escapes_removed() -> None:
    filler = b"A long paragraph of ordinary text that surrounds the escapes. " * 5
    data = b"\x1b]0;pwned\x07\x1b[2JReport\n\n" + filler + b"The \x1b[31mred\x1b[0m text stays text.\n"
    doc = read_bytes(data, name="r.txt")
    joined = "".join(b.text for b in doc.blocks)
    assert "\x1b" not in joined and "pwned" not in joined
    assert "The red text stays text." in joined


def test_plain_ascii_text_has_no_notes() -> None:
    doc = read_bytes(b"Report\n\nA plain paragraph of text.\n", name="r.txt")
    assert doc.notes == ()


def test_pdf_library_warnings_are_silenced_and_summarised(capfd: pytest.CaptureFixture[str]) -> None:
    data = (HOSTILE / "pdf-font-not-dict.pdf").read_bytes()
    try:
        doc = read_bytes(data, name="f.pdf")
        assert any("warnings while reading" in n for n in doc.notes)
    except InputError as err:
        assert "\n" not in str(err)
    assert capfd.readouterr().err == ""


@pytest.mark.parametrize("name", sorted(n for n in manifest() if n.startswith("pdf-mutant")))
def test_damaged_pdfs_become_input_errors(name: str) -> None:
    try:
        read_bytes((HOSTILE / name).read_bytes(), name=name)
    except InputError as err:
        assert str(err).startswith(f"{name}: ")
        assert "\n" not in str(err)


def test_deep_html_is_read_without_recursion() -> None:
    html = b"<html><body><h1>Report</h1>" + b"<div>" * 20_000 + b"<p>Deep text here.</p>"
    doc = read_bytes(html, name="deep.html")
    assert [b.text for b in doc.blocks if b.removed is None] == ["Report", "Deep text here."]


def test_unknown_marked_section_is_text() -> None:
    doc = read_bytes(b"<html><body><h1>Report</h1><p>Text <![i and more</p></body></html>", name="m.html")
    assert "Text <![i and more" in [b.text for b in doc.blocks]


def test_fifo_and_devices_are_refused_without_reading(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="is a FIFO, not a regular file"):
        read_document(fifo)
    with pytest.raises(InputError, match="is a device, not a regular file"):
        read_document(Path("/dev/zero"))


def test_stream_is_bounded_while_reading() -> None:
    class Endless(io.RawIOBase):
        def readable(self) -> bool:
            return True

        def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
            buffer[:] = b"a" * len(buffer)
            return len(buffer)

    with pytest.raises(InputError, match=r"-: too large \(more than 0\.0 MB"):
        read_stream(io.BufferedReader(Endless()), name="-", max_bytes=1000)
    assert read_stream(io.BytesIO(b"abc"), name="-", max_bytes=3) == b"abc"


def test_file_growing_past_the_limit_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "r.txt"
    path.write_bytes(b"x" * 5000)
    real_stat = os.stat

    def lying_stat(p: object, *args: object, **kwargs: object) -> os.stat_result:
        result = real_stat(p, *args, **kwargs)  # type: ignore[arg-type]
        return os.stat_result((*result[:6], 10, *result[7:]))  # claims 10 bytes

    monkeypatch.setattr(os, "stat", lying_stat)
    with pytest.raises(InputError, match="too large"):
        read_document(path, options=__import__("comparer.options").options.ReadOptions(max_bytes=1000))


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p.symlink_to(p), "too many levels of symbolic links"),
        (lambda p: p.symlink_to(p.parent / "gone.txt"), "is a symbolic link to a file that does not exist"),
    ],
)
def test_symlink_problems(tmp_path: Path, make: object, message: str) -> None:
    path = tmp_path / "r.txt"
    make(path)  # type: ignore[operator]
    with pytest.raises(InputError, match=message):
        read_document(path)


def test_permission_denied_is_one_clear_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """As root every file is readable, so the refusal of open(2) is simulated here."""
    path = tmp_path / "r.txt"
    path.write_bytes(b"Report\n\nText.\n")

    def refuse(*args: object, **kwargs: object) -> int:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "open", refuse)
    with pytest.raises(InputError, match=r"r\.txt: permission denied \(make the file readable"):
        read_document(path)


@pytest.mark.skipif(ROOT_USER, reason="root reads mode-000 files and searches any folder")
def test_mode_000_and_unsearchable_folder(tmp_path: Path) -> None:
    path = tmp_path / "r.txt"
    path.write_bytes(b"Report\n\nText.\n")
    path.chmod(0)
    with pytest.raises(InputError, match="permission denied"):
        read_document(path)
    path.chmod(0o644)
    tmp_path.chmod(0o600)
    try:
        with pytest.raises(InputError, match="permission denied"):
            read_document(path)
    finally:
        tmp_path.chmod(0o700)


def test_bom_only_file_is_empty() -> None:
    for bom in (codecs.BOM_UTF8, codecs.BOM_UTF16_LE):
        with pytest.raises(InputError, match="is empty"):
            read_bytes(bom, name="r.txt")


def test_folder_without_search_permission_is_one_clear_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """stat(2) fails with EACCES below a folder without x permission (simulated: root passes)."""
    path = tmp_path / "closed" / "r.txt"

    def refuse(*args: object, **kwargs: object) -> os.stat_result:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "stat", refuse)
    with pytest.raises(InputError, match=r"closed/r\.txt: permission denied .* folders searchable"):
        read_document(path)


def test_standard_input_is_read_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    class Stdin:
        buffer = io.BytesIO(b"Report\n\nA paragraph read from standard input.\n")

    monkeypatch.setattr(sys, "stdin", Stdin())
    doc = read_document(Path("-"))
    assert doc.path == "-" and "standard input" in doc.blocks[-1].text


def test_html_tag_bomb_is_refused_before_parsing() -> None:
    html = b"<html><body><h1>Report</h1>" + b"<b>" * 600_000 + b"<p>Text.</p>"
    with pytest.raises(InputError, match=r"bomb\.html: HTML with 600,00\d tags"):
        read_bytes(html, name="bomb.html")


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_full_stdout_is_one_error_line() -> None:
    import subprocess
    import sys

    from tests.hostile_cases import GOOD, ROOT

    with open("/dev/full", "w") as full:
        proc = subprocess.run(
            [sys.executable, "-m", "comparer", "sections", str(GOOD), "-f", "json"],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
    assert proc.returncode == 2
    assert proc.stderr.splitlines() == ["Error: <stdout>: cannot write (No space left on device)"]
