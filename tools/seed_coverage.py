"""Write (or check) the seed coverage table docs/seed-coverage.md.

Usage: ``python tools/seed_coverage.py [FILE] [--check]``. FILE defaults to
docs/seed-coverage.md beside this script's repository. ``--check`` writes nothing and exits 1 if
the file differs from a fresh generation. A problem in the statements (an unknown source or
entry id) prints one line and exits 2.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bonemets import BonemetsError, knowledge
from bonemets.output import Outputs
from bonemets.seed_coverage import coverage_table, load_statements

DEFAULT = Path(__file__).resolve().parents[1] / "docs" / "seed-coverage.md"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", type=Path, default=DEFAULT, help="the table to write (Markdown)")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if FILE is not up to date")
    args = parser.parse_args(argv)
    try:
        kb = knowledge()
        table = coverage_table(kb, load_statements(kb))
        if args.check:
            current = args.file.read_text(encoding="utf-8") if args.file.is_file() else None
            if current != table:
                print(f"{args.file}: not up to date; regenerate with: python tools/seed_coverage.py", file=sys.stderr)
                return 1
            return 0
        with Outputs([args.file], inputs=[kb.path]) as out:
            out.path(args.file).write_text(table, encoding="utf-8")
    except BonemetsError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    print(f"wrote {args.file}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
