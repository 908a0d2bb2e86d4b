"""The partnership-grant report form (Raportti kumppanuusavustustoiminnasta) as its text export.

The export is question / answer paragraphs; the age-group and municipality tables are
Markdown tables of checkboxes (``<input checked="" type="checkbox"/> Kaavi``). The ticked boxes
become vocabulary values, the organisation block an organisation record, the numbered client
quotes feedback. The respondent's (sender's) name, e-mail and phone are never imported.
"""

from __future__ import annotations

import re
from typing import Any

from ..problems import Problem
from . import Draft, ImportResult, finnish_date, first_sentence, normalise, slugify, vocabulary_index
from .eura import find_organisation

# Question (its normalised start) → the key its answer is kept under.
QUESTIONS = {
    "valitse kumpaa raporttia": "report_type",
    "organisaation tiedot": "org_block",
    "vastaajan tiedot": "respondent_block",
    "toiminnan tarkoitus": "purpose",
    "organisaation toimiala": "field",
    "toiminta-aika, jolla avustettu toiminta": "period",
    "toimintavuodelle myonnetty avustussumma": "amount",
    "avustetun toiminnan nimi": "title",
    "avustetun toiminnan toteutustapa": "description",
    "avustetun toiminnan kohderyhma": "target_group",
    "kohderyhman ikajakauma": "age_table",
    "kuinka paljon kohderyhman edustajia": "reached_range",
    "tarkenna halutessasi lukumaaraa": "reached",
    "kokiko osallistujat toiminnan": "feedback",
    "mita mittareita toiminnan": "measurement",
    "milla kaikilla pohjois-savon alueen paikkakunnilla": "municipality_table",
    "milla keinoin varmistitte": "outreach",
    "edistiko avustettu toiminta": "achieved_yes_no",
    "mikali vastasit kylla": "achievements",
    "millaista ja kenen toimijatahojen": "cooperation",
    "valitse valikosta hyvinvointialueen palvelutoimialue": "service_areas",
    "millaista konkreettista yhteistyota": "county_support",
    "kerro mitka ovat avustetun toiminnan seuraavan vuoden tavoitteet": "plans",
    "kerro mita yhteistyotoiveita": "wishes",
    "jatkuuko avustettu toiminta": "continuation",
    "kerro tiivistetysti koko toiminta-ajalta": "impact",
    "liitteet": "attachments",
}
# Answers kept under these keys are form furniture, never facts about the project.
IGNORED = {"report_type_heading", "respondent_block"}
ORG_LABELS = {"nimi": "name", "postiosoite": "address", "postinumero ja -toimipaikka": "postcode", "kotipaikkakunta": "home",
              "y-tunnus": "business_id"}
_CHECKBOX = re.compile(r"<input(?P<attrs>[^>]*)type=\"checkbox\"[^>]*/?>\s*(?P<label>[^|<]+)")
_QUOTE = re.compile(r"^Asiakaspalaute \d+:\s*[\"“”](?P<text>.+?)[\"“”]\.?\s*(?:\((?P<who>.+)\))?\s*\.?$")
_SENT = re.compile(r"Lähetetty asiointipalvelusta (\d{1,2}\.\d{1,2}\.\d{4})")
_GRANTOR = re.compile(r"^(?P<county>.+?) on myöntänyt teille .*kumppanuusavustuksen")


def _blocks(text: str) -> tuple[dict[str, list[str]], list[str]]:
    """Answers by question key, and the paragraphs before the first question."""
    answers: dict[str, list[str]] = {}
    preamble: list[str] = []
    key = None
    for paragraph in re.split(r"\n\s*\n", text):
        paragraph = paragraph.strip()
        if not paragraph:
            continue
        folded = normalise(paragraph.rstrip(" *:"))
        found = next((k for q, k in QUESTIONS.items() if folded.startswith(q) and len(folded) < len(q) + 200), None)
        if found and not (key in ("org_block", "respondent_block") and folded in ORG_LABELS):
            key = found
            answers.setdefault(key, [])
            continue
        (answers[key] if key else preamble).append(paragraph)
    return answers, preamble


def _ticked(paragraphs: list[str]) -> tuple[list[str], int]:
    ticked, boxes = [], 0
    for paragraph in paragraphs:
        for box in _CHECKBOX.finditer(paragraph):
            boxes += 1
            if "checked" in box["attrs"]:
                ticked.append(box["label"].strip())
    return ticked, boxes


def _pairs(paragraphs: list[str]) -> dict[str, str]:
    """The organisation block: a label paragraph, then its value paragraph."""
    out: dict[str, str] = {}
    label = None
    for paragraph in paragraphs:
        folded = normalise(paragraph.rstrip(" *:"))
        if folded in ORG_LABELS and label is None:
            label = ORG_LABELS[folded]
        elif label:
            out.setdefault(label, paragraph)
            label = None
    return out


def _joined(paragraphs: list[str]) -> str:
    return "\n\n".join(" ".join(p.split()) for p in paragraphs if p.strip())


def read(text: str, path: str, *, file_name: str, corpus: Any) -> ImportResult:
    result = ImportResult()
    answers, preamble = _blocks(text)
    title = _joined(answers.get("title", []))
    if "raportti kumppanuusavustustoiminnasta" not in normalise(text[:500]) or not title:
        result.problems.append(Problem(path, None, "", "tämä ei näytä kumppanuusavustuksen raporttilomakkeelta: "
                                                        "otsikko tai kohta \"Avustetun toiminnan nimi\" puuttuu"))
        return result
    vocab = corpus.vocabularies if corpus else {}
    org_fields = _pairs(answers.get("org_block", []))
    report_type = _joined(answers.get("report_type", [])[:1])
    sent = _SENT.search(text)
    source: dict[str, Any] = {"title": f"Raportti kumppanuusavustustoiminnasta ({report_type.lower() or 'raportti'}): {title}"}
    if org_fields.get("name"):
        source["publisher"] = org_fields["name"]
    if sent and finnish_date(sent[1]):
        source["date"] = finnish_date(sent[1])
    source["file"] = file_name

    project: dict[str, Any] = {"title": title}
    acronym = re.match(r"^([A-ZÅÄÖ0-9+-]{2,15})\s+[-–]\s+", title)
    if acronym:
        project["acronym"] = acronym[1]
    description = _joined(answers.get("description", []))
    if description:
        lead, rest = first_sentence(description)
        project["summary"] = lead
        if rest:
            project["description"] = rest
    status = {"valiraportti": "running", "loppuraportti": "ended"}.get(normalise(report_type))
    if status:
        project["status"] = status

    # The organisation: an existing record by business ID or name, else a new one.
    name, business_id = org_fields.get("name"), org_fields.get("business_id")
    if name:
        existing = find_organisation(corpus, name, business_id)
        if existing:
            project["implementers"] = [existing]
            result.unplaced.append(f"organisaatio {name} on jo sisällössä tunnisteella {existing}: sitä ei tuoda uudelleen")
        else:
            org: dict[str, Any] = {"title": name}
            purpose = _joined(answers.get("purpose", [])[:1])
            if purpose:
                org["summary"] = purpose
            if business_id:
                org["business_id"] = business_id
            home = vocabulary_index(vocab.get("municipalities", {})).get(normalise(org_fields.get("home", "")))
            if home:
                org["municipality"] = home
            elif org_fields.get("home"):
                result.unplaced.append(f"kotipaikkakunta {org_fields['home']}: ei sanastossa municipalities")
            field = answers.get("field", [])
            if field:
                org["field"] = " ".join(field[0].split())
            org["sources"] = [dict(source)]
            org["editor_notes"] = "Tuotu raporttilomakkeen organisaation tiedoista; lyhyt kuvaus on lomakkeen toiminnan tarkoitus."
            result.drafts.append(Draft("organisation", slugify(name), org))
            project["implementers"] = [slugify(name)]
        for key, label in (("address", "postiosoite"), ("postcode", "postinumero ja -toimipaikka")):
            if org_fields.get(key):
                result.unplaced.append(f"organisaation {label}: ei kenttää")

    _vocab_values(project, "age_groups", answers.get("age_table", []), vocab, result)
    _places(project, answers.get("municipality_table", []), vocab, result)
    target = _joined(answers.get("target_group", []))
    if target:
        project["target_group_description"] = target
    _funding(project, preamble, answers, vocab, result)
    feedback, narrative = [], []
    for paragraph in answers.get("feedback", []):
        quote = _QUOTE.match(" ".join(paragraph.split()))
        if quote:
            feedback.append({k: v for k, v in (("text", quote["text"].strip()), ("who", quote["who"])) if v})
        else:
            narrative.append(paragraph)
    results: dict[str, Any] = {}
    if narrative:
        results["summary"] = _joined(narrative)
    reached = _joined(answers.get("reached", []))
    period = _joined(answers.get("period", []))
    if re.fullmatch(r"\d+", reached):
        indicator: dict[str, Any] = {"name": "Toiminnalla tavoitetut kohderyhmän edustajat", "achieved": float(reached), "unit": "henkilöä"}
        if period:
            indicator["note"] = f"Toimintakausi {period}"
        results["indicators"] = [indicator]
    if results:
        project["results"] = results
    if feedback:
        project["feedback"] = feedback
    for key, field_name in (("outreach", "outreach"), ("plans", "plans")):
        value = _joined(answers.get(key, []))
        if value:
            project[field_name] = value
    project["sources"] = [source]
    project["editor_notes"] = ("Tuotu kumppanuusavustuksen raporttilomakkeesta; lyhyt kuvaus on toteutustavan ensimmäinen virke, "
                               "tila luettu raportin lajista. Vastaajan henkilötietoja ei tuotu.")
    result.drafts.insert(0, Draft("project", slugify(acronym[1] if acronym else title), project))

    if answers.get("respondent_block") or "Lähtettäjä:" in text or "Lähettäjä:" in text:
        result.unplaced.append("vastaajan ja lähettäjän nimi, sähköposti ja puhelin: henkilötietoja, jätetty pois")
    for key, label in (("measurement", "Mittarit ja niiden tulokset"), ("achievements", "Saavutukset organisaatiolle"),
                       ("cooperation", "Yhteistyö toimijatahojen kanssa"), ("county_support", "Hyvinvointialueen yhteistyö ja tuki"),
                       ("wishes", "Yhteistyötoiveet hyvinvointialueelle"), ("impact", "Vaikutus koko toiminta-ajalta"),
                       ("reached_range", "Tavoitettujen määrä luokkana"), ("attachments", "Liitteet")):
        value = _joined(answers.get(key, []))
        if value:
            result.unplaced.append(f"{label}: {value[:80]}{'…' if len(value) > 80 else ''} (kirjoita tarvittaessa käsin)")
    for key, label in (("service_areas", "Hyvinvointialueen palvelutoimialueet"), ("continuation", "Jatkuuko toiminta")):
        if answers.get(key):
            result.unplaced.append(f"{label}: valintaa ei näy tekstiviennissä")
    return result


def _vocab_values(project: dict, key: str, paragraphs: list[str], vocab: dict, result: ImportResult) -> None:
    ticked, boxes = _ticked(paragraphs)
    index = vocabulary_index(vocab.get(key, {}))
    values = []
    for label in ticked:
        value = index.get(normalise(label))
        if value:
            values.append(value)
        else:
            result.unplaced.append(f"rastitettu {label}: ei sanastossa {key}")
    if values:
        project[key] = values
    if paragraphs and not boxes:
        result.unplaced.append(f"{key}: taulukossa ei tunnistettu valintaruutuja")


def _places(project: dict, paragraphs: list[str], vocab: dict, result: ImportResult) -> None:
    ticked, _ = _ticked(paragraphs)
    municipalities = vocabulary_index(vocab.get("municipalities", {}))
    regions = vocabulary_index(vocab.get("regions", {}))
    found_m, found_r = [], []
    for label in ticked:
        whole = re.match(r"^(.+?), kattaen kaikki", label)
        if whole and regions.get(normalise(whole[1])):
            found_r.append(regions[normalise(whole[1])])
        elif municipalities.get(normalise(label)):
            found_m.append(municipalities[normalise(label)])
        else:
            result.unplaced.append(f"rastitettu {label}: ei sanastossa municipalities")
    if found_m:
        project["municipalities"] = found_m
    if found_r:
        project["regions"] = found_r


def _funding(project: dict, preamble: list[str], answers: dict, vocab: dict, result: ImportResult) -> None:
    amount_text = _joined(answers.get("amount", []))
    grantor = next((m for p in preamble if (m := _GRANTOR.match(" ".join(p.split())))), None)
    if not grantor:
        if amount_text:
            result.unplaced.append(f"avustussumma {amount_text}: myöntäjää ei tunnistettu")
        return
    county = grantor["county"]
    # "Pohjois-Savon hyvinvointialue" → the funder "Pohjois-Savon hyvinvointialueen kumppanuusavustus".
    funder = vocabulary_index(vocab.get("funders", {})).get(normalise(f"{county}en kumppanuusavustus"))
    if not funder:
        result.unplaced.append(f"rahoittaja {county} (kumppanuusavustus): ei sanastossa funders")
        return
    funding: dict[str, Any] = {"funder": funder}
    amount = re.fullmatch(r"([\d\s\u00a0]+)(?:,(\d+))?\s*€", amount_text)
    if amount:
        funding["amount_eur"] = float(re.sub(r"\s", "", amount[1]) + (f".{amount[2]}" if amount[2] else ""))
    period = _joined(answers.get("period", []))
    if period:
        funding["description"] = f"myönnetty toimintavuodelle; toiminta-aika {period}"
    project["funding"] = [funding]
