"""Lemmatising cost: Voikko base forms and compound parts for every word of N synthetic records.

Takes the text of the records bench/synth.py makes (1,000 and 10,000 by default), splits it
into words and analyses each distinct word once (generator/finnish.py caches per word), as the
similarity step and the search words do. Prints tokens, distinct words and the median seconds of
a few runs, each with an empty cache.

    .venv/bin/python bench/finnish_bench.py                 # 1,000 and 10,000 records
    .venv/bin/python bench/finnish_bench.py --records 1000 --repeat 5
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import synth  # noqa: E402
from generator import finnish  # noqa: E402

_WORD = re.compile(r"[^\W\d_]{2,}")


def texts(n: int) -> list[str]:
    vocab = synth.load_vocabularies(ROOT / "content" / "vocabularies")
    records = synth.build_records(vocab, n, synth.SEED)
    out: list[str] = []

    def walk(value):
        if isinstance(value, str):
            out.append(value)
        elif isinstance(value, dict):
            for inner in value.values():
                walk(inner)
        elif isinstance(value, list):
            for inner in value:
                walk(inner)

    walk(records)
    return out


def run(words: list[str]) -> float:
    finnish._cache.clear()
    started = time.perf_counter()
    for word in words:
        finnish.words(word)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, nargs="*", default=[1000, 10000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if not finnish.available():
        print("Voikko is not installed: nothing to measure")
        return 1
    print("| records | tokens | distinct words | lemmatising, median (s) | runs |")
    print("|---|---|---|---|---|")
    for n in args.records:
        words = [w for text in texts(n) for w in _WORD.findall(text.lower())]
        seconds = statistics.median(run(words) for _ in range(args.repeat))
        print(f"| {n:,} | {len(words):,} | {len(set(words)):,} | {seconds:.2f} | {args.repeat} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
