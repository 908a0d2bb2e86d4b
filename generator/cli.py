"""Command line: `hankekirjasto check | new | schema | generate | index`. Same functions the plugin calls."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .problems import ContentError

KIND_ALIASES = {
    "practice": "practice", "toimintamalli": "practice",
    "project": "project", "hanke": "project",
    "collection": "collection", "kokonaisuus": "collection",
    "organisation": "organisation", "organisaatio": "organisation",
}


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit code (0 ok, 1 content problems, 2 usage)."""
    parser = argparse.ArgumentParser(prog="hankekirjasto", description="Hankekirjaston sisällön työkalut.")
    parser.add_argument("--content", type=Path, default=Path("content"), help="sisältökansio (oletus: content)")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="tarkista kaikki tietueet ja kerro kaikki virheet kerralla")
    check.add_argument("--config", type=Path, default=None,
                       help="MkDocs-asetukset, joiden valikko tarkistetaan (oletus: mkdocs.yml sisältökansion vieressä, jos on)")
    new = commands.add_parser("new", help="luo uuden tietueen pohja")
    new.add_argument("kind", choices=sorted(KIND_ALIASES))
    new.add_argument("slug", help="tunniste = tiedostonimi, esim. touko")
    schema = commands.add_parser("schema", help="kirjoita JSON Schema -tiedostot")
    schema.add_argument("--out", type=Path, default=Path("schema"))
    generate = commands.add_parser("generate", help="kirjoita generoitu sivusto (docs/, mkdocs.yml) kansioon Zensicalille tai MkDocsille ilman lisäosaa")
    generate.add_argument("out", type=Path)
    generate.add_argument("--config", type=Path, default=Path("mkdocs.yml"),
                          help="MkDocs-asetukset, joista luetaan samankaltaisuuden painot ja URL-muoto (oletus: mkdocs.yml, jos on)")
    index = commands.add_parser("index", help="rakenna hakuhakemisto (Pagefind) valmiiseen sivustoon")
    index.add_argument("site", type=Path, help="rakennettu sivusto, esim. site")
    importer = commands.add_parser("import", help="tuo tietueluonnoksia taulukosta, raporttilomakkeesta tai EURA 2014 -hankesivulta "
                                                  "(oletuksena vain näyttää, mitä kirjoitettaisiin)")
    importer.add_argument("file", type=Path, nargs="?", help="taulukko (.csv, .xlsx) tai tekstiksi viety lomake tai hankesivu (.txt)")
    importer.add_argument("--format", choices=("taulukko", "raportti", "eura"), default=None,
                          help="lähteen laji (oletus: päätteestä ja sisällöstä)")
    importer.add_argument("--kind", choices=sorted(KIND_ALIASES), default=None, help="taulukon tietuelaji (oletus: tiedostonimestä, muuten hanke)")
    importer.add_argument("--write", action="store_true", help="kirjoita tietueet (ilman tätä vain näytetään, mitä kirjoitettaisiin)")
    importer.add_argument("--overwrite", action="store_true", help="korvaa olemassa olevat tietueet (ero näytetään ensin)")
    importer.add_argument("--url", default=None, help="lähteen verkko-osoite (EURA-sivu: oletuksena projektikoodista)")
    importer.add_argument("--source-title", default=None, help="taulukon lähteen nimi riveille, joilla ei ole omaa lähdettä")
    importer.add_argument("--source-publisher", default=None, help="taulukon lähteen julkaisija")
    importer.add_argument("--template", type=Path, default=None, help="kirjoita tyhjä taulukkopohja (.xlsx tai .csv) sarakkeineen")
    args = parser.parse_args(argv)
    try:
        return {"check": _check, "new": _new, "schema": _schema, "generate": _generate, "index": _index,
                "import": _import}[args.command](args)
    except ContentError as error:
        print(error.report(), file=sys.stderr)
        return 1


def _check(args: argparse.Namespace) -> int:
    from .pipeline import check, options_from_mkdocs

    config = args.config or args.content.parent / "mkdocs.yml"
    try:
        options = options_from_mkdocs(config) if config.is_file() else None
    except ValueError as error:
        print(f"virhe: {config}: {error}", file=sys.stderr)
        return 2
    site = check(args.content, options)
    from .linker import kind_count, status_warnings

    warnings = status_warnings(site)
    for warning in warnings:
        print(f"varoitus: {warning}", file=sys.stderr)
    counts = {kind: len(site.of_kind(kind)) for kind in ("project", "practice", "collection", "organisation")}
    print("Kaikki kunnossa: " + ", ".join(kind_count(kind, n) for kind, n in counts.items())
          + (f" ({len(warnings)} varoitusta, katso yllä)" if len(warnings) > 1 else " (1 varoitus, katso yllä)" if warnings else ""))
    return 0


def _new(args: argparse.Namespace) -> int:
    from .model import FOLDERS, SLUG_RE
    from .skeleton import skeleton

    kind = KIND_ALIASES[args.kind]
    if not SLUG_RE.match(args.slug):
        from .problems import slugged

        suggestion = slugged(args.slug)
        hint = f' Kelpaava tunniste olisi esimerkiksi "{suggestion}".' if suggestion and SLUG_RE.match(suggestion) else ""
        print(f'virhe: tunniste "{args.slug}" ei kelpaa: vain pieniä kirjaimia a–z, numeroita ja väliviivoja.{hint}',
              file=sys.stderr)
        return 2
    folder = next(name for name, k in FOLDERS.items() if k == kind)
    target = args.content / folder / f"{args.slug}.yml"
    if target.exists():
        print(f"virhe: {target} on jo olemassa", file=sys.stderr)
        return 2
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(skeleton(kind, args.slug), encoding="utf-8")
    print(f"Luotu {target}. Täytä kentät ja aja: hankekirjasto check")
    return 0


def _schema(args: argparse.Namespace) -> int:
    from .schema import schemas

    args.out.mkdir(parents=True, exist_ok=True)
    for name, text in schemas().items():
        (args.out / name).write_text(text, encoding="utf-8")
    print(f"JSON Schema kirjoitettu kansioon {args.out}")
    return 0


def _generate(args: argparse.Namespace) -> int:
    from .export import DOCS, read_config, write_project
    from .pipeline import Options, options_from_mkdocs

    try:
        options = options_from_mkdocs(args.config) if args.config.is_file() else Options()
        config = read_config(args.config) if args.config.is_file() else {}
    except ValueError as error:
        print(f"virhe: {args.config}: {error}", file=sys.stderr)
        return 2
    if options is not None:
        # Another builder has its own navigation: only `check` and the MkDocs build hold the
        # content to mkdocs.yml's nav.
        options.nav_pages = ()
    if args.out.exists() and not args.out.is_dir():
        print(f"virhe: {args.out} on tiedosto; anna kansio, johon sivusto kirjoitetaan", file=sys.stderr)
        return 2
    try:
        files = write_project(args.content, args.out, config, options)
    except ValueError as error:
        print(f"virhe: {error}", file=sys.stderr)
        return 1
    except OSError as error:  # no permission, disk full: the project written last is kept
        print(f"virhe: kansioon {args.out} ei voi kirjoittaa ({error.strerror or error})", file=sys.stderr)
        return 1
    print(f"{len(files)} tiedostoa kirjoitettu kansioon {args.out / DOCS}, asetukset {args.out / 'mkdocs.yml'}.\n"
          f"Rakenna: cd {args.out} && zensical build (tai mkdocs build), sitten: hankekirjasto index {args.out / 'site'}")
    return 0


def _index(args: argparse.Namespace) -> int:
    from .search import SearchError, build_index

    if not args.site.is_dir():
        print(f"virhe: kansiota {args.site} ei ole: rakenna sivusto ensin", file=sys.stderr)
        return 2
    try:
        result = build_index(args.site)
    except SearchError as error:
        print(f"virhe: {error}", file=sys.stderr)
        return 1
    parts = f" {result.parts} osassa" if result.parts > 1 else ""
    print(f"Hakuhakemisto: {result.pages} sivua{parts}, {result.seconds:.2f} s → {result.bundle}")
    return 0


def _import(args: argparse.Namespace) -> int:
    from .importers.cli import run

    return run(args, KIND_ALIASES)


if __name__ == "__main__":
    sys.exit(main())
