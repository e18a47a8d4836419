"""Quality of screening on the labelled Swedish corpus, and its speed (no Django needed).

    .venv/bin/python bench/bench_screening_quality.py [--examples] [--items 1000] [--rounds 3]

Prints precision and recall per detector and per rule (label) of the default detectors
(``moderation.screening.lists``, expanded with Debian's hunspell-sv) on the corpus in
``moderation/screening/corpus/`` (see its README: where each part comes from), for the whole corpus,
the part the lists were tuned on and the held-out part, with the budgets of DESIGN.md as PASS/FAIL:
identity numbers recall ≥ 0.999 and precision 1.0; ordinary Swedish 0 held and ≤ 0.5 % flagged;
profanity as written recall ≥ 0.95; a detector holds only with precision ≥ 0.99.

Then the speed budget, both ways: the default configuration per corpus sentence, side by side with
one bare Aho-Corasick pass over the same text, and ``bench_screening``'s synthetic 10 / 1,000 /
10,000-word configuration (≤ 0.25 ms median and ≤ 40× a bare pass, flat in word count).
``manage.py screening_evaluate`` prints the same quality table for the live configuration.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import ahocorasick  # noqa: E402
import bench_screening  # noqa: E402

from moderation.screening import Screener  # noqa: E402
from moderation.screening.evaluation import evaluate, format_report, load_corpus  # noqa: E402
from moderation.screening.lists import default_specs  # noqa: E402


def quality(examples: bool) -> bool:
    t0 = time.perf_counter()
    specs = default_specs()
    t1 = time.perf_counter()
    screener = Screener(specs)
    t2 = time.perf_counter()
    whole = evaluate(specs, load_corpus(), screener=screener)
    allowed = {spec.id: hold for spec, _s, hold in whole.detectors}
    tune = evaluate(specs, load_corpus(split="tune"), split="tune (listorna justerade mot detta)",
                    screener=screener, hold_allowed=allowed)
    held = evaluate(specs, load_corpus(split="heldout"), split="heldout (aldrig justerat mot)",
                    screener=screener, hold_allowed=allowed)
    t3 = time.perf_counter()
    forms = sum(len(f) for s in specs for _t, f in s.forms)
    print(f"default detectors: {len(specs)}, {forms} dictionary forms added; expand {t1 - t0:.2f} s, "
          f"compile {t2 - t1:.2f} s, evaluate {t3 - t2:.2f} s\n")
    for report in (whole, tune, held):
        print(format_report(report, examples=examples and report is whole))
        print()
    return all(ok for _w, _v, ok in whole.budgets()) and all(ok for _w, _v, ok in held.budgets())


def speed_default(rounds: int) -> bool:
    """The default configuration on the corpus's sentences (about 300 characters: joined in threes)."""
    specs = default_specs()
    screener = Screener(specs)
    words = sorted({t.lstrip("=*").rstrip("*").lower() for s in specs for t in s.terms if "(" not in t}
                   | {f.lstrip("*").lower() for s in specs for _t, fs in s.forms for f in fs})
    bare = ahocorasick.Automaton()
    for w in words:
        bare.add_word(w, w)
    bare.make_automaton()

    def bare_pass(text, _a=bare):
        for _ in _a.iter(text):
            pass

    sentences = [c.text for c in load_corpus() if len(c.text) > 30]
    texts = [" ".join(sentences[i : i + 5])[:320] for i in range(0, len(sentences) - 5, 5)]
    for t in texts[:200]:
        screener.screen(t)
        bare_pass(t)
    import random

    timings = bench_screening.time_side_by_side([screener.screen, bare_pass], texts, rounds,
                                                random.Random(bench_screening.SEED))
    sm, bm = statistics.median(timings[0]), statistics.median(timings[1])
    avg = sum(map(len, texts)) / len(texts)
    print(f"default configuration, {len(texts)} texts of {avg:.0f} characters, {len(words)} words and forms:")
    print(f"  screen median {sm:.1f} µs (p90 {bench_screening.pct(timings[0], 0.9):.1f} µs), "
          f"bare Aho-Corasick median {bm:.2f} µs, ratio {sm / bm:.1f}x")
    ok = sm < bench_screening.BUDGET_US and sm / bm <= bench_screening.BUDGET_RATIO
    print(f"  {'PASS' if sm < bench_screening.BUDGET_US else 'FAIL'}  median {sm:.1f} µs < "
          f"{bench_screening.BUDGET_US:.0f} µs")
    print(f"  {'PASS' if sm / bm <= bench_screening.BUDGET_RATIO else 'FAIL'}  ratio {sm / bm:.1f}x <= "
          f"{bench_screening.BUDGET_RATIO:.0f}x\n")
    return ok


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--examples", action="store_true", help="list flagged ordinary sentences")
    ap.add_argument("--items", type=int, default=1000, help="texts for the synthetic speed benchmark")
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args(argv)
    ok = quality(args.examples)
    ok &= speed_default(args.rounds)
    print("synthetic configuration (bench_screening.py):")
    ok &= bench_screening.main(["--items", str(args.items), "--rounds", str(args.rounds)]) == 0
    print("\nQUALITY AND SPEED:", "PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
