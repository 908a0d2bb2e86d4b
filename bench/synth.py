"""Deterministic synthetic content for the scale benchmarks: a whole MkDocs site in one folder.

``make_site(out_dir, n_records, seed)`` writes::

    out_dir/
      mkdocs.yml          the repository's mkdocs.yml (nav, plugins, theme as they are now)
                          with docs_dir: content and site_dir: site
      overrides -> <repo>/overrides   (symlink, so theme.custom_dir resolves as in the repo)
      content/
        vocabularies/*.yml   copied from the repository: facet values are the real ones
        sivut/*.md           the repository's editorial pages (the nav needs them)
        toimintamallit/ hankkeet/ kokonaisuudet/ organisaatiot/   synthetic records

``n_records`` is the total number of records, split like the issue's mix "N practices +
N/2 projects + N/20 collections + N/10 organisations", i.e. 1 : 0.5 : 0.05 : 0.1 — about 61 %
practices, 30 % projects, 3 % collections and 6 % organisations. Every record validates against
generator.model, every reference points at an existing record of the right kind and every
controlled value exists in the copied vocabularies, so ``hankekirjasto check`` passes.

Field fill follows the repository's own records: practices are the fullest (summary,
core_idea, need, goals, actions with steps, results with indicators, lessons, feedback,
sources), projects a little lighter, organisations short. Text is Finnish-like: real Finnish
words with case endings chosen by vowel harmony, biased towards a per-record topic so that the
similarity step sees realistic overlap rather than uniform noise.

Run from the repository root::

    .venv/bin/python bench/synth.py out/synth-1000 1000 [--seed 20261123]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import re
import shutil
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
SEED = 20261123

# Mix of record kinds, relative to the number of practices.
MIX = {"practice": 1.0, "project": 0.5, "collection": 0.05, "organisation": 0.1}
FOLDERS = {"practice": "toimintamallit", "project": "hankkeet", "collection": "kokonaisuudet", "organisation": "organisaatiot"}

# --- Finnish-like text --------------------------------------------------------------------

NOUNS = """
hanke toimintamalli kehittäminen yhteistyö osallisuus hyvinvointi työllisyys työkyky
toimintakyky kuntoutus ohjaus neuvonta palvelu palveluohjaus asiakas asukas nuori perhe
lapsi vanhempi ikäihminen omainen vapaaehtoinen vertaistuki ryhmä ryhmätoiminta valmennus
työhönvalmennus työpaja koulutus opiskelu oppilaitos koulu kunta kaupunki hyvinvointialue
järjestö yhdistys seurakunta yritys työnantaja työpaikka työelämä työtoiminta kokeilu
mielenterveys päihdetyö riippuvuus liikunta kulttuuri taide musiikki luonto ympäristö
asuminen yhteisö kylä lähiö kohtaamispaikka olohuone verkosto kumppanuus tapahtuma
kysely arviointi mittari tulos tavoite tarve muutos vaikutus kokemus osaaminen
tieto viestintä esite verkkosivu sosiaalityö sosiaaliohjaus terveydenhoitaja ammattilainen
työntekijä ohjaaja koordinaattori hankepäällikkö kokemusasiantuntija kotoutuminen kieli
suomi digituki laite sovellus etäyhteys ruoka arki talous velka raha-asia toimeentulo
elämänhallinta yksinäisyys syrjäytyminen ennaltaehkäisy varhainen tuki kriisi turvallisuus
harrastus kesä talvi syksy kevät viikko kuukausi vuosi ilta aamu päivä tila kahvila
keittiö puutarha metsä polku reitti kartoitus suunnitelma polku prosessi malli menetelmä
työote keskustelu haastattelu palaute kehittäjä kehittämistyö juurruttaminen rahoitus
päätös johto johtoryhmä ohjausryhmä sopimus lupa rekisteri asiakirja raportti loppuraportti
"""

ADJECTIVES = """
matala pieni uusi yhteinen paikallinen alueellinen valtakunnallinen monialainen
moniammatillinen kokonaisvaltainen yksilöllinen yhteisöllinen ennaltaehkäisevä
tavoitteellinen pitkäaikainen lyhyt selkeä toimiva turvallinen avoin maksuton
vapaaehtoinen ammatillinen sosiaalinen henkinen fyysinen digitaalinen osallistava
kestävä joustava säännöllinen tuettu vaikuttava vahva hyvä parempi helppo
"""

VERBS = """
kehittää tukee vahvistaa edistää järjestää tarjoaa ohjaa kokoaa lisää parantaa
vähentää tavoittaa kohtaa kartoittaa kouluttaa mittaa arvioi juurruttaa levittää
yhdistää selkeyttää helpottaa madaltaa rohkaisee innostaa auttaa palvelee kuuntelee
suunnittelee toteuttaa
"""

CONNECTIVES = """
ja ja ja sekä myös tai kanssa mukaan avulla aikana kautta lisäksi erityisesti yhdessä
jotta koska kun esimerkiksi
"""

FIRST_NAMES = """Aino Eero Helmi Ilkka Johanna Juha Kaisa Kari Laura Leena Markku Minna Niina Olli
Paula Pekka Riikka Sami Satu Tapio Tiina Timo Ulla Ville""".split()
LAST_NAMES = """Heikkinen Hiltunen Huttunen Kettunen Korhonen Lappalainen Miettinen Nieminen
Partanen Pesonen Rautiainen Ryynänen Savolainen Tolvanen Turunen Väisänen""".split()
ROLES = ["Projektipäällikkö", "Hankekoordinaattori", "Toiminnanjohtaja", "Palveluesihenkilö", "Kehittämispäällikkö"]
UNITS = ["henkilöä", "asiakasta", "osallistujaa", "kertaa", "tapahtumaa", "%", "ryhmää", "vapaaehtoista", "pistettä"]
WHO = ["nainen 34v", "mies 52v", "osallistuja", "nuori", "vapaaehtoinen", "ammattilainen", "omainen", "asiakas"]
ORG_SUFFIXES = ["ry", "säätiö sr", "osuuskunta", "kaupunki", "hyvinvointialue", "yhdistys ry"]
FIELDS = ["Sosiaali- ja terveysala", "Työllisyyspalvelut", "Nuorisotyö", "Liikunta ja urheilu", "Kulttuuri", "Asuminen"]
DOC_KINDS = ["loppuraportti", "väliraportti", "hankesuunnitelma", "toimintamallin kuvaus", "diasarja", "arviointiraportti"]
WORDS = [w for w in NOUNS.split()]

BACK = set("aou")
ENDINGS_BACK = ["", "", "", "n", "n", "ssa", "sta", "lla", "lle", "ksi", "t", "a", "an", "issa", "ille"]


def _is_back(word: str) -> bool:
    return any(ch in BACK for ch in word)


def inflect(word: str, rng: random.Random) -> str:
    """A real Finnish word with a case ending; vowel harmony picks a/ä, o/ö, u/y."""
    if word[-1] not in "aouyäöi":
        return word  # e- and consonant stems change inside (tavoite → tavoitteen): keep them as they are
    ending = rng.choice(ENDINGS_BACK)
    if not _is_back(word):
        ending = ending.replace("a", "ä").replace("o", "ö").replace("u", "y")
    if ending in ("a", "ä") and word[-1] in "aä":
        ending = "n"
    return word + ending


def business_id(rng: random.Random) -> str:
    """A business ID with a valid check digit (a number whose remainder is 1 has none)."""
    while True:
        number = str(rng.randint(1000000, 3399999))
        remainder = sum(int(d) * w for d, w in zip(number, (7, 9, 10, 5, 8, 4, 2))) % 11
        if remainder != 1:
            return f"{number}-{0 if remainder == 0 else 11 - remainder}"


class Lorem:
    """Finnish-like sentences, biased towards a topic word list."""


    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.adjectives = ADJECTIVES.split()
        self.verbs = VERBS.split()
        self.connectives = CONNECTIVES.split()

    def word(self, topic: list[str]) -> str:
        pool = topic if topic and self.rng.random() < 0.55 else WORDS
        return inflect(self.rng.choice(pool), self.rng)

    def sentence(self, topic: list[str], low: int = 6, high: int = 14) -> str:
        rng = self.rng
        n = rng.randint(low, high)
        words: list[str] = []
        for i in range(n):
            roll = rng.random()
            if i == 1:
                words.append(rng.choice(self.verbs))
            elif roll < 0.14:
                words.append(rng.choice(self.connectives))
            elif roll < 0.30:
                words.append(rng.choice(self.adjectives))
            else:
                words.append(self.word(topic))
        text = " ".join(words)
        return text[0].upper() + text[1:] + "."

    def paragraph(self, topic: list[str], low: int = 1, high: int = 3) -> str:
        return " ".join(self.sentence(topic) for _ in range(self.rng.randint(low, high)))

    def text(self, topic: list[str], paragraphs: tuple[int, int] = (1, 2), bullets: float = 0.2) -> str:
        """A ``Text`` field: paragraphs separated by blank lines, sometimes a "- " list."""
        parts = [self.paragraph(topic) for _ in range(self.rng.randint(*paragraphs))]
        if self.rng.random() < bullets:
            parts.append("\n".join("- " + self.sentence(topic, 4, 9)[:-1].lower() for _ in range(self.rng.randint(2, 5))))
        return "\n\n".join(parts)

    def title(self, topic: list[str], low: int = 2, high: int = 5) -> str:
        words = [self.rng.choice(self.adjectives)] + [self.word(topic) for _ in range(self.rng.randint(low, high) - 1)]
        text = " ".join(words)
        return text[0].upper() + text[1:]


def slugify(text: str) -> str:
    table = str.maketrans({"ä": "a", "ö": "o", "å": "a"})
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower().translate(table)).strip("-")
    return slug[:48].strip("-") or "tietue"


# --- vocabularies -------------------------------------------------------------------------


def load_vocabularies(folder: Path) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for path in sorted(folder.glob("*.yml")):
        out[path.stem] = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return out


class Facets:
    """Facet values from the real vocabularies, with places kept geographically coherent."""

    def __init__(self, vocab: dict[str, dict[str, Any]], rng: random.Random) -> None:
        self.rng = rng
        self.vocab = vocab
        self.by_region: dict[str, list[str]] = {}
        for key, term in vocab.get("municipalities", {}).items():
            if isinstance(term, dict) and not term.get("part_of"):
                self.by_region.setdefault(term.get("region", ""), []).append(key)
        self.by_region = {r: sorted(m) for r, m in self.by_region.items() if r}

    def keys(self, name: str) -> list[str]:
        return list(self.vocab.get(name, {}))

    def some(self, name: str, low: int, high: int) -> list[str]:
        keys = self.keys(name)
        if not keys:
            return []
        return sorted(self.rng.sample(keys, min(len(keys), self.rng.randint(low, high))))

    def places(self) -> tuple[list[str], list[str]]:
        """(municipalities, regions): usually a few municipalities of one region."""
        if not self.by_region:
            return [], []
        region = self.rng.choice(sorted(self.by_region))
        if self.rng.random() < 0.15:
            return [], [region]
        pool = self.by_region[region]
        return sorted(self.rng.sample(pool, min(len(pool), self.rng.randint(1, 4)))), []


# --- records ------------------------------------------------------------------------------


class Synth:
    """Builds all records in memory first, so references can point anywhere."""

    def __init__(self, vocab: dict[str, dict[str, Any]], seed: int) -> None:
        self.rng = random.Random(seed)
        self.lorem = Lorem(self.rng)
        self.facets = Facets(vocab, self.rng)
        self.used: set[str] = set()
        self.topics: dict[str, list[str]] = {}
        for theme in sorted(self.facets.keys("themes")) or ["yleinen"]:
            topic_rng = random.Random(f"{seed}:{theme}")
            self.topics[theme] = topic_rng.sample(WORDS, 30)

    # helpers
    def new_id(self, title: str) -> str:
        base = slugify(title)
        slug, n = base, 2
        while slug in self.used:
            slug, n = f"{base}-{n}", n + 1
        self.used.add(slug)
        return slug

    def topic(self, themes: list[str]) -> list[str]:
        words: list[str] = []
        for theme in themes:
            words += self.topics.get(theme, [])
        return words

    def date(self, start: int = 2016, end: int = 2026) -> dt.date:
        first = dt.date(start, 1, 1).toordinal()
        last = dt.date(end, 11, 20).toordinal()
        return dt.date.fromordinal(self.rng.randint(first, last))

    def maybe(self, p: float) -> bool:
        return self.rng.random() < p

    def sources(self, title: str, low: int = 1, high: int = 3) -> list[dict]:
        out = []
        for _ in range(self.rng.randint(low, high)):
            source: dict[str, Any] = {"title": f"{title}: {self.rng.choice(DOC_KINDS)}"}
            if self.maybe(0.7):
                source["file"] = f"{self.rng.randint(0, 999):03d}_{self.rng.getrandbits(64):016x}.txt"
            else:
                source["url"] = f"https://example.fi/{slugify(title)}/{self.rng.randint(1, 99)}"
            if self.maybe(0.6):
                source["date"] = self.date()
            if self.maybe(0.3):
                source["pages"] = f"s. {self.rng.randint(1, 40)}–{self.rng.randint(41, 80)}"
            out.append(source)
        return out

    def steps(self, topic: list[str], low: int, high: int) -> list[dict]:
        out = []
        for _ in range(self.rng.randint(low, high)):
            step: dict[str, Any] = {"title": self.lorem.title(topic, 1, 3)}
            if self.maybe(0.85):
                step["description"] = self.lorem.text(topic, (1, 1), 0.1)
            if self.maybe(0.4):
                step["steps"] = [self.lorem.sentence(topic, 3, 7)[:-1] for _ in range(self.rng.randint(2, 5))]
            out.append(step)
        return out

    def results(self, topic: list[str]) -> dict:
        out: dict[str, Any] = {"summary": self.lorem.text(topic, (1, 3), 0.15)}
        indicators = []
        for _ in range(self.rng.randint(0, 8)):
            indicator: dict[str, Any] = {"name": self.lorem.title(topic, 2, 6), "unit": self.rng.choice(UNITS)}
            if self.maybe(0.5):
                indicator["target"] = self.rng.randint(5, 500)
            if self.maybe(0.85) or "target" not in indicator:
                indicator["achieved"] = self.rng.randint(1, 600)
            if self.maybe(0.2):
                indicator["qualifier"] = self.rng.choice(["over", "at_least", "about"])
            if self.maybe(0.3):
                indicator["date"] = self.date()
            if self.maybe(0.2):
                indicator["note"] = self.lorem.sentence(topic, 3, 7)[:-1]
            indicators.append(indicator)
        if indicators:
            out["indicators"] = indicators
        return out

    def lessons(self, topic: list[str]) -> list[dict]:
        out = []
        for _ in range(self.rng.randint(0, 3)):
            lesson: dict[str, Any] = {"text": self.lorem.paragraph(topic, 1, 3)}
            if self.maybe(0.6):
                lesson["title"] = self.lorem.title(topic, 2, 4)
            out.append(lesson)
        return out

    def feedback(self, topic: list[str]) -> list[dict]:
        return [{"text": self.lorem.paragraph(topic, 1, 3), "who": self.rng.choice(WHO)} for _ in range(self.rng.randint(0, 3))]

    def contact(self, organisations: list[str]) -> dict:
        first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
        contact: dict[str, Any] = {"name": f"{first} {last}", "role": self.rng.choice(ROLES)}
        if organisations:
            contact["organisation"] = self.rng.choice(organisations)
        contact["email"] = f"{slugify(first)}.{slugify(last)}@example.fi"
        return contact

    def located(self, record: dict) -> list[str]:
        municipalities, regions = self.facets.places()
        themes = self.facets.some("themes", 2, 5)
        if municipalities:
            record["municipalities"] = municipalities
        if regions:
            record["regions"] = regions
        record["themes"] = themes
        record["target_groups"] = self.facets.some("target_groups", 1, 3)
        if self.maybe(0.7):
            record["age_groups"] = self.facets.some("age_groups", 1, 3)
        if self.maybe(0.3):
            record["target_group_description"] = self.lorem.paragraph(self.topic(themes), 1, 2)
        return themes

    # kinds
    def organisation(self) -> tuple[str, dict]:
        name = self.lorem.title([], 1, 3)
        title = f"{name} {self.rng.choice(ORG_SUFFIXES)}"
        record: dict[str, Any] = {"title": title, "summary": self.lorem.paragraph([], 1, 2)}
        if self.maybe(0.5):
            record["description"] = self.lorem.text([], (1, 2), 0.3)
        if self.maybe(0.4):
            record["business_id"] = business_id(self.rng)
        municipalities = [m for ms in self.facets.by_region.values() for m in ms]
        if municipalities and self.maybe(0.8):
            record["municipality"] = self.rng.choice(sorted(municipalities))
        if self.maybe(0.5):
            record["purpose"] = self.lorem.paragraph([], 1, 2)
        record["field"] = self.rng.choice(FIELDS)
        if self.maybe(0.7):
            record["website"] = f"https://example.fi/{slugify(title)}"
        record["added"] = self.date(2025, 2026)
        record["sources"] = self.sources(title, 1, 1)
        return self.new_id(title), record

    def practice(self, orgs: list[str], projects: list[str], collections: list[str], practices: list[str]) -> tuple[str, dict]:
        record: dict[str, Any] = {}
        themes = self.located(record)
        topic = self.topic(themes)
        title = self.lorem.title(topic, 2, 5)
        record = {"title": title, "summary": self.lorem.paragraph(topic, 2, 3), **record}
        if self.maybe(0.5):
            record["description"] = self.lorem.text(topic, (1, 2))
        record["added"] = self.date(2024, 2026)
        record["stage"] = self.rng.choice(self.facets.keys("stages") or ["kaytossa"])
        record["organisations"] = sorted(self.rng.sample(orgs, min(len(orgs), self.rng.randint(1, 2))))
        if projects and self.maybe(0.6):
            record["projects"] = sorted(self.rng.sample(projects, min(len(projects), self.rng.randint(1, 2))))
        if collections and self.maybe(0.3):
            record["collections"] = [self.rng.choice(collections)]
        if self.maybe(0.7):
            record["funders"] = self.facets.some("funders", 1, 2)
        if self.maybe(0.5):
            record["place"] = self.lorem.sentence(topic, 3, 6)[:-1]
        record["core_idea"] = self.lorem.text(topic, (1, 2))
        for name, p in (("environment", 0.5), ("conditions", 0.5), ("starting_point", 0.4), ("need", 0.8), ("co_development", 0.3)):
            if self.maybe(p):
                record[name] = self.lorem.text(topic, (1, 2), 0.3)
        record["goals"] = [self.lorem.sentence(topic, 6, 14) for _ in range(self.rng.randint(2, 5))]
        record["actions"] = self.steps(topic, 2, 6)
        if self.maybe(0.5):
            record["measurement"] = self.lorem.text(topic, (1, 1))
        if self.maybe(0.4):
            record["evaluation"] = self.lorem.text(topic, (1, 2))
        record["results"] = self.results(topic)
        if feedback := self.feedback(topic):
            record["feedback"] = feedback
        if lessons := self.lessons(topic):
            record["lessons"] = lessons
        if self.maybe(0.2):
            record["adoption"] = [{"body": self.lorem.title([], 2, 4), "date": self.date(), "decision": self.lorem.sentence(topic)}]
        if self.maybe(0.4):
            record["innokyla_url"] = f"https://innokyla.fi/fi/toimintamalli/{slugify(title)}"
        if practices and self.maybe(0.05):
            record["related"] = [self.rng.choice(practices)]
        if self.maybe(0.3):
            record["contacts"] = [self.contact(record["organisations"])]
        record["sources"] = self.sources(title)
        return self.new_id(title), record

    def project(self, orgs: list[str], collections: list[str]) -> tuple[str, dict]:
        record: dict[str, Any] = {}
        themes = self.located(record)
        topic = self.topic(themes)
        name = self.lorem.title(topic, 2, 5)
        acronym = "".join(w[0] for w in name.split()).upper() + str(self.rng.randint(1, 99))
        title = f"{acronym} – {name}"
        record = {"title": title, "acronym": acronym, "summary": self.lorem.paragraph(topic, 2, 3), **record}
        if self.maybe(0.5):
            record["description"] = self.lorem.text(topic, (1, 3))
        record["added"] = self.date(2024, 2026)
        record["status"] = self.rng.choice(["planned", "applied", "running", "ended", "ended"])
        record["implementers"] = sorted(self.rng.sample(orgs, min(len(orgs), self.rng.randint(1, 2))))
        if self.maybe(0.5):
            partners = []
            for _ in range(self.rng.randint(1, 3)):
                partner: dict[str, Any] = {"name": self.lorem.title([], 1, 3) + " ry"}
                if self.maybe(0.4):
                    partner["organisation"] = self.rng.choice(orgs)
                if self.maybe(0.5):
                    partner["role"] = self.lorem.sentence(topic, 3, 6)[:-1]
                partners.append(partner)
            record["partners"] = partners
        funding = []
        for funder in self.facets.some("funders", 1, 2):
            item: dict[str, Any] = {"funder": funder}
            if self.maybe(0.6):
                item["amount_eur"] = self.rng.randint(10, 900) * 1000
            funding.append(item)
        record["funding"] = funding
        start = self.date(2016, 2025)
        record["period"] = {"start": start, "end": start + dt.timedelta(days=self.rng.randint(180, 1100))}
        if self.maybe(0.8):
            record["need"] = self.lorem.text(topic, (1, 2))
        record["goals"] = [self.lorem.sentence(topic, 6, 14) for _ in range(self.rng.randint(1, 4))]
        record["actions"] = self.steps(topic, 1, 5)
        for name, p in (("outreach", 0.3), ("staffing", 0.2), ("continuation", 0.4), ("plans", 0.2)):
            if self.maybe(p):
                record[name] = self.lorem.text(topic, (1, 2), 0.3)
        if self.maybe(0.7):
            record["results"] = self.results(topic)
        if feedback := self.feedback(topic):
            record["feedback"] = feedback
        if lessons := self.lessons(topic):
            record["lessons"] = lessons
        if collections and self.maybe(0.3):
            record["collections"] = [self.rng.choice(collections)]
        if self.maybe(0.3):
            record["contacts"] = [self.contact(record["implementers"])]
        record["sources"] = self.sources(title)
        return self.new_id(title), record

    def collection(self, orgs: list[str]) -> tuple[str, dict]:
        record: dict[str, Any] = {}
        themes = self.located(record)
        topic = self.topic(themes)
        title = "Kokonaisuus: " + self.lorem.title(topic, 2, 4)
        record = {"title": title, "summary": self.lorem.paragraph(topic, 2, 3), **record}
        record["purpose"] = self.lorem.text(topic, (1, 2), 0.5)
        if self.maybe(0.5):
            record["description"] = self.lorem.text(topic, (1, 2))
        record["goals"] = [self.lorem.sentence(topic) for _ in range(self.rng.randint(1, 4))]
        start = self.date(2014, 2024)
        record["period"] = {"start": start, "end": start + dt.timedelta(days=self.rng.randint(365, 2500))}
        record["actors"] = sorted(self.rng.sample(orgs, min(len(orgs), self.rng.randint(1, 3))))
        if self.maybe(0.6):
            record["funders"] = self.facets.some("funders", 1, 2)
        if self.maybe(0.5):
            record["results"] = self.results(topic)
        record["added"] = self.date(2024, 2026)
        record["sources"] = self.sources(title, 1, 2)
        return self.new_id(title), record


def build_records(vocab: dict[str, dict[str, Any]], n_records: int, seed: int) -> dict[str, dict[str, dict]]:
    """All records by kind: {kind: {id: data}}. Same (vocabularies, n, seed) → same records."""
    total = sum(MIX.values())
    counts = {kind: max(1, round(n_records * share / total)) for kind, share in MIX.items()}
    counts["practice"] = max(1, n_records - sum(c for k, c in counts.items() if k != "practice"))
    synth = Synth(vocab, seed)
    out: dict[str, dict[str, dict]] = {kind: {} for kind in MIX}
    for _ in range(counts["organisation"]):
        rid, data = synth.organisation()
        out["organisation"][rid] = data
    orgs = sorted(out["organisation"])
    # Collections first, without members; members are filled in once practices and projects exist.
    for _ in range(counts["collection"]):
        rid, data = synth.collection(orgs)
        out["collection"][rid] = data
    collections = sorted(out["collection"])
    for _ in range(counts["project"]):
        rid, data = synth.project(orgs, collections)
        out["project"][rid] = data
    projects = sorted(out["project"])
    for _ in range(counts["practice"]):
        rid, data = synth.practice(orgs, projects, collections, sorted(out["practice"]))
        out["practice"][rid] = data
    practices = sorted(out["practice"])
    # Projects name the practices born in them (some also listed from the practice side: a set).
    for rid, data in out["project"].items():
        if practices and synth.maybe(0.4):
            data["practices"] = sorted(synth.rng.sample(practices, min(len(practices), synth.rng.randint(1, 2))))
        if synth.maybe(0.15):
            other = synth.rng.choice(projects + practices + orgs)
            if other != rid:
                data["connections"] = [{"record": other, "description": synth.lorem.sentence([], 4, 8)[:-1]}]
    members = projects + practices
    for data in out["collection"].values():
        data["members"] = sorted(synth.rng.sample(members, min(len(members), synth.rng.randint(5, 20))))
    return out


# --- writing ------------------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    """Literal blocks for multi-line text, like the hand-written records."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)

SCHEMA_COMMENT = "# yaml-language-server: $schema=../../schema/{kind}.schema.json\n"


def dump(kind: str, data: dict) -> str:
    body = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)
    return SCHEMA_COMMENT.format(kind=kind) + body


def write_mkdocs_yml(out_dir: Path, repo: Path = ROOT) -> None:
    """The repository's mkdocs.yml, unchanged except docs_dir and site_dir.

    Text-level edits keep every other line (nav, plugins, theme, tags like !ENV) as it is now.
    The theme's custom_dir and any hooks are relative to the config file, so ``overrides`` (and
    ``hooks`` if present) are symlinked next to it.
    """
    text = (repo / "mkdocs.yml").read_text(encoding="utf-8")
    for key, value in (("docs_dir", "content"), ("site_dir", "site")):
        pattern = re.compile(rf"^{key}:.*$", re.M)
        text = pattern.sub(f"{key}: {value}", text) if pattern.search(text) else f"{key}: {value}\n" + text
    (out_dir / "mkdocs.yml").write_text(text, encoding="utf-8")
    for name in ("overrides", "hooks"):
        link = out_dir / name
        if (repo / name).exists() and not link.exists():
            os.symlink(repo / name, link)


def make_site(out_dir: Path | str, n_records: int, seed: int = SEED, repo: Path = ROOT) -> dict[str, int]:
    """Write a synthetic site with ``n_records`` records to ``out_dir``; return counts by kind.

    ``out_dir/content`` is replaced; nothing outside ``out_dir`` is touched.
    """
    out_dir = Path(out_dir)
    content = out_dir / "content"
    if content.exists():
        shutil.rmtree(content)
    content.mkdir(parents=True)
    shutil.copytree(repo / "content" / "vocabularies", content / "vocabularies")
    if (repo / "content" / "sivut").is_dir():
        shutil.copytree(repo / "content" / "sivut", content / "sivut")
    vocab = load_vocabularies(content / "vocabularies")
    records = build_records(vocab, n_records, seed)
    for kind, items in records.items():
        folder = content / FOLDERS[kind]
        folder.mkdir(exist_ok=True)
        for rid, data in items.items():
            (folder / f"{rid}.yml").write_text(dump(kind, data), encoding="utf-8")
    write_mkdocs_yml(out_dir, repo)
    return {kind: len(items) for kind, items in records.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder to write (its content/ is replaced)")
    parser.add_argument("n", type=int, help="number of records in total")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    counts = make_site(args.out, args.n, args.seed)
    print(f"{sum(counts.values())} records in {args.out / 'content'}: " + ", ".join(f"{n} {k}" for k, n in counts.items()))
    print(f"build: cd {args.out} && mkdocs build")
    return 0


if __name__ == "__main__":
    sys.exit(main())
