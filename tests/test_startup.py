"""Start-up: a command imports what it needs when it needs it (checked by module, never timed)."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import ROOT

HEAVY = ("numpy", "rapidfuzz", "jinja2", "pypdf", "bs4", "lemminflect", "syntok", "rich", "comparer.api")


def _modules_after(code: str) -> set[str]:
    """The modules a fresh interpreter holds after running `code`."""
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    return set(json.loads(done.stdout.splitlines()[-1]))


def _heavy(modules: set[str]) -> list[str]:
    return sorted(m for m in HEAVY if m in modules)


def test_importing_the_cli_loads_no_stage_or_renderer_library() -> None:
    assert _heavy(_modules_after("import comparer.cli")) == []


def test_importing_the_package_is_cheap_and_still_offers_read_report() -> None:
    assert _heavy(_modules_after("import comparer")) == []
    assert "comparer.api" in _modules_after("import comparer\ncomparer.read_report")


def test_version_answers_before_the_command_line_library_loads() -> None:
    code = "import sys\nsys.argv = ['comparer', '--version']\nfrom comparer.__main__ import main\nmain()"
    modules = _modules_after(code)
    assert "typer" not in modules and _heavy(modules) == []
    done = subprocess.run([sys.executable, "-m", "comparer", "--version"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout.startswith("comparer ")


def test_version_is_the_one_of_the_installed_package() -> None:
    from importlib.metadata import version

    import comparer

    assert comparer.__version__ == version("comparer")


def test_json_output_does_not_load_the_html_templates(tmp_path: object) -> None:
    old, new = ROOT / "reports" / "north-korea" / "hrw-2019.txt", ROOT / "reports" / "north-korea" / "hrw-2020.txt"
    code = (
        "import sys\nfrom comparer.cli import app\n"
        f"sys.argv = ['comparer', 'compare', {str(old)!r}, {str(new)!r}, '-f', 'json', '-o', '-']\n"
        "try:\n    app()\nexcept SystemExit:\n    pass"
    )
    modules = _modules_after(code)
    assert "comparer.api" in modules and "jinja2" not in modules and "pypdf" not in modules
