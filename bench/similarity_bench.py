"""Benchmark generator.similarity ranking on synthetic Finnish-like items, as the site ranks them.

Two thirds of the items are practices and one third projects (as bench/synth.py writes a site).
Each size is measured two ways, alternately, in the same run: the site's ranking today, every
item against the practices and against the projects (``rank_lists``: "Samankaltaiset
toimintamallit" and "Samankaltaiset hankkeet"), and the old ranking against the practices only
(``rank(items, practices)``), so the table gives their ratio on the same machine state.

Run from the repository root:

    python bench/similarity_bench.py                   # 1k, 5k, 10k, 20k items, 3 runs each
    python bench/similarity_bench.py --sizes 1000 --runs 1
    python bench/similarity_bench.py --text long       # longer texts (~770 words per item)
    python bench/similarity_bench.py --sizes 10000 --runs 1 --recall   # vs exhaustive scoring

Items are generated deterministically (seeded) and pickled; every run is a fresh subprocess that
loads them, times ``rank(items, items)`` (wall clock, and CPU time of the process and of the
worker processes ``rank`` forks) and reports the peak RSS of the process and of its largest worker
(``resource.getrusage``), so runs share no caches or heap. ``--processes 1`` measures without
workers; whether numpy is importable decides which neighbour search runs (the output is the same).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import pickle
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.similarity import Item, SimilarityConfig, rank, rank_lists  # noqa: E402

SEED = 20261123

TARGET_GROUPS = """nuoret lapset lapsiperheet ikaihmiset maahanmuuttajat tyottomat pitkaaikaistyottomat
vammaiset mielenterveyskuntoutujat paihdekuntoutujat omaishoitajat opiskelijat vanhemmat romanit
asunnottomat vapaaehtoiset ammattilaiset yritykset kunnat jarjestot koululaiset miehet naiset
seksuaalivahemmistot vangit""".split()  # 25
THEMES = """tyollisyys osallisuus yksinaisyys mielenterveys paihteet koulutus kotoutuminen liikunta
kulttuuri asuminen perhetyo nuorisotyo vanhustyo vammaistyo digitalisaatio ymparisto ruoka talous
velkaneuvonta vertaistuki vapaaehtoistyo lahisuhdevakivalta syrjaytymisen-ehkaisy terveys
ravitsemus kuntoutus ohjaus neuvonta yhdenvertaisuus turvallisuus""".split()  # 30
REGIONS = """uusimaa varsinais-suomi satakunta kanta-hame pirkanmaa paijat-hame kymenlaakso
etela-karjala etela-savo pohjois-savo pohjois-karjala keski-suomi etela-pohjanmaa pohjanmaa
keski-pohjanmaa pohjois-pohjanmaa kainuu lappi ahvenanmaa""".split()  # 19
FUNDERS = "stea esr eakr okm stm tem kunta saatio eu-muu oma".split()  # 10
STAGES = "suunnittelu kaynnissa paattynyt vakiintunut levitys".split()  # 5

# Real words in some of their forms, mixed into the topic vocabularies.
REAL_WORDS = """nuori nuoren nuoria nuorten nuorille työllistyminen työllistymisen työllistymistä
osallisuus osallisuuden osallisuutta yksinäisyys yksinäisyyden yksinäisyyttä ikäihmiset
ikäihmisten ikäihmisille maahanmuuttaja maahanmuuttajien maahanmuuttajille perhe perheen
perheiden perheille lapsi lapsen lasten lapsille mielenterveys mielenterveyden koulutus
koulutuksen koulutukseen valmennus valmennuksen valmennusta ohjaus ohjauksen ohjausta kunta
kunnan kunnissa kuntien palvelu palvelun palveluja palveluiden vertaistuki vertaistuen
vapaaehtoinen vapaaehtoiset vapaaehtoisten kotoutuminen kotoutumisen liikunta liikunnan
liikuntaa päihde päihteiden päihteitä asuminen asumisen asunnottomuus velka velkojen työpaja
työpajan työpajoissa yritys yrityksen yritysten työ työn työtä työssä""".split()
STOP = """ja on oli sekä että myös kun jotka joka se sen ne niiden tämä tässä jossa ovat olla voi
mutta tai kuin jo vielä kanssa avulla kautta mukaan aikana lisäksi esimerkiksi""".split()
GENERIC = """hanke hankkeen hankkeessa hankkeen toiminta toiminnan toimintaa kehittäminen
kehittämisen kehittää asiakas asiakkaan asiakkaiden tavoite tavoitteena tulos tulokset vuoden
vuonna uusi uusia""".split()
ENDINGS = ["", "", "", "n", "a", "ssa", "sta", "lla", "lle", "ksi", "t", "iden", "ille", "ja", "na", "en"]
SYLLABLES = """ka ko ku ki ke ta to tu ti te sa so su si se la lo lu li le ma mo mu mi me na no nu
ni ne pa po pu pi pe ra ro ru ri re va vo vu vi ve ja jo ju ha ho hu hi he kal tal sal mal nal
pal ran ton kun sen lin vis hei koi toi mai rau sii kuu maa tie luo suo""".split()
FIELDS = ("summary", "need", "goals", "actions", "results")
# Words per field, always within 50-600. "typical": log-normal around these medians, so most
# fields are a paragraph and a few are pages (about 500 words per item). "long": triangular
# (min, mode, max), about 770 words per item.
TYPICAL_MEDIAN = {"summary": 60, "need": 90, "goals": 80, "actions": 130, "results": 90}
LONG_SHAPE = {"summary": (50, 70, 120), "need": (50, 120, 300), "goals": (50, 100, 250),
              "actions": (80, 200, 600), "results": (50, 120, 400)}


def lexicon(rng: random.Random, size: int) -> list[str]:
    """Distinct pseudo-Finnish lemmas of 2-4 syllables ending in a vowel, in random order."""
    words: set[str] = set()
    while len(words) < size:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
        words.add(word if word[-1] in "aeiouyäö" else word + "a")
    ordered = sorted(words)
    rng.shuffle(ordered)  # Zipf ranks must not follow the alphabet
    return ordered


def skewed(rng: random.Random, values: list[str], k: int) -> list[str]:
    """k distinct values, popular ones far more often (Zipf-like), as in real registries."""
    weights = [1.0 / (rank + 1) ** 0.8 for rank in range(len(values))]
    chosen: set[str] = set()
    while len(chosen) < k:
        chosen.add(rng.choices(values, weights)[0])
    return sorted(chosen)


class Corpus:
    """Deterministic Items whose words depend on their themes and target groups."""

    def __init__(self, text: str = "typical", seed: int = SEED) -> None:
        rng = random.Random(seed)
        self.text_profile = text
        self.lemmas = lexicon(rng, 20_000)
        self.lemma_set = frozenset(self.lemmas)
        weights = [1.0 / (r + 1) for r in range(len(self.lemmas))]
        self.cum = _cumulative(weights)
        topics = TARGET_GROUPS + THEMES
        self.topic = {v: rng.sample(self.lemmas, 60) + rng.sample(REAL_WORDS, 5) for v in topics}
        self.municipalities = {r: [f"{r}-kunta-{n:02d}" for n in range(16)] for r in REGIONS}  # 304

    def items(self, n: int, seed: int = SEED) -> list[Item]:
        rng = random.Random(seed + n)
        return [self.item(rng, k) for k in range(n)]

    def item(self, rng: random.Random, k: int) -> Item:
        facets = self.facets(rng)
        topic = [w for v in sorted(facets["target_groups"] | facets["themes"]) for w in self.topic[v]]
        texts = {name: self.text(rng, topic, self.length(rng, name)) for name in FIELDS if rng.random() < 0.9}
        return Item(f"item-{k:05d}", f"Hanke {k}", facets, texts)

    def facets(self, rng: random.Random) -> dict[str, frozenset[str]]:
        regions = skewed(rng, REGIONS, 1 if rng.random() < 0.9 else 2)
        munis = [m for r in regions for m in rng.sample(self.municipalities[r], rng.randint(0, 3))]
        return {
            "target_groups": frozenset(skewed(rng, TARGET_GROUPS, rng.randint(1, 3))),
            "themes": frozenset(skewed(rng, THEMES, rng.randint(1, 3))),
            "regions": frozenset(regions),
            "municipalities": frozenset(munis),
            "funders": frozenset(skewed(rng, FUNDERS, 1) if rng.random() < 0.8 else ()),
            "stage": frozenset(skewed(rng, STAGES, 1)),
        }

    def length(self, rng: random.Random, field: str) -> int:
        if self.text_profile == "long":
            low, mode, high = LONG_SHAPE[field]
            return int(rng.triangular(low, high, mode))
        return min(600, max(50, int(rng.lognormvariate(math.log(TYPICAL_MEDIAN[field]), 0.6))))

    def text(self, rng: random.Random, topic: list[str], n: int) -> str:
        """45 % general words (Zipf), 25 % topic words, 20 % stop words, 10 % project prose."""
        words = rng.choices(self.lemmas, cum_weights=self.cum, k=n * 45 // 100)
        words += rng.choices(topic, k=n * 25 // 100) + rng.choices(STOP, k=n * 20 // 100)
        words += rng.choices(GENERIC, k=n - len(words))
        rng.shuffle(words)
        ends = rng.choices(ENDINGS, k=len(words))
        # Only pseudo-lemmas get endings; the real words are listed already inflected.
        return " ".join(w + e if w in self.lemma_set else w for w, e in zip(words, ends))


def _cumulative(weights: list[float]) -> list[float]:
    total, out = 0.0, []
    for w in weights:
        total += w
        out.append(total)
    return out


def _rss_mb() -> float:
    """Current resident set size (Linux)."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def is_practice(item: Item) -> bool:
    """Items 0, 1, 3, 4, ... are practices, 2, 5, 8, ... projects: 2 : 1, as in a synthetic site."""
    return int(item.id.rsplit("-", 1)[1]) % 3 != 2


def child(path: str, exhaustive: bool, keep_top: bool, processes: int, mode: str = "both") -> None:
    """One measured run in a fresh process; prints one JSON line."""
    with open(path, "rb") as f:
        items = pickle.load(f)
    config = SimilarityConfig(processes=processes)
    if exhaustive:  # every posting walked: the exact ranking, at quadratic cost
        config = SimilarityConfig(postings_cap=len(items) + 1, text_budget=10**12, processes=processes)
    practices = [it for it in items if is_practice(it)]
    projects = [it for it in items if not is_practice(it)]
    before = _rss_mb()
    start = os.times()
    wall, cpu = time.perf_counter(), time.process_time()
    if mode == "old":  # before "Samankaltaiset hankkeet": practices only
        result = rank(items, practices, config)
    else:
        lists = rank_lists(items, {"practice": practices, "project": projects}, config)
        result = {it.id: lists["practice"][it.id] + lists["project"][it.id] for it in items}
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    end = os.times()
    workers_cpu = end.children_user + end.children_system - start.children_user - start.children_system
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    worker_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    filled = sum(len(v) for v in result.values()) / len(result)
    top = {q: [nb.id for nb in nbs] for q, nbs in result.items()} if keep_top else None
    print(json.dumps({"wall": wall, "cpu": cpu + workers_cpu, "main_cpu": cpu, "peak_mb": peak,
                      "worker_peak_mb": worker_peak, "before_mb": before, "filled": filled, "top": top}))


def run_child(path: Path, exhaustive: bool = False, keep_top: bool = False, processes: int = 0, mode: str = "both") -> dict:
    args = [sys.executable, __file__, "--child", str(path), "--processes", str(processes), "--mode", mode]
    args += ["--exhaustive"] if exhaustive else []
    args += ["--keep-top"] if keep_top else []
    out = subprocess.run(args, check=True, capture_output=True, text=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def write_items(corpus: Corpus, n: int, tmp: Path) -> tuple[Path, float]:
    items = corpus.items(n)
    path = tmp / f"items-{n}.pickle"
    with open(path, "wb") as f:
        pickle.dump(items, f)
    return path, sum(len(t.split()) for it in items for t in it.texts.values()) / n


def measure(path: Path, runs: int, processes: int) -> tuple[dict, dict]:
    """Medians of both lists and of the old practices-only ranking, runs alternating."""
    results: dict[str, list[dict]] = {"both": [], "old": []}
    for _ in range(runs):
        for mode in results:
            results[mode].append(run_child(path, processes=processes, mode=mode))
    rows = []
    for mode in ("both", "old"):
        keys = ("wall", "cpu", "main_cpu", "peak_mb", "worker_peak_mb", "before_mb")
        row = {key: statistics.median(r[key] for r in results[mode]) for key in keys}
        walls = [r["wall"] for r in results[mode]]
        rows.append({**row, "min": min(walls), "max": max(walls), "filled": results[mode][0]["filled"]})
    return rows[0], rows[1]


def recall(path: Path, processes: int) -> str:
    """Share of the exhaustive ranking's neighbours that the indexed ranking also returns."""
    fast = run_child(path, keep_top=True, processes=processes)
    exact = run_child(path, exhaustive=True, keep_top=True, processes=processes)
    hits = sum(len(set(fast["top"][q]) & set(ids)) for q, ids in exact["top"].items())
    total = sum(len(ids) for ids in exact["top"].values())
    return (f"recall vs exhaustive: {hits / total:.3f} ({hits}/{total} neighbours); "
            f"exhaustive {exact['wall']:.1f} s wall / {exact['cpu']:.1f} s CPU, "
            f"indexed {fast['wall']:.1f} s / {fast['cpu']:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 10000, 20000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--text", choices=["typical", "long"], default="typical")
    parser.add_argument("--recall", action="store_true", help="also compare each size with exhaustive scoring")
    parser.add_argument("--processes", type=int, default=0, help="SimilarityConfig.processes (0 = automatic)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--exhaustive", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--keep-top", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--mode", choices=["both", "old"], default="both", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args.child, args.exhaustive, args.keep_top, args.processes, args.mode)
    corpus = Corpus(args.text)
    print(f"python {sys.version.split()[0]}, stemmer: {_stemmer_name()}, numpy: {_numpy_version()}, "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}, text: {args.text}, "
          f"processes: {args.processes or 'automatic'}, {args.runs} runs per size")
    print("| items | words/item | median wall s | min-max wall s | median CPU s (all processes) "
          "| of which main process | peak RSS MB main + worker | RSS before rank MB | neighbours/item "
          "| old (practices only) wall s | both / old wall | both / old CPU |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    walls: dict[int, float] = {}
    notes = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            path, words = write_items(corpus, n, Path(tmp))
            row, old = measure(path, args.runs, args.processes)
            walls[n] = row["wall"]
            print(f"| {n:,} | {words:.0f} | {row['wall']:.2f} | {row['min']:.2f}-{row['max']:.2f} "
                  f"| {row['cpu']:.2f} | {row['main_cpu']:.2f} | {row['peak_mb']:.0f} + {row['worker_peak_mb']:.0f} "
                  f"| {row['before_mb']:.0f} | {row['filled']:.2f} | {old['wall']:.2f} "
                  f"| {row['wall'] / old['wall']:.2f} | {row['cpu'] / old['cpu']:.2f} |", flush=True)
            if args.recall:
                notes.append(f"{n:,} items: {recall(path, args.processes)}")
    if 1000 in walls and 10000 in walls:
        print(f"\n10k/1k wall time ratio: {walls[10000] / walls[1000]:.1f} (linear = 10)")
    for note in notes:
        print(note)


def _numpy_version() -> str:
    try:
        import numpy
    except ImportError:
        return "not installed (pure-Python neighbour search)"
    return numpy.__version__


def _stemmer_name() -> str:
    try:
        import Stemmer  # noqa: F401
    except ImportError:
        return "snowballstemmer, pure Python"
    return "PyStemmer (C)"


if __name__ == "__main__":
    main()
