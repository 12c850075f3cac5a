"""The ``bonemets`` command line.

``bonemets assess CASE [...] [--format text|json|cards]``, ``bonemets report CASE -o OUT.html``
(CASE: a case file, or a teaching case id such as ``spinal_cord_compression``), ``bonemets cohort IN
OUT [--dask] [--errors report]``, ``bonemets cases`` and ``bonemets knowledge [--check DIR] [--schema
[KIND]] [--html DIR]``. Bad input prints one line on stderr and exits 2.
"""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from collections.abc import Sequence
from typing import Any, NoReturn

from .assessment import Assessment
from .case import load_case
from .cases import case_file, teaching_library
from .exceptions import BonemetsError, InvalidCaseError
from .knowledge import knowledge, load_knowledge
from .pipeline import assess
from .vocabulary import DISCLAIMER


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line, exit 2, as for every bad input
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


class _Version(argparse.Action):
    """``--version``: the package's version and the knowledge's, read only when asked, so that
    ``--help`` and ``--version`` work whatever state the knowledge is in."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, help="show the version of bonemets and of its knowledge")

    def __call__(self, parser: argparse.ArgumentParser, *args: Any) -> None:
        from . import __version__

        try:
            known = f"knowledge {knowledge().version}"
        except BonemetsError as err:
            known = f"knowledge not loaded: {err}"
        print(f"bonemets {__version__} ({known})")
        parser.exit(0)


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="bonemets", description="Which treatment families and tests apply to a case of "
                "bone metastases, why, and on what source. " + DISCLAIMER)
    p.add_argument("--version", action=_Version)
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)
    a = sub.add_parser("assess", help="assess one or more cases (files or teaching case ids)")
    a.add_argument("cases", nargs="+", metavar="CASE",
                   help="a case file (YAML or JSON), or a teaching case id (bonemets cases lists them)")
    a.add_argument("--format", choices=("text", "json", "cards"), default="text")
    a.add_argument("--full", "--all-reasons", dest="full", action="store_true",
                   help="everything: the known facts, every question, and every item's reasons and sources "
                        "(by default about a screen and a half: statuses, actions, questions, pending checks)")
    c = sub.add_parser("cases", help="list the teaching case library")
    c.add_argument("--format", choices=("text", "json"), default="text")
    r = sub.add_parser("report", help="write a self-contained HTML handout for a case (opens offline)")
    r.add_argument("case", metavar="CASE", help="a case file (YAML or JSON), or a teaching case id")
    r.add_argument("-o", "--output", metavar="OUT.html",
                   help="where to write it (default: CASE with .html; for a teaching case id, ID.html here)")
    h = sub.add_parser("cohort", help="assess every row of a CSV or Parquet cohort (file or directory)")
    h.add_argument("source", metavar="IN", help="CSV or Parquet file, or a directory of partitions")
    h.add_argument("target", metavar="OUT", help="output .parquet (file or directory) or .csv")
    engine = h.add_mutually_exclusive_group()
    engine.add_argument("--dask", dest="dask", action="store_true", default=None,
                        help="use Dask (default: only when the input is too large for memory)")
    engine.add_argument("--no-dask", dest="dask", action="store_false", help="never use Dask")
    h.add_argument("--errors", choices=("raise", "report"), default="raise",
                   help="stop at the first invalid row (raise), or assess the valid rows and write every "
                        "invalid cell to OUT.errors.csv (report)")
    h.add_argument("--keep", action="append", default=[], metavar="COLUMN",
                   help="a column that is not a case field (e.g. an id) to copy to the output; repeatable")
    h.add_argument("--chunk-rows", type=int, default=250_000, metavar="N", help="rows per chunk (pandas)")
    h.add_argument("--no-progress", action="store_true", help="no progress bar")
    h.add_argument("--overwrite", action="store_true",
                   help="replace OUT if it is a directory that is not empty (it is replaced whole)")
    k = sub.add_parser("knowledge", help="summarise or check a knowledge base")
    k.add_argument("--check", metavar="DIR", help="validate this knowledge directory instead of the shipped one "
                   "(every entry, and every rule's worked examples run against its condition)")
    k.add_argument("--schema", nargs="?", const="all", metavar="KIND",
                   help="print the JSON Schema of one kind of knowledge file (manifest, sources, families, options, "
                        "tests, alerts, concepts, consistency, rules), or of all of them by kind")
    k.add_argument("--write-schemas", action="store_true",
                   help="write the JSON Schemas into the knowledge directory's schemas/ (after changing the models)")
    k.add_argument("--html", metavar="DIR", help="write a browsable reference of the knowledge (checked with --check, "
                   "else the shipped one) into DIR: static pages that open offline; prints the index page's path")
    k.add_argument("--format", choices=("text", "json"), default="text")
    return p


def _assessed(ref: str) -> Assessment:
    """The assessment of one case file or teaching case; a contradiction, like any bad value, names the file."""
    path = case_file(ref)
    case = load_case(path)
    try:
        return assess(case)
    except InvalidCaseError as err:
        raise InvalidCaseError(f"{path}: {err}", fields=err.fields) from None


def _assess(args: argparse.Namespace) -> None:
    results = [_assessed(path) for path in args.cases]
    if args.format == "text":
        from .render import text_report

        out = [(f"# {path}\n" if len(args.cases) > 1 else "") + text_report(r, args.full)
               for path, r in zip(args.cases, results, strict=True)]
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
    print(f"\n{len(library)} teaching cases; assess one with: bonemets assess <id> (or bonemets report <id>)")


def _report(args: argparse.Namespace) -> None:
    from pathlib import Path

    from .output import real_path
    from .report import write_report

    target = Path(args.output) if args.output else Path(args.case).with_suffix(".html")
    if real_path(target) == real_path(case_file(args.case)):
        raise BonemetsError(f"{target}: this output would overwrite the case file {args.case}; write it elsewhere")
    with warnings.catch_warnings(record=True) as caught:  # e.g. no Chromium: figures not drawn
        warnings.simplefilter("always")
        path = write_report(_assessed(args.case), target)
    for message in dict.fromkeys(str(w.message) for w in caught):  # one line each, not a warning's traceback
        print(f"note: {message}", file=sys.stderr)
    print(f"wrote {path} (self-contained; opens offline). {DISCLAIMER}")


def _cohort(args: argparse.Namespace) -> None:
    from .batch import run_cohort

    if args.chunk_rows < 1:
        raise BonemetsError(f"--chunk-rows={args.chunk_rows} is not allowed; allowed: a whole number of 1 or more")
    run = run_cohort(args.source, args.target, use_dask=args.dask, errors=args.errors, keep=args.keep,
                     chunk_rows=args.chunk_rows, progress=not args.no_progress, overwrite=args.overwrite)
    for note in run.notes:
        print(f"note: {note}", file=sys.stderr)
    print(f"assessed {run.assessed:,} of {run.rows:,} rows with {run.engine}; wrote {run.output}")
    if run.error_file is not None:
        print(f"{run.errors:,} invalid cells or contradictions listed in {run.error_file}")
    print(DISCLAIMER)


def _knowledge(args: argparse.Namespace) -> None:
    if args.schema:
        from .knowledge_schema import schema, schemas

        try:
            print(json.dumps(schemas() if args.schema == "all" else schema(args.schema), indent=2, ensure_ascii=False))
        except ValueError as err:
            raise BonemetsError(f"--schema {err}") from None
        return
    kb = load_knowledge(args.check) if args.check else knowledge()
    if args.html:
        from .reference import write_reference

        print(write_reference(args.html, kb))
        return
    if args.write_schemas:
        from .knowledge_schema import write_schemas

        for path in write_schemas(kb.path):
            print(f"wrote {path}")
        return
    summary = {"path": str(kb.path), "version": kb.version, "families": len(kb.families),
               "options": len(kb.options), "tests": len(kb.tests), "alerts": len(kb.alerts),
               "rules": len(kb.rules), "draft_rules": len(kb.draft_rules), "retired_rules": len(kb.retired_rules),
               "sources": len(kb.sources)}
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
        {"assess": _assess, "cases": _cases, "knowledge": _knowledge, "report": _report,
         "cohort": _cohort}[args.command](args)
    except BonemetsError as err:
        print(f"bonemets: error: {err}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # e.g. piped into head
        return 0
    except KeyboardInterrupt:
        print("bonemets: interrupted; no output was written", file=sys.stderr)
        return 130
    except OSError as err:  # a full or read-only disk, a permission refused: one line, nothing partial
        where = f"{err.filename}: " if err.filename else ""
        print(f"bonemets: error: {where}{err.strerror or err}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
