"""Precision and recall of detectors on the labelled Swedish corpus (pure Python, no Django).

Used by ``bench/bench_screening_quality.py`` (the default lists), ``manage.py screening_evaluate``
(the live configuration), the service that saves a detector (its measured precision decides whether
it may hold) and the tests.

A case is one text with its labels (rule codes, or ``identity_number``/``phone``/``email``/``link``
for the detectors that find those) and, for identity numbers, the span of each number as written.
A detector *targets* the label of its kind (``identity_number``, ``phone``, ``email``, ``link``) or
else its rule. Per detector and per target label, over the cases:

* true positive: the case has the label and the detector fired (for a case with spans: it found
  exactly those spans and nothing else);
* false positive: the detector fired on a case without the label (or with wrong spans);
* false negative: the case has the label and the detector did not find it.

Ordinary cases (no labels): how many were flagged (any detector fired) and held (a detector that
may hold fired). A detector may hold only with measured precision ≥ ``HOLD_PRECISION`` on at least
``HOLD_MIN_HITS`` hits (fewer hits do not measure a precision of 0.99).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .engine import Screener
from .specs import DetectorSpec

__all__ = [
    "Case",
    "Score",
    "Report",
    "load_corpus",
    "evaluate",
    "format_report",
    "target_label",
    "may_hold",
    "CORPUS_PATH",
    "HOLD_PRECISION",
    "HOLD_MIN_HITS",
]

CORPUS_PATH = Path(__file__).resolve().parent / "corpus" / "corpus.jsonl"
HOLD_PRECISION = 0.99
HOLD_MIN_HITS = 20
KIND_LABELS = {"identity_number": "identity_number", "phone": "phone", "email": "email", "link": "link"}
# budgets of DESIGN.md ("screening quality on a labelled Swedish corpus")
ID_RECALL = 0.999
ID_PRECISION = 1.0
ORDINARY_FLAGGED = 0.005
PROFANITY_RECALL = 0.95


@dataclass(frozen=True)
class Case:
    id: int
    text: str
    labels: frozenset[str]
    spans: dict[str, tuple[tuple[int, int], ...]]
    source: str
    split: str


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def hits(self) -> int:
        return self.tp + self.fp

    @property
    def precision(self) -> float | None:
        return self.tp / self.hits if self.hits else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if (self.tp + self.fn) else None


@dataclass
class Report:
    split: str
    cases: int
    ordinary: int
    flagged: int
    held: int
    detectors: list[tuple[DetectorSpec, Score, bool]] = field(default_factory=list)  # (spec, score, may hold)
    labels: dict[str, Score] = field(default_factory=dict)
    flagged_examples: list[tuple[str, str]] = field(default_factory=list)

    @property
    def flagged_share(self) -> float:
        return self.flagged / self.ordinary if self.ordinary else 0.0

    def budgets(self) -> list[tuple[str, str, bool]]:
        """(what, measured, passed) for each budget of DESIGN.md."""
        out = []
        idn = self.labels.get("identity_number")
        if idn is not None:
            r, p = idn.recall, idn.precision
            out.append(("identitetsnummer: täckning ≥ 0,999", _f(r), r is not None and r >= ID_RECALL))
            out.append(("identitetsnummer: precision = 1,0", _f(p), p is not None and p >= ID_PRECISION))
        out.append(("vanlig svenska: 0 dolda", str(self.held), self.held == 0))
        out.append(("vanlig svenska: ≤ 0,5 % flaggade", f"{100 * self.flagged_share:.2f} %",
                    self.flagged_share <= ORDINARY_FLAGGED))
        prof = self.labels.get("profanity")
        if prof is not None:
            r = prof.recall
            out.append(("svordomar som de skrivs: täckning ≥ 0,95", _f(r), r is not None and r >= PROFANITY_RECALL))
        bad = [spec.name for spec, score, hold in self.detectors if spec.action == "hold" and not hold]
        out.append(("håller bara med precision ≥ 0,99", ", ".join(bad) or "alla", not bad))
        return out


def _f(x: float | None) -> str:
    return "–" if x is None else f"{x:.3f}"


@lru_cache(maxsize=4)
def _load(path: str) -> tuple[Case, ...]:
    out = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            d = json.loads(line)
            spans = {k: tuple(tuple(s) for s in v) for k, v in (d.get("spans") or {}).items()}
            out.append(Case(d["id"], d["text"], frozenset(d.get("labels") or ()), spans, d.get("source", ""),
                            d.get("split", "tune")))
    return tuple(out)


def load_corpus(path: Path | str | None = None, *, split: str | None = None) -> list[Case]:
    """The corpus (or one split of it: ``"tune"`` or ``"heldout"``)."""
    cases = _load(str(path or CORPUS_PATH))
    return [c for c in cases if split is None or c.split == split]


def target_label(spec: DetectorSpec) -> str:
    return KIND_LABELS.get(spec.kind, spec.rule)


def may_hold(score: Score) -> bool:
    """The rule of DESIGN.md: hold only with measured precision ≥ 0.99 (on enough hits)."""
    p = score.precision
    return p is not None and score.hits >= HOLD_MIN_HITS and p >= HOLD_PRECISION


def evaluate(specs: Sequence[DetectorSpec], cases: Iterable[Case], *, split: str = "alla",
             screener: Screener | None = None, hold_allowed: dict[int, bool] | None = None) -> Report:
    """Screen every case with ``specs`` and score each detector and each target label.
    ``hold_allowed`` (detector id → may hold), when given, decides which detectors hold instead of
    this run's own measurement: a split is too small to measure a precision of 0.99, so the
    reports of the splits use the decision measured on the whole corpus."""
    specs = list(specs)
    screener = screener or Screener(specs)
    targets = {s.id: target_label(s) for s in specs}
    scores = {s.id: Score() for s in specs}
    labels = {t: Score() for t in targets.values()}
    cases = list(cases)
    fired_per_case: list[dict[int, list[tuple[int, int]]]] = []
    for case in cases:
        fired: dict[int, list[tuple[int, int]]] = {}
        for h in screener.screen(case.text):
            fired.setdefault(h.detector_id, []).append((h.start, h.end))
        fired_per_case.append(fired)
        fired_label: dict[str, bool] = {}
        correct_label: dict[str, bool] = {}
        for spec in specs:
            t = targets[spec.id]
            got = fired.get(spec.id)
            positive = t in case.labels
            correct = positive and got is not None and _spans_ok(case, t, got)
            _count(scores[spec.id], positive, got is not None, correct)
            fired_label[t] = fired_label.get(t, False) or got is not None
            correct_label[t] = correct_label.get(t, False) or correct
        for t, lab in labels.items():
            _count(lab, t in case.labels, fired_label.get(t, False), correct_label.get(t, False))
    hold_ok = {s.id: may_hold(scores[s.id]) for s in specs}
    if hold_allowed is not None:
        hold_ok = {s.id: hold_allowed.get(s.id, False) for s in specs}
    report = Report(split=split, cases=len(cases), ordinary=0, flagged=0, held=0)
    for case, fired in zip(cases, fired_per_case, strict=True):
        if case.labels:
            continue
        report.ordinary += 1
        if fired:
            report.flagged += 1
            if len(report.flagged_examples) < 40:
                names = ", ".join(sorted({next(s.name for s in specs if s.id == i) for i in fired}))
                report.flagged_examples.append((case.text[:120], names))
            if any(spec.action == "hold" and hold_ok[spec.id] and spec.id in fired for spec in specs):
                report.held += 1
    report.detectors = [(s, scores[s.id], hold_ok[s.id]) for s in specs]
    report.labels = labels
    return report


def _count(sc: Score, positive: bool, fired: bool, correct: bool) -> None:
    if correct:
        sc.tp += 1
        return
    if fired:
        sc.fp += 1
    if positive:
        sc.fn += 1


def _spans_ok(case: Case, label: str, got: list[tuple[int, int]]) -> bool:
    want = case.spans.get(label)
    if want is None:
        return True
    return sorted(set(got)) == sorted(set(want))


def format_report(report: Report, *, examples: bool = False) -> str:
    """The quality table (Swedish headings, as the command and the benchmark print it)."""
    lines = [f"Urval: {report.split} – {report.cases} fall, varav {report.ordinary} vanlig svenska", ""]
    head = f"{'automatisk granskning':<38} {'typ':<16} {'regel':<15} {'åtgärd':<7} {'TP':>5} {'FP':>5} {'FN':>5} " \
           f"{'precision':>9} {'täckning':>9}  får hålla"  # fmt: skip
    lines += [head, "-" * len(head)]
    for spec, sc, hold in report.detectors:
        lines.append(f"{spec.name[:38]:<38} {spec.kind:<16} {spec.rule:<15} {spec.action:<7} {sc.tp:>5} {sc.fp:>5} "
                     f"{sc.fn:>5} {_f(sc.precision):>9} {_f(sc.recall):>9}  {'ja' if hold else 'nej'}")
    lines += ["", f"{'per regel / etikett':<38} {'TP':>5} {'FP':>5} {'FN':>5} {'precision':>9} {'täckning':>9}"]
    for label in sorted(report.labels):
        sc = report.labels[label]
        lines.append(f"{label:<38} {sc.tp:>5} {sc.fp:>5} {sc.fn:>5} {_f(sc.precision):>9} {_f(sc.recall):>9}")
    lines += ["", f"vanlig svenska: {report.flagged} av {report.ordinary} flaggade "
                  f"({100 * report.flagged_share:.2f} %), {report.held} dolda", ""]
    for what, value, ok in report.budgets():
        lines.append(f"{'PASS' if ok else 'FAIL'}  {what}: {value}")
    if examples and report.flagged_examples:
        lines += ["", "flaggad vanlig svenska (exempel):"]
        lines += [f"  {text!r} – {names}" for text, names in report.flagged_examples]
    return "\n".join(lines)
