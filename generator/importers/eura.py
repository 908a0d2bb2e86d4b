"""The public EURA 2014 project page (rakennerahastotietopalvelu) as text: a project and its
implementer's organisation record, with the page's address as their source.

The page is "Label: value" lines in numbered sections. The responsible person's name, title,
e-mail and phone are personal contact details: never imported.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from ..problems import Problem
from . import Draft, ImportResult, finnish_date, first_sentence, normalise, slugify

PAGE_URL = "https://www.eura2014.fi/rrtiepa/projekti.php?projektikoodi={code}"
PUBLISHER = "Rakennerahastotietopalvelu (työ- ja elinkeinoministeriö)"
STATUS = {"paattynyt": "ended", "toiminta paattynyt": "ended", "kaynnissa": "running", "toiminta kaynnissa": "running"}
PERSONAL = ("vastuuhenkilon nimi", "asema", "sahkoposti", "puhelinnumero", "yhteyshenkilo")
_LINE = re.compile(r"^([A-ZÅÄÖ][^:\n]{1,60}):(?:[ \t]+(.*)|)$")
_SECTION = re.compile(r"^\d+\.\s+(.+)$")


def _amount(text: str) -> float | None:
    digits = re.sub(r"[\s\u00a0]", "", text).replace(",", ".")
    return float(digits) if re.fullmatch(r"\d+(\.\d+)?", digits) else None


def read(text: str, path: str, *, url: str | None, corpus: Any, today: dt.date | None = None) -> ImportResult:
    result = ImportResult()
    section, fields, partners, summary_lines = "", {}, [], []
    in_summary = False
    programme = None
    labels: dict[str, str] = {}
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            if in_summary and summary_lines and summary_lines[-1] != "":
                summary_lines.append("")
            continue
        heading = _SECTION.match(line)
        if heading and ":" not in line:
            section, in_summary = normalise(heading[1]), False
            continue
        if normalise(line).startswith("kestavaa kasvua ja tyota"):
            programme = line.replace(" - ", " – ").replace("2014-2020", "2014–2020")
            continue
        found = _LINE.match(line)
        if in_summary and not found:
            summary_lines.append(line)
            continue
        if not found:
            continue
        label, value = normalise(found[1]), (found[2] or "").strip()
        labels.setdefault(label, found[1].strip())
        if label == "tiivistelma":
            in_summary = True
            if value:
                summary_lines.append(value)
            continue
        in_summary = False
        if section.startswith("osatoteuttaj"):
            if label.startswith("osatoteuttajan nimi") or label == "nimi":
                partners.append({"name": value, "role": "Osatoteuttaja"})
            continue
        if section.startswith("hankkeen toteuttaja") or section.startswith("projektin toteuttaja"):
            label = "toteuttaja: " + label
        fields.setdefault(label, value)

    code = fields.get("projektikoodi") or fields.get("hankekoodi")
    title = fields.get("projektin nimi") or fields.get("hankkeen nimi")
    for needed, value in (("Projektikoodi", code), ("Projektin nimi", title)):
        if not value:
            result.problems.append(Problem(path, None, "", f"sivulta puuttuu {needed}: onko tämä EURA 2014 -hankesivun teksti?"))
    if result.problems:
        return result
    url = url or PAGE_URL.format(code=code)
    source = {"title": f"{title} ({code}), hankkeen kuvaus rakennerahastotietopalvelussa", "publisher": PUBLISHER, "url": url}
    project: dict[str, Any] = {"title": title}
    paragraphs = [p for p in "\n".join(summary_lines).split("\n\n") if p.strip()]
    paragraphs = [" ".join(p.split()) for p in paragraphs]
    if paragraphs:
        lead, rest = first_sentence(paragraphs[0])
        project["summary"] = lead
        body = "\n\n".join([p for p in [rest, *paragraphs[1:]] if p])
        if body:
            project["description"] = body
    status = STATUS.get(normalise(fields.get("tila", "")))
    if status:
        project["status"] = status
    elif fields.get("tila"):
        result.problems.append(Problem(path, None, "status", f'tuntematon tila "{fields["tila"]}"; tunnetut: Päättynyt, Käynnissä'))
    implementer = _organisation(fields, source, title, code, corpus, result)
    if implementer:
        project["implementers"] = [implementer]
    if partners:
        project["partners"] = partners
    funding = _funding(fields, programme, corpus) if "(ESR)" in text else None
    if funding:
        project["funding"] = [funding]
    start, end = finnish_date(fields.get("aloituspaivamaara", "")), finnish_date(fields.get("paattymispaivamaara", ""))
    if start or end:
        project["period"] = {k: v for k, v in (("start", start), ("end", end)) if v}
    for key, label in (("project_code", None), ("programme", None), ("priority_axis", "toimintalinja"),
                       ("specific_objective", "erityistavoite"), ("granting_authority", "valittava toimielin")):
        value = code if key == "project_code" else programme if key == "programme" else fields.get(label)
        if key == "granting_authority":
            value = value or fields.get("rahoittava viranomainen") or fields.get("vastuuviranomainen")
        if value:
            project[key] = value
    project["sources"] = [source]
    project["editor_notes"] = f"Tuotu EURA 2014 -hankesivulta ({url}); lyhyt kuvaus on tiivistelmän ensimmäinen virke."
    result.drafts.insert(0, Draft("project", slugify(title), project))

    used = {"projektikoodi", "hankekoodi", "projektin nimi", "hankkeen nimi", "tila", "aloituspaivamaara", "paattymispaivamaara",
            "toimintalinja", "erityistavoite", "valittava toimielin", "rahoittava viranomainen", "vastuuviranomainen",
            "toteuttaja: toteuttajaorganisaation nimi", "toteuttaja: y-tunnus", "toteuttaja: web-osoite",
            "myonnetty eu- ja valtion rahoitus"}
    for label, value in fields.items():
        if label in used or not value:
            continue
        bare = label.removeprefix("toteuttaja: ")
        shown = labels.get(bare, bare)
        if bare.startswith(PERSONAL):
            result.unplaced.append(f"{shown}: henkilön yhteystieto, jätetty pois")
        else:
            result.unplaced.append(f"{shown}: {value}")
    return result


def _organisation(fields: dict, source: dict, title: str, code: str, corpus: Any, result: ImportResult) -> str | None:
    name = fields.get("toteuttaja: toteuttajaorganisaation nimi") or fields.get("toteuttaja: nimi")
    if not name:
        return None
    business_id = fields.get("toteuttaja: y-tunnus")
    existing = find_organisation(corpus, name, business_id)
    if existing:
        result.unplaced.append(f"toteuttaja {name} on jo sisällössä tunnisteella {existing}: organisaatiota ei tuoda uudelleen")
        return existing
    org: dict[str, Any] = {"title": name, "summary": f"{name} on hankkeen {title} ({code}) toteuttaja."}
    if business_id:
        org["business_id"] = business_id
    website = fields.get("toteuttaja: web-osoite")
    if website:
        org["website"] = website if website.startswith(("http://", "https://")) else f"https://{website}"
    org["sources"] = [dict(source)]
    org["editor_notes"] = "Tuotu EURA 2014 -hankesivun toteuttajatiedoista; lyhyt kuvaus kertoo vain toteuttajuuden."
    slug = slugify(name)
    result.drafts.append(Draft("organisation", slug, org))
    return slug


def find_organisation(corpus: Any, name: str, business_id: str | None) -> str | None:
    """The id of an organisation already in the content with this business ID or name."""
    if corpus is None:
        return None
    wanted = normalise(name)
    for record in corpus.records.values():
        if record.kind != "organisation":
            continue
        if business_id and getattr(record.data, "business_id", None) == business_id:
            return record.id
        if normalise(record.data.title) == wanted:
            return record.id
    return None


def _funding(fields: dict, programme: str | None, corpus: Any) -> dict | None:
    funders = corpus.vocabularies.get("funders", {}) if corpus else {}
    if not programme or "2014" not in programme or "esr-2014-2020" not in funders:
        return None
    funding: dict[str, Any] = {"funder": "esr-2014-2020"}
    granted = fields.get("myonnetty eu- ja valtion rahoitus")
    amount = _amount(granted) if granted else None
    if amount is not None:
        funding["amount_eur"] = amount
        funding["description"] = "myönnetty EU- ja valtion rahoitus"
    return funding
