"""Sentence verifier: wrong sentences caught, correct paraphrases kept.

Three figures, from least to most honest:
- the tuning set (evals/verifier_sentences.jsonl) as a whole: the rules were written looking at it;
- the same set by 5-fold cross-validation grouped by document: ``min_content`` is chosen on four
  folds and scored on the fifth;
- the held-out set (evals/verifier_heldout.jsonl), written by someone who never saw the tuning set
  or the verifier, scored once with the shipped defaults.

    .venv/bin/python benchmarks/bench_verifier.py

Results go to benchmarks/results/verifier.md. Goal (issue 12): caught >= 95%, kept >= 85%.
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from assistant.evaluation.verifier import VerifierScore, cross_validate, kinds_table, load_items, score  # noqa: E402

OUT = REPO / "benchmarks" / "results" / "verifier.md"


def _section(title: str, s: VerifierScore, note: str = "") -> list[str]:
    lines = [f"## {title}", ""]
    if note:
        lines += [note, ""]
    lines += [f"- wrong sentences caught: **{s.caught}/{s.wrong} = {s.caught_rate:.1%}**",
              f"- correct paraphrases kept: **{s.kept}/{s.correct} = {s.kept_rate:.1%}**", "",
              "| kind | right | total |", "|---|---|---|"]
    lines += [f"| {kind} | {ok} | {total} |" for kind, ok, total in kinds_table(s)]
    if s.misses:
        lines += ["", "Misses: " + "; ".join(s.misses)]
    return lines + [""]


def main() -> None:
    """Score the verifier and write the results file."""
    tuning = load_items(REPO / "evals" / "verifier_sentences.jsonl")
    lines = ["# Sentence verifier", "", "Written by `benchmarks/bench_verifier.py`. Goal: caught ≥ 95%, kept ≥ 85%.", ""]
    lines += _section("Tuning set, whole (rules written against it)", score(tuning))
    pooled, chosen = cross_validate(tuning)
    lines += _section("Tuning set, 5-fold cross-validation by document", pooled,
                      f"`min_content` chosen per fold: {', '.join(f'{c:g}' for c in chosen)}.")
    heldout_path = REPO / "evals" / "verifier_heldout.jsonl"
    if heldout_path.exists():
        lines += _section("Held-out set (never tuned on)", score(load_items(heldout_path)))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
