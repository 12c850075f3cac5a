"""The ``bonemets`` command line.

``bonemets assess CASE.yaml [...] [--format text|json|cards]``, ``bonemets cases`` and
``bonemets knowledge [--check DIR]``. Bad input prints one line on stderr and exits 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Sequence

from .assessment import Assessment
from .case import load_case
from .cases import teaching_library
from .engine import assess
from .exceptions import BonemetsError
from .knowledge import knowledge, load_knowledge
from .vocabulary import DISCLAIMER


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2, as for every bad input
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="bonemets", description="Which treatment families and tests apply to a case of "
                "bone metastases, why, and on what source. " + DISCLAIMER)
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)
    a = sub.add_parser("assess", help="assess one or more case files (YAML or JSON)")
    a.add_argument("cases", nargs="+", metavar="CASE", help="a case file, e.g. data/cases/*.yaml")
    a.add_argument("--format", choices=("text", "json", "cards"), default="text")
    a.add_argument("--all-reasons", action="store_true",
                   help="also give reasons and sources for items that are not indicated")
    c = sub.add_parser("cases", help="list the teaching case library")
    c.add_argument("--format", choices=("text", "json"), default="text")
    k = sub.add_parser("knowledge", help="summarise or check a knowledge base")
    k.add_argument("--check", metavar="DIR", help="validate this knowledge directory instead of the shipped one")
    k.add_argument("--format", choices=("text", "json"), default="text")
    return p


def _assess(args: argparse.Namespace) -> None:
    results: list[Assessment] = [assess(load_case(path)) for path in args.cases]
    if args.format == "text":
        from .render import text_report

        out = [(f"# {path}\n" if len(args.cases) > 1 else "") + text_report(r, args.all_reasons)
               for path, r in zip(args.cases, results)]
        print("\n\n".join(out))
    elif args.format == "json":
        data = [r.to_dict() for r in results]
        print(json.dumps(data[0] if len(data) == 1 else data, indent=2, default=str))
    else:
        data = [{"cards": r.to_cards()} for r in results]
        print(json.dumps(data[0] if len(data) == 1 else data, indent=2))


def _cases(args: argparse.Namespace) -> None:
    library = teaching_library()
    if args.format == "json":
        print(json.dumps([{"id": t.id, "title": t.title, "path": str(t.path)} for t in library.values()], indent=2))
        return
    width = max((len(i) for i in library), default=0)
    for t in library.values():
        print(f"{t.id:<{width}}  {t.title}")
    print(f"\n{len(library)} teaching cases; assess one with: bonemets assess data/cases/<id>.yaml")


def _knowledge(args: argparse.Namespace) -> None:
    kb = load_knowledge(args.check) if args.check else knowledge()
    summary = {"path": str(kb.path), "version": kb.version, "families": len(kb.families),
               "options": len(kb.options), "tests": len(kb.tests), "alerts": len(kb.alerts),
               "rules": len(kb.rules), "retired_rules": len(kb.retired_rules), "sources": len(kb.sources)}
    if args.format == "json":
        print(json.dumps(summary, indent=2))
        return
    print(f"knowledge base {kb.manifest.get('name', '')} {kb.version}: valid")
    for key, value in summary.items():
        print(f"  {key}: {value}")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    try:
        {"assess": _assess, "cases": _cases, "knowledge": _knowledge}[args.command](args)
    except BonemetsError as err:
        print(f"bonemets: error: {err}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # e.g. piped into head
        return 0
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
