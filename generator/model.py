"""The record model: one source of truth for every record kind.

The pydantic models validate records, collect every problem of a file at once and
export the JSON Schema that editors point their YAML tooling at. Every field has a
Finnish title and description, because the people who write the YAML are Finnish
coordinators, not programmers.

Which fields allow formatting: fields typed ``Text`` are *plain text with paragraphs and
lists* (blank line = new paragraph, lines starting with "- " = bullet list). Everything
else is a single line of plain text. No field is ever rendered as HTML; URLs live only in
``Url`` fields, which accept http, https and mailto.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BeforeValidator, BaseModel, ConfigDict, Field, StrictFloat, field_validator, model_validator
from stdnum.fi import ytunnus

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
URL_SCHEMES = ("http://", "https://", "mailto:")
# Dates outside these years are typing mistakes (9999-12-31), and every year between the
# first and the last would get a page of its own.
MIN_YEAR, MAX_YEAR = 1900, 2100
# Finnish names a person may write instead of a choice's key (status: päättynyt → ended).
STATUS_NAMES = {"planned": "suunnitteilla", "applied": "rahoitusta haettu", "running": "käynnissä", "ended": "päättynyt"}
QUALIFIER_NAMES = {"over": "yli", "at_least": "vähintään", "about": "noin"}

# Characters no field may hold: controls (XML, and so the feed, forbids them), U+FFFE/U+FFFF,
# lone surrogates (not text: no file can be written with them), line and paragraph separators
# (line breaks that editors do not show), and the bidirectional embeddings, overrides and
# isolates and marks that make text show in another order than it is written.
_REFUSED_CHARACTERS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufffe\uffff\ud800-\udfff]")
_CHARACTER_NAMES = {0x00: "NUL", 0x0B: "pystysarkain", 0x0C: "sivunvaihto", 0x0D: "rivinvaihto (CR)", 0x85: "NEL-rivinvaihto",
                    0x2028: "rivinerotin", 0x2029: "kappaleenerotin", 0x202E: "oikealta vasemmalle -ohitus",
                    0x202D: "vasemmalta oikealle -ohitus", 0xFFFE: "ei-merkki", 0xFFFF: "ei-merkki"}


def character_name(char: str) -> str:
    """A refused character as an editor can find it: its name and code, e.g. "pystysarkain (U+000B)"."""
    code = ord(char)
    name = _CHARACTER_NAMES.get(code) or ("suuntamerkki" if 0x202A <= code <= 0x2069 or code in (0x061C, 0x200E, 0x200F) else
                                          "puolikas merkki" if 0xD800 <= code <= 0xDFFF else "ohjausmerkki")
    return f"{name} (U+{code:04X})"


def refused_character(value: str) -> str | None:
    """The message for the first character of ``value`` that no text may hold, or None."""
    found = _REFUSED_CHARACTERS.search(value)
    if found is None:
        return None
    return f"tekstissä on näkymätön merkki {character_name(found.group())}, joka ei kuulu tekstiin; poista se"


def _check_characters(value: str) -> str:
    message = refused_character(value.replace("\r\n", "\n"))
    if message:
        raise ValueError(message)
    return value


def _check_url(value: str) -> str:
    _check_characters(value)
    if not value.lower().startswith(URL_SCHEMES) or any(c.isspace() for c in value):
        raise ValueError("osoitteen pitää alkaa http://, https:// tai mailto: eikä siinä saa olla välilyöntejä")
    return value


def _check_line(value: str) -> str:
    _check_characters(value)
    if "\n" in value.strip():
        raise ValueError("kentän pitää olla yksi rivi")
    return value.strip()


def _check_text(value: str) -> str:
    return _check_characters(value).strip()


def _check_business_id(value: str) -> str:
    if not re.fullmatch(r"\d{7}-\d", value):
        raise ValueError("Y-tunnuksen muoto on 1234567-8")
    if not ytunnus.is_valid(value):
        raise ValueError(f"Y-tunnuksen {value} tarkistusnumero (viimeinen numero) ei täsmää: tunnuksessa on kirjoitusvirhe; "
                         "tarkista se lähteestä tai ytj.fi:stä")
    return value


def _check_project_code(value: str) -> str:
    # EURA 2014 codes are a letter and digits (S21234, A73456); EURA 2021 ones start with
    # letters too (ESRA123, EURA2021-...). Loose on purpose: a letter, then digits.
    if not re.fullmatch(r"[A-ZÅÄÖ]{1,6}\d{3,8}", value):
        raise ValueError("hankekoodin muoto on kirjain ja numeroita, esim. S21234")
    return value


Url = Annotated[str, AfterValidator(_check_url), Field(json_schema_extra={"format": "uri"})]
Line = Annotated[str, Field(min_length=1), AfterValidator(_check_line)]
Text = Annotated[str, Field(min_length=1), AfterValidator(_check_text)]
Ref = Annotated[str, Field(pattern=SLUG_RE.pattern, title="Viite", description="Toisen tietueen tunniste (tiedostonimi ilman päätettä).")]
VocabRef = Annotated[str, Field(min_length=1, title="Sanaston arvo", description="Arvo sanastosta (content/vocabularies/).")]


def f(title: str, description: str, **kwargs):
    """A field with the Finnish title and description editors see in their tooling."""
    return Field(title=title, description=description, **kwargs)


class Strict(BaseModel):
    """Base: unknown keys are errors, so typos in field names do not vanish silently."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, allow_inf_nan=False)

    @field_validator("*", mode="after")
    @classmethod
    def _sane_year(cls, value: object) -> object:
        if isinstance(value, dt.date) and not MIN_YEAR <= value.year <= MAX_YEAR:
            raise ValueError(f"vuosi {value.year} ei ole väliltä {MIN_YEAR}–{MAX_YEAR}; tarkista päivämäärä")
        return value


class Source(Strict):
    """A document a record's facts come from, shown to readers as title, publisher, date and a
    link where a public copy exists. ``file`` is for editors only and never shown on the site."""

    title: Line = f("Lähteen nimi", "Asiakirjan nimi, esim. 'TOUKO-hankkeen väliraportti'.")
    publisher: Line | None = f("Julkaisija", "Kuka asiakirjan on laatinut tai julkaissut, esim. 'Mielihyvin Savosta ry'.", default=None)
    file: Line | None = f(
        "Lähdetiedosto", "Toimituksen lähdeaineiston tiedostonimi. Vain toimitukselle: ei näy sivustolla eikä avoimessa datassa.", default=None
    )
    url: Url | None = f("Verkko-osoite", "Julkisen kappaleen verkko-osoite, jos sellainen on.", default=None)
    date: dt.date | None = f("Päiväys", "Asiakirjan päiväys (VVVV-KK-PP).", default=None)
    year: int | None = f("Vuosi", "Asiakirjan vuosi, jos tarkkaa päiväystä ei ole.", default=None, ge=1900, le=2100)
    pages: Line | None = f("Kohta", "Sivut tai luku, josta tieto on.", default=None)

    @model_validator(mode="after")
    def _needs_location(self) -> Source:
        if not self.file and not self.url:
            raise ValueError("lähteellä pitää olla file tai url")
        if self.date and self.year and self.date.year != self.year:
            raise ValueError(f"vuosi {self.year} ei ole päiväyksen {self.date.isoformat()} vuosi; anna vain toinen")
        return self


class Link(Strict):
    title: Line = f("Linkin teksti", "Mitä linkin takana on.")
    url: Url = f("Osoite", "http-, https- tai mailto-osoite.")


class Period(Strict):
    start: dt.date | None = f("Alkaa", "Alkupäivä (VVVV-KK-PP).", default=None)
    end: dt.date | None = f("Päättyy", "Loppupäivä (VVVV-KK-PP).", default=None)
    note: Line | None = f("Tarkennus", "Vapaa kuvaus, jos tarkkoja päiviä ei ole, esim. 'kevät 2017'.", default=None)

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.start and self.end and self.end < self.start:
            raise ValueError(f"päättymispäivä {self.end.isoformat()} on ennen alkamispäivää {self.start.isoformat()}")
        return self


class Indicator(Strict):
    name: Line = f("Mittari", "Mitä mitataan, esim. 'Toimintaan kirjautuneet henkilöt'.")
    target: StrictFloat | None = f("Tavoite", "Tavoitearvo numerona.", default=None)
    achieved: StrictFloat | None = f("Toteutunut", "Toteutunut arvo numerona.", default=None)
    qualifier: Annotated[Literal["over", "at_least", "about"], BeforeValidator(_choice(QUALIFIER_NAMES))] | None = f(
        "Tarkenne", "Toteutuneen arvon tarkenne: yli (over), vähintään (at_least) tai noin (about).", default=None
    )
    unit: Line | None = f("Yksikkö", "Esim. 'henkilöä', '%', 'pistettä'.", default=None)
    date: dt.date | None = f("Ajankohta", "Milloin arvo mitattiin tai mihin mennessä tavoite on (VVVV-KK-PP).", default=None)
    note: Line | None = f("Huomio", "Lyhyt selitys.", default=None)

    @model_validator(mode="after")
    def _unit_with_numbers(self) -> Indicator:
        if (self.achieved is not None or self.target is not None) and not self.unit:
            raise ValueError("mittarilla on arvo mutta ei yksikköä (unit)")
        if self.achieved is None and self.target is None:
            raise ValueError("mittarilla pitää olla tavoite (target) tai toteutunut arvo (achieved)")
        return self


class Results(Strict):
    summary: Text | None = f("Tulokset", "Tulokset kertomuksena.", default=None)
    indicators: list[Indicator] = f("Mittarit", "Tulosmittarit: tavoite ja toteutunut.", default_factory=list)


class Step(Strict):
    title: Line = f("Vaihe", "Toimenpiteen tai vaiheen nimi.")
    description: Text | None = f("Kuvaus", "Mitä tehdään.", default=None)
    steps: list[Line] = f("Askeleet", "Vaiheen askeleet lyhyesti.", default_factory=list)


class Quote(Strict):
    text: Text = f("Palaute", "Palaute sanatarkasti lähteestä.")
    who: Line | None = f("Kuka", "Nimetön kuvaus palautteen antajasta, kuten lähteessä.", default=None)


class Lesson(Strict):
    title: Line | None = f("Otsikko", "Lyhyt otsikko.", default=None)
    text: Text = f("Opittua", "Mitä opittiin, mikä oli vaikeaa.")


class Decision(Strict):
    body: Line = f("Päättäjä", "Kuka päätti, esim. 'RRF Keski-Pohjanmaa -hankkeen hankejohtoryhmä'.")
    date: dt.date | None = f("Päivämäärä", "Päätöksen päivä (VVVV-KK-PP).", default=None)
    decision: Text = f("Päätös", "Mitä päätettiin.")


class Contact(Strict):
    name: Line = f("Nimi", "Yhteyshenkilön nimi, vain jos lähde tarjoaa hänet yhteyshenkilöksi.")
    role: Line | None = f("Rooli", "Esim. 'Projektipäällikkö'.", default=None)
    organisation: Ref | None = f("Organisaatio", "Organisaation tunniste.", default=None)
    email: Line | None = f("Sähköposti", "Sähköpostiosoite.", default=None)
    phone: Line | None = f("Puhelin", "Puhelinnumero.", default=None)
    url: Url | None = f("Verkkosivu", "Verkkosivu.", default=None)


class Partner(Strict):
    name: Line = f("Kumppani", "Kumppanin nimi.")
    organisation: Ref | None = f("Organisaatio", "Kumppanin tunniste, jos sillä on oma sivu.", default=None)
    role: Line | None = f("Yhteistyö", "Mitä yhdessä tehtiin.", default=None)


class Funding(Strict):
    funder: VocabRef = f("Rahoittaja", "Rahoittaja tai ohjelma sanastosta funders.")
    amount_eur: StrictFloat | None = f("Summa (€)", "Myönnetty tai haettu summa euroina.", default=None)
    description: Line | None = f("Tarkennus", "Esim. 'toimintavuodelle 2025' tai 'haettu, ei päätöstä'.", default=None)


class Connection(Strict):
    record: Ref = f("Tietue", "Toisen hankkeen, toimintamallin tai organisaation tunniste.")
    description: Line = f("Yhteys", "Mitä yhdessä tehtiin, lähteen mukaan.")


class RecordBase(Strict):
    """Fields shared by every record kind."""

    title: Line = f("Nimi", "Tietueen nimi sellaisena kuin se näytetään.")
    summary: Text = f("Lyhyt kuvaus", "Ingressi: pari virkettä siitä, mistä on kyse.")
    description: Text | None = f("Kuvaus", "Pidempi kuvaus. Markdown-tietueessa (.md) tämä on tekstiosa.", default=None)
    added: dt.date | None = f("Lisätty", "Päivä, jona kuvaus lisättiin sivustolle (VVVV-KK-PP).", default=None)
    modified: dt.date | None = f(
        "Muokattu", "Päivä, jona kuvausta viimeksi muutettiin (VVVV-KK-PP). Jos puuttuu, päivä luetaan versionhallinnasta, kun se on käytettävissä.", default=None
    )
    links: list[Link] = f("Linkit", "Verkkosivut ja muut linkit.", default_factory=list)
    sources: list[Source] = f("Lähteet", "Asiakirjat, joista tiedot ovat. Jokainen tieto tarvitsee lähteen.", min_length=1)
    editor_notes: Text | None = f(
        "Toimituksen muistiinpanot", "Toimituksen omat huomiot lähteistä ja tiedoista. Ei näy sivustolla eikä avoimessa datassa.", default=None
    )


class Located(Strict):
    """Place, people and themes: the controlled values that facets and similarity use."""

    municipalities: list[VocabRef] = f("Kunnat", "Toteutuskunnat sanastosta municipalities.", default_factory=list)
    regions: list[VocabRef] = f("Maakunnat", "Maakunnat, jos toiminta kattaa koko maakunnan (sanasto regions).", default_factory=list)
    themes: list[VocabRef] = f("Teemat", "Teemat sanastosta themes.", default_factory=list)
    target_groups: list[VocabRef] = f("Kohderyhmät", "Kohderyhmät sanastosta target_groups.", default_factory=list)
    age_groups: list[VocabRef] = f("Ikäryhmät", "Lähellä.fi-ikäryhmät sanastosta age_groups.", default_factory=list)
    target_group_description: Text | None = f("Kohderyhmän kuvaus", "Kohderyhmä omin sanoin.", default=None)


RELATED_HELP = ("Toimintamallit ja hankkeet, jotka näytetään aina ensimmäisinä samankaltaisten listassa "
                "(toimintamalli toimintamallien, hanke hankkeiden listassa).")
NOT_RELATED_HELP = "Toimintamallit ja hankkeet, joita ei koskaan näytetä samankaltaisina."


def _choice(names: dict[str, str]):
    """A before-validator that reads a choice's Finnish name ("päättynyt", "Käynnissä") as its key."""
    by_name = {name.casefold(): key for key, name in names.items()} | {key: key for key in names}

    def read(value: object) -> object:
        return by_name.get(" ".join(value.split()).casefold(), value) if isinstance(value, str) else value
    return read


class Project(RecordBase, Located):
    """Hanke."""

    acronym: Line | None = f("Lyhenne", "Hankkeen lyhenne, esim. 'TOUKO'.", default=None)
    status: Annotated[Literal["planned", "applied", "running", "ended"], BeforeValidator(_choice(STATUS_NAMES))] = f(
        "Tila", "Suunnitteilla (planned), Rahoitusta haettu (applied), Käynnissä (running) tai Päättynyt (ended). "
        "Tiedostoon voi kirjoittaa suomenkielisen nimen tai suluissa olevan tunnisteen."
    )
    implementers: list[Ref] = f(
        "Toteuttajat", "Toteuttavat organisaatiot (tunnisteet), päätoteuttaja ensin. Jätä pois, jos lähde ei nimeä toteuttajaa.", default_factory=list
    )
    partners: list[Partner] = f("Kumppanit", "Yhteistyökumppanit.", default_factory=list)
    funding: list[Funding] = f("Rahoitus", "Rahoittajat ja summat.", default_factory=list)
    period: Period | None = f("Toiminta-aika", "Hankkeen toiminta-aika.", default=None)
    project_code: Annotated[str, AfterValidator(_check_project_code)] | None = f(
        "Hankekoodi", "Rakennerahastohankkeen koodi EURA-järjestelmässä, esim. 'S21234', jos lähde kertoo sen.", default=None
    )
    programme: Line | None = f(
        "Ohjelma", "Rahoitusohjelma, esim. 'Kestävää kasvua ja työtä 2014–2020 – Suomen rakennerahasto-ohjelma'.", default=None
    )
    priority_axis: Line | None = f("Toimintalinja", "Ohjelman toimintalinja (tai toimintapolitiikan tavoite), kuten lähteessä.", default=None)
    specific_objective: Line | None = f("Erityistavoite", "Ohjelman erityistavoite, kuten lähteessä.", default=None)
    granting_authority: Line | None = f(
        "Rahoittava viranomainen", "Välittävä toimielin tai rahoittava viranomainen, esim. 'Etelä-Savon elinkeino-, liikenne- ja ympäristökeskus'.", default=None
    )
    need: Text | None = f("Tarve", "Miksi hanke tarvitaan.", default=None)
    goals: list[Text] = f("Tavoitteet", "Hankkeen tavoitteet.", default_factory=list)
    actions: list[Step] = f("Toimenpiteet", "Työpaketit ja toimenpiteet.", default_factory=list)
    outreach: Text | None = f("Kohderyhmän tavoittaminen", "Miten kohderyhmä löydettiin ja tavoitettiin.", default=None)
    staffing: Text | None = f("Henkilöstö", "Hankkeen henkilöstö ja heidän vastuualueensa.", default=None)
    results: Results | None = f("Tulokset", "Tulokset ja mittarit.", default=None)
    feedback: list[Quote] = f("Palaute", "Osallistujien palaute sanatarkasti ja nimettömänä.", default_factory=list)
    lessons: list[Lesson] = f("Opit ja haasteet", "Mitä opittiin, mikä oli vaikeaa.", default_factory=list)
    continuation: Text | None = f("Jatko ja juurruttaminen", "Jatkuuko toiminta ja miten.", default=None)
    plans: Text | None = f("Suunnitelmat", "Seuraavan kauden tavoitteet ja suunnitelmat.", default=None)
    practices: list[Ref] = f("Toimintamallit", "Hankkeessa syntyneet toimintamallit (tunnisteet).", default_factory=list)
    collections: list[Ref] = f("Kokonaisuudet", "Kokonaisuudet, joihin hanke kuuluu.", default_factory=list)
    connections: list[Connection] = f("Yhteydet", "Yhteistyö muiden hankkeiden ja toimijoiden kanssa.", default_factory=list)
    contacts: list[Contact] = f("Yhteystiedot", "Vain lähteen ilmoittama yhteyshenkilö.", default_factory=list)
    related: list[Ref] = f("Samankaltaiset (kiinnitetyt)", RELATED_HELP, default_factory=list)
    not_related: list[Ref] = f("Ei samankaltaisia", NOT_RELATED_HELP, default_factory=list)


class Practice(RecordBase, Located):
    """Toimintamalli (hyvä käytäntö)."""

    projects: list[Ref] = f("Hankkeet", "Hankkeet, joissa malli kehitettiin.", default_factory=list)
    collections: list[Ref] = f("Kokonaisuudet", "Kokonaisuudet, joihin malli kuuluu.", default_factory=list)
    organisations: list[Ref] = f("Organisaatiot", "Mallia kehittäneet tai ylläpitävät organisaatiot.", default_factory=list)
    funders: list[VocabRef] = f("Rahoittajat", "Rahoittajat sanastosta funders.", default_factory=list)
    stage: VocabRef | None = f("Kehitysvaihe", "Kehitysvaihe sanastosta stages.", default=None)
    place: Line | None = f("Toteutuspaikka", "Missä mallia toteutetaan, esim. 'Soiten aikuisten sosiaalipalvelut'.", default=None)
    core_idea: Text | None = f("Ratkaisun perusidea", "Mallin ydin: mitä tehdään ja miksi.", default=None)
    environment: Text | None = f("Toimintaympäristö", "Missä ympäristössä ja kenen kanssa malli toimii.", default=None)
    conditions: Text | None = f("Toimivuuden ja käyttöönoton ehdot", "Mitä mallin käyttöönotto edellyttää.", default=None)
    starting_point: Text | None = f("Lähtötilanne", "Tilanne ennen kehittämistä.", default=None)
    need: Text | None = f("Tarpeet", "Kehitystyön lähtökohtana olevat tarpeet.", default=None)
    co_development: Text | None = f("Yhteiskehittäminen", "Kehittäjäjoukon kokoaminen ja yhteiskehittäminen.", default=None)
    goals: list[Text] = f("Tavoiteltu muutos", "Mitä mallilla tavoitellaan.", default_factory=list)
    actions: list[Step] = f("Toiminnan kuvaus", "Miten malli toimii: vaiheet.", default_factory=list)
    measurement: Text | None = f("Muutoksen mittaaminen", "Miten muutosta mitataan.", default=None)
    evaluation: Text | None = f("Arviointitietoa tiivistetysti", "Arvioinnin tiivistelmä.", default=None)
    results: Results | None = f("Tulokset", "Tulokset ja mittarit.", default=None)
    feedback: list[Quote] = f("Palaute", "Palaute sanatarkasti ja nimettömänä.", default_factory=list)
    lessons: list[Lesson] = f("Opit ja haasteet", "Mitä opittiin, mikä oli vaikeaa.", default_factory=list)
    adoption: list[Decision] = f("Käyttöönottopäätökset", "Kuka päätti käyttöönotosta ja milloin.", default_factory=list)
    innokyla_url: Url | None = f("Innokylä", "Mallin kuvaus Innokylässä, jos lähde antaa osoitteen.", default=None)
    attachments: list[Link] = f("Liitteet", "Liitteet ja materiaalit.", default_factory=list)
    related: list[Ref] = f("Samankaltaiset (kiinnitetyt)", RELATED_HELP, default_factory=list)
    not_related: list[Ref] = f("Ei samankaltaisia", NOT_RELATED_HELP, default_factory=list)
    contacts: list[Contact] = f("Yhteystiedot", "Vain lähteen ilmoittama yhteyshenkilö.", default_factory=list)


class Collection(RecordBase, Located):
    """Kokonaisuus: ohjelma tai koottu joukko."""

    purpose: Text | None = f("Tarkoitus ja tavoitteet", "Kokonaisuuden tarkoitus.", default=None)
    goals: list[Text] = f("Tavoitteet", "Kokonaisuuden tavoitteet.", default_factory=list)
    period: Period | None = f("Toimiaika", "Kokonaisuuden toiminta-aika.", default=None)
    actors: list[Ref] = f("Toimijat", "Organisaatiot (tunnisteet).", default_factory=list)
    actors_description: Text | None = f("Toimijat (kuvaus)", "Muut toimijat omin sanoin.", default=None)
    funders: list[VocabRef] = f("Rahoittajat", "Rahoittajat sanastosta funders.", default_factory=list)
    members: list[Ref] = f("Jäsenet", "Kokonaisuuteen kuuluvat hankkeet ja toimintamallit.", default_factory=list)
    results: Results | None = f("Tulokset", "Kokonaisuuden tulokset.", default=None)
    innokyla_url: Url | None = f("Innokylä", "Kokonaisuus Innokylässä.", default=None)


class Organisation(RecordBase):
    """Organisaatio."""

    business_id: Annotated[str, AfterValidator(_check_business_id)] | None = f(
        "Y-tunnus", "Y-tunnus muodossa 1234567-8, jos lähde kertoo sen.", default=None
    )
    municipality: VocabRef | None = f("Kotikunta", "Kotikunta sanastosta municipalities.", default=None)
    purpose: Text | None = f("Tarkoitus", "Organisaation toiminnan tarkoitus.", default=None)
    field: Line | None = f("Toimiala", "Toimiala, esim. Lähellä.fi-luokittelun mukaan.", default=None)
    website: Url | None = f("Verkkosivut", "Organisaation verkkosivut.", default=None)


# --- vocabularies ---------------------------------------------------------------------


class Term(Strict):
    label: Line = f("Nimi", "Arvon nimi suomeksi, näytetään sivustolla.")
    description: Line | None = f("Kuvaus", "Lyhyt selitys.", default=None)


class Place(Term):
    """A municipality, region or wellbeing services county, as Statistics Finland classifies it."""

    code: str | None = f("Koodi", "Tilastokeskuksen virallinen koodi, esim. kunnalla '297', maakunnalla '11'.", default=None, pattern=r"^[0-9]{2,3}$")
    label_sv: Line | None = f("Nimi ruotsiksi", "Ruotsinkielinen nimi luokituksen mukaan, jos se on eri kuin suomenkielinen.", default=None)


class Municipality(Place):
    region: VocabRef = f("Maakunta", "Maakunta sanastosta regions.")
    county: VocabRef | None = f("Hyvinvointialue", "Hyvinvointialue sanastosta counties.", default=None)
    part_of: VocabRef | None = f("Osa kuntaa", "Jos kyseessä on entinen kunta, nykyinen kunta, esim. Juankoski → Kuopio.", default=None)


class Funder(Term):
    parent: VocabRef | None = f("Yläkäsite", "Ohjelma tai rahoittaja, jonka alle tämä kuuluu.", default=None)


VOCABULARIES: dict[str, type[Term]] = {
    "themes": Term,
    "target_groups": Term,
    "age_groups": Term,
    "regions": Place,
    "counties": Place,
    "municipalities": Municipality,
    "funders": Funder,
    "stages": Term,
}

KINDS: dict[str, type[RecordBase]] = {
    "project": Project,
    "practice": Practice,
    "collection": Collection,
    "organisation": Organisation,
}

# Folder under content/ → record kind. The folder names are the site's Finnish URLs.
FOLDERS: dict[str, str] = {
    "hankkeet": "project",
    "toimintamallit": "practice",
    "kokonaisuudet": "collection",
    "organisaatiot": "organisation",
}
# The same the other way round: where each kind's records (and pages) live.
KIND_FOLDERS: dict[str, str] = {kind: folder for folder, kind in FOLDERS.items()}

# What the site and its open data never show: editors' notes and the working file names of sources.
EDITOR_ONLY: dict[str, object] = {"editor_notes": True, "sources": {"__all__": {"file"}}}

STATUS_LABELS = {"planned": "Suunnitteilla", "applied": "Rahoitusta haettu", "running": "Käynnissä", "ended": "Päättynyt"}
QUALIFIER_LABELS = {"over": "yli", "at_least": "vähintään", "about": "noin"}
