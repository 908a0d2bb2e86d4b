"""`hankekirjasto import`: the command's flow, kept out of cli.py."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..problems import ContentError, Problem
from . import ImportResult, check_drafts, plan, report, write

_KIND_WORDS = {"project": ("project", "hanke", "hankkeet"), "practice": ("practice", "toimintamalli"),
               "organisation": ("organisation", "organisaati"), "collection": ("collection", "kokonaisuu")}


def _kind(args: argparse.Namespace, aliases: dict[str, str], path: Path) -> str:
    if args.kind:
        return aliases[args.kind]
    name = path.name.lower()
    return next((kind for kind, words in _KIND_WORDS.items() if any(w in name for w in words)), "project")


def run(args: argparse.Namespace, aliases: dict[str, str]) -> int:
    from . import reportform, eura, spreadsheet

    if args.template:
        if args.template.suffix.lower() not in (".xlsx", ".csv"):
            print("virhe: taulukkopohjan pääte on .xlsx tai .csv", file=sys.stderr)
            return 2
        if args.template.exists() and not args.overwrite:
            print(f"virhe: {args.template} on jo olemassa (korvaa: --overwrite)", file=sys.stderr)
            return 2
        kind = _kind(args, aliases, args.template)
        spreadsheet.template(args.template, kind)
        print(f"Taulukkopohja kirjoitettu: {args.template} ({len(spreadsheet.columns(kind))} saraketta). Täytä rivit ja aja: "
              f"hankekirjasto import {args.template.name}")
        return 0
    if args.file is None:
        print("virhe: anna tuotava tiedosto tai --template", file=sys.stderr)
        return 2
    if not args.file.is_file():
        print(f"virhe: tiedostoa {args.file} ei ole", file=sys.stderr)
        return 2
    corpus = _corpus(args.content)
    shown = args.file.as_posix()
    suffix = args.file.suffix.lower()
    fmt = args.format or ("taulukko" if suffix in (".csv", ".xlsx") else None)
    if fmt == "taulukko":
        source = {"title": args.source_title or args.file.name, "file": args.file.name}
        if args.source_publisher:
            source["publisher"] = args.source_publisher
        if args.url:
            source["url"] = args.url
        result = spreadsheet.read(args.file, shown, kind=_kind(args, aliases, args.file), corpus=corpus, default_source=source)
    else:
        try:
            text = args.file.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            print(f"virhe: {shown}: tiedosto ei ole UTF-8-tekstiä", file=sys.stderr)
            return 2
        fmt = fmt or ("raportti" if "kumppanuusavustustoiminnasta" in text[:500] else "eura" if "Projektikoodi" in text else None)
        if fmt is None:
            print(f"virhe: {shown}: lähteen lajia ei tunnistettu; anna --format taulukko, raportti tai eura", file=sys.stderr)
            return 2
        if fmt == "raportti":
            result = reportform.read(text, shown, file_name=args.file.name, corpus=corpus)
        else:
            result = eura.read(text, shown, url=args.url, corpus=corpus)
    return _finish(args, result)


def _corpus(content: Path):
    from ..loader import load

    if not content.is_dir():
        return None
    return load(content)


def _finish(args: argparse.Namespace, result: ImportResult) -> int:
    if result.problems:
        raise ContentError(result.problems)
    planned = plan(args.content, result, overwrite=args.overwrite)
    print(report(planned, result))
    problems: list[Problem] = check_drafts(args.content, planned)
    if problems:
        print("\nLuonnokset eivät läpäise tarkistusta, joten mitään ei kirjoiteta. Täydennä lähdettä tai kirjoita tietue käsin:",
              file=sys.stderr)
        raise ContentError(problems)
    if not args.write:
        print("\nKuivaharjoitus: mitään ei kirjoitettu. Kirjoita tietueet: lisää --write"
              + (" (ja --overwrite korvataksesi olemassa olevat)" if any(p.action == "keep" for p in planned) else ""))
        return 0
    done = write(planned)
    print(f"\nKirjoitettu {len(done)} tiedostoa. Tarkista ja täydennä ne, sitten: hankekirjasto check")
    return 0
