"""python -m comparer runs the CLI."""

from comparer.cli import app

app()
