"""The `comparer` program (and `python -m comparer`): answer --version at once, else run the CLI.

`comparer --version` alone is answered before the command line's libraries are imported, so it
starts in a few hundredths of a second; every other command line goes to `comparer.cli.app`.
"""

from __future__ import annotations

import sys


def main() -> None:
    """Run the command line."""
    if sys.argv[1:] == ["--version"]:
        from comparer import __version__

        sys.stdout.write(f"comparer {__version__}\n")
        return
    from comparer.cli import app

    app()


if __name__ == "__main__":
    main()
