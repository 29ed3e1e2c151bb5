"""Sentence verifier: wrong sentences caught, correct paraphrases kept.

Figures, from least to most honest:
- every set with the shipped defaults, per set and per error kind. The tuning sets are
  evals/verifier_sentences.jsonl (rules written against it), evals/verifier_heldout.jsonl (held out for one
  measurement, then tuned on) and evals/verifier_heldout2.jsonl (held out for two measurements, tuned on since
  session 3: its misses were fixed with general rules);
- the tuning sets by 5-fold cross-validation grouped by document: the content thresholds are chosen on
  four folds and scored on the fifth;
- the held-out set evals/verifier_heldout3.jsonl, written by someone who never saw the verifier or its
  rules, scored with the shipped defaults once the rules were final and never tuned on.

    .venv/bin/python benchmarks/bench_verifier.py

Results go to benchmarks/results/verifier.md. Goal (issue 12): caught >= 95%, kept >= 85% on held-out data.
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from assistant.evaluation.verifier import VerifierScore, cross_validate, kinds_table, load_items, score  # noqa: E402

OUT = REPO / "benchmarks" / "results" / "verifier.md"
EVALS = REPO / "evals"
# (file, status): what the rules have seen of each set.
TUNING = [
    ("verifier_sentences.jsonl", "tuned on (rules written against it)"),
    ("verifier_heldout.jsonl", "tuned on since session 2 (held out for its first measurement)"),
    ("verifier_heldout2.jsonl", "tuned on since session 3 (held out for its first two measurements)"),
]
HELD_OUT = [("verifier_heldout3.jsonl", "held out (never tuned on)")]


def _figures(s: VerifierScore) -> list[str]:
    return [f"- wrong sentences caught: **{s.caught}/{s.wrong} = {s.caught_rate:.1%}**",
            f"- correct paraphrases kept: **{s.kept}/{s.correct} = {s.kept_rate:.1%}**"]


def _section(title: str, s: VerifierScore, note: str = "") -> list[str]:
    lines = [f"## {title}", ""]
    if note:
        lines += [note, ""]
    lines += [*_figures(s), "", "| kind | right | total |", "|---|---|---|"]
    lines += [f"| {kind} | {ok} | {total} |" for kind, ok, total in kinds_table(s)]
    if s.misses:
        lines += ["", "Misses: " + "; ".join(s.misses)]
    return lines + [""]


def _per_set(scores: list[tuple[str, str, VerifierScore]]) -> list[str]:
    """One row per set, then one row per error kind with a column per set."""
    lines = ["| set | status | caught | kept |", "|---|---|---|---|"]
    lines += [f"| `{name}` | {status} | {s.caught}/{s.wrong} = {s.caught_rate:.1%} | "
              f"{s.kept}/{s.correct} = {s.kept_rate:.1%} |" for name, status, s in scores]
    kinds = sorted({k for _, _, s in scores for k in s.by_kind}, key=lambda k: (k != "supported", k))
    lines += ["", "| kind | " + " | ".join(f"`{name.removeprefix('verifier_').removesuffix('.jsonl')}`"
                                         for name, _, _ in scores) + " |",
              "|---|" + "---|" * len(scores)]
    for kind in kinds:
        cells = [f"{s.by_kind[kind][0]}/{s.by_kind[kind][1]}" if kind in s.by_kind else "–" for _, _, s in scores]
        lines.append(f"| {kind} | " + " | ".join(cells) + " |")
    return lines + [""]


# Measured once on each set before it was ever looked at (the honest figures for earlier rounds), and the
# figures this session started from.
HISTORY = [
    "- `verifier_heldout.jsonl`, first measurement before any tuning on it: caught 106/120 = 88.3%, "
    "kept 70/78 = 89.7%. It was then used for tuning.",
    "- `verifier_heldout2.jsonl`, first measurement: caught 68/75 = 90.7%, kept 58/60 = 96.7%; second, after "
    "changes made without looking at its items (an empty or question-only sentence is refused; \"miễn\" (exempt) "
    "negates; a named grade must be the passage's): caught 69/75 = 92.0%, kept 58/60 = 96.7%. Tuned on since "
    "session 3.",
    "- Session 3 started from: `verifier_sentences` caught 101/103, kept 78/78; `verifier_heldout` caught 116/120, "
    "kept 78/78; `verifier_heldout2` caught 69/75, kept 58/60; the first two by 5-fold cross-validation caught "
    "217/223 = 97.3%, kept 155/156 = 99.4%.",
    "- Session 3 rules (general, none naming a test sentence's words): a word that cannot be a Vietnamese syllable "
    "and that the passage does not use is foreign (an abbreviation the passage spells out is not); a figure tied "
    "to words the passage ties to another figure of the same unit (\"26 đồng chí có mặt\" for \"có mặt 23\"), a "
    "ratio with one term changed (\"34/34\" for \"32/34\"), a bound turned around (\"tối đa\" for \"không ít "
    "hơn\"), a date or span put on the other side (\"từ ngày\" for \"trước ngày\", \"sau\" for \"trước\"); a run "
    "of three content syllables the passage lacks, past the sentence's opening topic; \"all\" where the passage "
    "makes an exception; disciplinary measures and voting methods are named categories; documents named without "
    "a number (\"Điều lệ Đảng\", \"Luật …\") must be the passage's; \"ngừng\", \"dừng\", \"chấm dứt\", \"chẳng\" "
    "negate; \"chưa đủ 06 tháng\" bounds a figure rather than negates; a passive \"được\" with a deadline is a duty; "
    "a proposal step named anywhere in the sentence counts; numbers and dates in words are read.",
    "- `verifier_heldout3.jsonl` (225 sentences, written by another engineer while the session-3 rules were "
    "being written, never opened by their author): scored once with the final rules, caught 90/124 = 72.6%, "
    "kept 93/101 = 92.1% — the goal of 95% caught is not met on held-out data. For comparison only (no rule "
    "changed afterwards), the verifier as it stood before session 3 scores it caught 82/124 = 66.1%, kept "
    "93/101 = 92.1%; per kind before → after: foreign_words 1 → 5 of 5, changed_duration 8 → 10 of 17, "
    "changed_date 7 → 8 of 8, invented_fact 5 → 6 of 13, every other kind unchanged; the weakest kinds are "
    "invented_body 5/13, invented_fact 6/13, changed_number 6/11 and changed_duration 10/17.",
]


def main() -> None:
    """Score the verifier and write the results file."""
    sets = [(name, status, load_items(EVALS / name)) for name, status in TUNING]
    held = [(name, status, load_items(EVALS / name)) for name, status in HELD_OUT if (EVALS / name).exists()]
    scores = [(name, status, score(items)) for name, status, items in sets + held]
    tuning = [item for _, _, items in sets for item in items]
    lines = ["# Sentence verifier", "",
             "Written by `benchmarks/bench_verifier.py`. Goal (issue 12): caught ≥ 95%, kept ≥ 85% on held-out data.",
             "", "## Every set, shipped defaults", ""]
    lines += _per_set(scores)
    for name, _, s in scores:
        if s.misses:
            lines += [f"Misses in `{name}`: " + "; ".join(s.misses), ""]
    pooled, chosen = cross_validate(tuning)
    lines += _section("Tuning sets, 5-fold cross-validation by document", pooled,
                      "The three tuning sets pooled. Thresholds chosen per fold (min_content, min_clause_content): "
                      + ", ".join(f"({c.min_content:g}, {c.min_clause_content:g})" for c in chosen) + ".")
    for (name, status, _), (_, _, s) in zip(held, scores[len(sets):], strict=True):
        lines += _section(f"Held-out set `{name}`, shipped defaults: {status}", s,
                          "Scored once, after the rules were final; no rule was changed because of it.")
    if not held:
        lines += ["## Held-out set", "", "`verifier_heldout3.jsonl` is not there yet.", ""]
    lines += ["## History", "", *HISTORY, ""]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
