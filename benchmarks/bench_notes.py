"""Secretaries' notes → meeting record: precision and recall per field, rules only, model only and merged.

Scores the rule extractor on the notes set of issue 13 (``evals/notes``): the 36
development notes (the rules were written against them), the 12 held-out notes
(never used to change the rules), and the variants of each (accent-free, mixed
accents, abbreviated, reordered, both, old tone marks, decomposed Unicode; see
``evals/notes/variants.py``). With ``--model``, the packaged Vietnamese writer
(Qwen2.5-Coder-1.5B-Instruct, llama.cpp, schema-constrained JSON) also proposes
records, scored four ways on the original notes:

- model only, raw: the model's JSON as it is (names stripped of "đồng chí");
- model only, verified: only the values found in the notes (``notes/propose.py``);
- merged, gaps: the rules' record, the model asked only for the fields the rules left empty;
- merged, full: the rules' record, the model asked for every field, rules winning on conflict.

Model answers are cached in ``benchmarks/results/notes_model_answers.json`` (per note,
mode, prompt and fields), so the report can be rebuilt without running the model again.

    OMP_WAIT_POLICY=PASSIVE .venv/bin/python benchmarks/bench_notes.py [--sets dev,heldout] [--model]

Results go to benchmarks/results/notes.md.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import yaml

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "evals" / "notes"))

import variants as notes_variants  # noqa: E402

from assistant.drafting.notes.extract import extract_record  # noqa: E402
from assistant.drafting.notes.propose import FIELDS as PROPOSED  # noqa: E402
from assistant.drafting.notes.propose import Evidence, Proposal, ask, gaps, merge  # noqa: E402
from assistant.drafting.notes.record import MeetingRecord  # noqa: E402
from assistant.evaluation.extraction import FIELDS, Comparison, Tally, compare  # noqa: E402
from assistant.offline import enforce_offline  # noqa: E402
from assistant.prompts import load_prompt  # noqa: E402

NOTES = REPO / "evals" / "notes"
RESULTS = REPO / "benchmarks" / "results"
CACHE = RESULTS / "notes_model_answers.json"
MODEL_MODES = ("model only, raw", "model only, verified", "merged, gaps", "merged, full")


def load_set(name: str) -> list[tuple[str, str, dict[str, Any]]]:
    """(stem, notes text, expectation) of each note of set ``name`` (dev or heldout)."""
    folder = NOTES / name
    out = []
    for path in sorted((folder / "notes").glob("*.txt")):
        expected = yaml.safe_load((folder / "expected" / f"{path.stem}.yaml").read_text(encoding="utf-8"))
        out.append((path.stem, path.read_text(encoding="utf-8"), expected))
    return out


def with_variants(items: list[tuple[str, str, dict[str, Any]]]) -> list[tuple[str, str, dict[str, Any]]]:
    """Every variant of every note (the originals not included)."""
    out = []
    for stem, text, expected in items:
        for name, _, variant, exp in notes_variants.variants(text, expected, seed=stem):
            out.append((f"{stem}:{name}", variant, exp))
    return out


class Score:
    """Tallies per field, fields exactly right, and mismatches, over a set of notes."""

    def __init__(self) -> None:
        self.fields: dict[str, Tally] = {f: Tally() for f in FIELDS}
        self.right = self.checked = 0
        self.by_style: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        self.misses: list[str] = []

    def add(self, stem: str, style: str, comparison: Comparison) -> None:
        for name, tally in comparison.fields.items():
            self.fields.setdefault(name, Tally()).add(tally)
        self.right += comparison.right
        self.checked += len(comparison.checks)
        self.by_style[style][0] += comparison.right
        self.by_style[style][1] += len(comparison.checks)
        self.misses += [f"{stem}: {m}" for m in comparison.mismatches]

    @property
    def accuracy(self) -> float:
        return self.right / self.checked if self.checked else 1.0

    def micro(self) -> Tally:
        total = Tally()
        for tally in self.fields.values():
            total.add(tally)
        return total


def rules_score(items: list[tuple[str, str, dict[str, Any]]]) -> tuple[Score, float]:
    score = Score()
    started = time.perf_counter()
    for stem, text, expected in items:
        score.add(stem, expected.get("style", "?"), compare(expected, extract_record(text).record))
    return score, (time.perf_counter() - started) / max(len(items), 1)


def table(scores: dict[str, Score]) -> list[str]:
    names = list(scores)
    lines = ["| Field | " + " | ".join(f"{n} P | {n} R" for n in names) + " |",
             "|---|" + "---|---|" * len(names)]
    for field in FIELDS:
        cells = []
        for name in names:
            t = scores[name].fields.get(field, Tally())
            if t.tp + t.fp + t.fn == 0:
                cells += ["–", "–"]
            else:
                cells += [f"{t.precision:.2f}", f"{t.recall:.2f}"]
        lines.append(f"| {field} | " + " | ".join(cells) + " |")
    micro = [scores[n].micro() for n in names]
    lines.append("| **all items (micro)** | " + " | ".join(f"**{m.precision:.3f}** | **{m.recall:.3f}**" for m in micro)
                 + " |")
    lines.append("| **fields exactly right** | " + " | ".join(
        f"**{scores[n].right}/{scores[n].checked} = {scores[n].accuracy:.1%}** | " for n in names) + " |")
    return lines


# -- model -------------------------------------------------------------------------------------------------------
def writer() -> Any:
    from assistant.llm import create_llm, packaged
    from assistant.llm.capabilities import writes
    from assistant.settings import load_settings

    models = Path(sys.prefix) / "share" / "chibo" / "models"
    path = packaged.verify(packaged.QWEN_CODER_1_5B, models)
    import tempfile

    settings = load_settings(overrides={"data_dir": tempfile.mkdtemp(prefix="chibo-bench-notes-"), "llm": {
        "backend": "embedded", "embedded": {"model_path": str(path), "n_threads": 2}}}, environ={})
    llm = create_llm(settings)
    assert writes(llm), "the packaged writer should write Vietnamese"
    return llm


class Answers:
    """Cached model answers: key → {"answer", "calls", "seconds", "error"}."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}

    def get(self, key: str) -> dict[str, Any] | None:
        return self.data.get(key)

    def put(self, key: str, value: dict[str, Any]) -> None:
        self.data[key] = value
        self.path.write_text(json.dumps(self.data, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")


def model_scores(items: list[tuple[str, str, dict[str, Any]]], llm: Any, answers: Answers,
                 progress: Any) -> tuple[dict[str, Score], dict[str, list[float]], list[str]]:
    prompt = load_prompt("notes_record")
    prompt_hash = hashlib.sha256(prompt.text.encode()).hexdigest()[:10]
    scores = {mode: Score() for mode in MODEL_MODES}
    seconds: dict[str, list[float]] = {"full": [], "gaps": []}
    notes: list[str] = []
    for stem, text, expected in items:
        result = extract_record(text)
        style = expected.get("style", "?")
        lines = result.lines
        for mode, fields in (("full", list(PROPOSED)), ("gaps", gaps(result.record))):
            key = f"{stem}|{mode}|{prompt_hash}|{','.join(fields)}|{hashlib.sha256(text.encode()).hexdigest()[:10]}"
            cached = answers.get(key)
            if cached is None and fields and llm is not None:
                started = time.perf_counter()
                answer, calls, error = ask(llm(), prompt, lines, fields)
                cached = {"answer": answer, "calls": calls, "seconds": time.perf_counter() - started, "error": error}
                answers.put(key, cached)
                note = f" — {error}" if error else ""
                progress(f"{stem} {mode}: {cached['seconds']:.0f} s, {len(fields)} fields{note}")
            if cached is None:
                cached = {"answer": {}, "calls": 0, "seconds": 0.0, "error": "" if not fields else "no model run"}
            if cached["calls"]:
                seconds[mode].append(cached["seconds"])
            if cached["error"]:
                notes.append(f"{stem} ({mode}): {cached['error']}")
            answer = cached["answer"]
            if mode == "full":
                for label, verify in (("model only, raw", False), ("model only, verified", True)):
                    record = MeetingRecord()
                    merge(record, answer, Evidence(lines), Proposal(mode), verify=verify)
                    scores[label].add(stem, style, compare(expected, record))
            merged = extract_record(text).record
            merge(merged, answer, Evidence(lines, merged.date), Proposal(mode))
            scores[f"merged, {mode}"].add(stem, style, compare(expected, merged))
    return scores, seconds, notes


def long_notes_timing(llm: Any) -> list[str]:
    """A long note (a formal note with many more opinions) asked whole and in parts: time, calls, errors."""
    base = (NOTES / "dev" / "notes" / "34_formal_numbered_thon.txt").read_text(encoding="utf-8").split("\n")
    extra = [line for path in sorted((NOTES / "dev" / "notes").glob("*.txt"))[:20]
             for line in path.read_text(encoding="utf-8").split("\n") if line.startswith(("- Đ/c", "- đ/c", "- dc"))]
    lines = base[:20] + extra + base[20:]
    prompt = load_prompt("notes_record")
    fields = gaps(extract_record("\n".join(lines)).record)
    out = [f"Long note: {len(lines)} lines, {len(chr(10).join(lines))} characters, "
           f"{llm.count_tokens(chr(10).join(lines))} tokens; gaps asked: {', '.join(fields) or 'none'}.", "",
           "| Sent as | Calls | Seconds | Error |", "|---|---|---|---|"]
    for label, max_chars in (("whole", 100_000), ("parts of ≤ 2400 characters", 2400)):
        started = time.perf_counter()
        _, calls, error = ask(llm, prompt, lines, fields or ["parent"], max_chars=max_chars)
        out.append(f"| {label} | {calls} | {time.perf_counter() - started:.0f} | {error or '–'} |")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default="dev,heldout", help="comma-separated: dev, heldout")
    parser.add_argument("--model", action="store_true", help="run the packaged writer (slow: ~1–2 min a note)")
    parser.add_argument("--cached-only", action="store_true", help="score cached model answers, run no model")
    parser.add_argument("--misses", type=int, default=60, help="mismatches listed per set")
    parser.add_argument("--long", action="store_true", help="with --model: time a long note, whole and in parts")
    args = parser.parse_args()
    enforce_offline()
    sets = [s.strip() for s in args.sets.split(",") if s.strip()]
    lines = ["# Notes → meeting record (issue 13)", "",
             f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}. "
             "Notes: `evals/notes` (36 development notes the rules were written against, 12 held-out notes never "
             "used to change them) and their variants (`evals/notes/variants.py`: accent-free, mixed accents, "
             "abbreviated, reordered opinions, abbreviated + accent-free, old tone marks, decomposed Unicode).", "",
             "A field is *exactly right* when the whole field matches (a list field: every item, nothing extra; a "
             "field the notes do not give: left empty). P/R count items: a wrong value is a false positive and a "
             "false negative; a value given for an empty field is a false positive. No threshold was tuned: the "
             "rules are patterns, and the model's values are accepted by fixed checks (found in the notes).", "",
             "## Rules only", ""]
    rule_scores: dict[str, Score] = {}
    timing: list[str] = []
    for name in sets:
        items = load_set(name)
        rule_scores[name], per_note = rules_score(items)
        rule_scores[f"{name} variants"], per_variant = rules_score(with_variants(items))
        timing.append(f"{name}: {per_note * 1000:.0f} ms a note, variants {per_variant * 1000:.0f} ms")
    lines += table(rule_scores) + ["", "Extraction time (rules): " + "; ".join(timing) + ".", ""]
    for name in sets:
        styles = rule_scores[name].by_style
        lines += [f"Fields exactly right by style, {name}: " + ", ".join(
            f"{style} {r}/{c}" for style, (r, c) in sorted(styles.items())) + "."]
    lines.append("")
    for name, score in rule_scores.items():
        misses = score.misses[:args.misses]
        lines += [f"### Mismatches, {name} ({len(score.misses)})", ""] + [f"- {m}" for m in misses]
        if len(score.misses) > len(misses):
            lines.append(f"- … {len(score.misses) - len(misses)} more")
        lines.append("")
    if args.model or args.cached_only:
        answers = Answers(CACHE)
        loaded: list[Any] = []

        def llm() -> Any:
            if not loaded:
                loaded.append(writer())
            return loaded[0]

        lines += ["## The writing model (Qwen2.5-Coder-1.5B-Instruct Q4_K_M, llama.cpp, JSON under the schema)", ""]
        for name in sets:
            items = load_set(name)
            scores, seconds, notes = model_scores(items, None if args.cached_only else llm, answers,
                                                  lambda m: print(m, file=sys.stderr, flush=True))
            scores = {"rules only": rule_scores[name], **scores}
            lines += [f"### {name} ({len(items)} notes)", ""] + table(scores) + [""]
            for mode, values in seconds.items():
                if values:
                    lines.append(f"- {mode}: {len(values)} notes asked, median {statistics.median(values):.0f} s, "
                                 f"max {max(values):.0f} s a note")
            skipped = sum(1 for stem, text, _ in items if not gaps(extract_record(text).record))
            lines.append(f"- gaps mode asked nothing (no model call) for {skipped} of {len(items)} notes")
            lines += [f"- {n}" for n in notes[:20]] + [""]
            for label in ("merged, gaps", "merged, full"):
                lines += [f"Mismatches, {name}, {label} ({len(scores[label].misses)}): " +
                          "; ".join(scores[label].misses[:25]), ""]
        if args.long and args.model:
            lines += ["### Long notes: whole or in parts", ""] + long_notes_timing(llm()) + [""]
    text = "\n".join(lines) + "\n"
    print(text)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "notes.md").write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
