"""Retrieval on an external question set (default ../shared/eval/alqac).

Builds our index of the dataset's documents (real MiniLM, real Chroma) in a
separate data directory, then reports Acc@1/5/10, MRR@10 and nDCG@10 over
distinct articles for BM25 alone, dense alone and the fused default, next to
the naive pipeline a user would build (LangChain RecursiveCharacterTextSplitter
1000/200 + the same MiniLM + Chroma, and BM25 over those chunks), plus search
latency. Also prints article recovery per document and ingest time.

    .venv/bin/python benchmarks/bench_retrieval.py [--eval-dir DIR] [--data-dir DIR] [--skip-naive]

Results go to benchmarks/results/retrieval.md and retrieval.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from assistant.evaluation.baseline import ARTICLE_HEADING, NaiveBaseline  # noqa: E402
from assistant.evaluation.metrics import distinct_articles, first_gold_rank, score_ranks  # noqa: E402
from assistant.offline import enforce_offline  # noqa: E402
from assistant.retrieval.search import query_text  # noqa: E402

DEFAULT_EVAL = REPO.parent / "shared" / "eval" / "alqac"
RESULTS = REPO / "benchmarks" / "results"


def load_questions(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def evaluate(questions: list[dict[str, Any]], search: Any) -> tuple[dict[str, float], list[float], list[Any]]:
    ranks, latencies = [], []
    for q in questions:
        started = time.perf_counter()
        pairs = search(query_text(q))
        latencies.append((time.perf_counter() - started) * 1000)
        gold = [(g["doc"], g["article"]) for g in q.get("gold", [])]
        ranks.append(first_gold_rank(distinct_articles(pairs)[:10], gold))
    return score_ranks(ranks).as_row(), latencies, ranks


def build_ours(docs: Path, data_dir: Path) -> tuple[Any, dict[str, Any]]:
    from assistant.services import Services
    from assistant.settings import load_settings

    settings = load_settings(overrides={"data_dir": str(data_dir)}, environ={})
    services = Services(settings)
    started = time.perf_counter()
    report = services.ingest([docs])
    seconds = time.perf_counter() - started
    recovery = {}
    for meta in services.documents():
        text = services.index.catalog.document_text(meta.doc_id) or ""
        expected = len(set(ARTICLE_HEADING.findall(text)))
        recovered = {c.article for c in services.index.catalog.chunks(meta.doc_id) if c.article}
        recovery[meta.doc_id] = {"expected": expected, "found": meta.articles, "chunked": len(recovered),
                                 "chunks": meta.chunks, "format": meta.format}
    info = {"ingest_seconds": round(seconds, 1), "counts": report.counts, "recovery": recovery,
            "failed": [r.reason for r in report.results if r.status == "failed"]}
    return services, info


def ours_search(services: Any, bm25: float, dense: float, fallback: bool = False) -> Any:
    from assistant.retrieval.search import Query, Searcher

    tuned = services.settings.retrieval.model_copy(update={"bm25_weight": bm25, "dense_weight": dense,
                                                           "dense_fallback": fallback})
    searcher = Searcher(services.index, tuned)

    def run(question: str) -> list[tuple[str, str]]:
        hits, _ = searcher.search(Query(question, k=20))
        return [(h.doc_id, h.article) for h in hits]

    return run


def main() -> None:
    enforce_offline()
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--eval-dir", type=Path, default=DEFAULT_EVAL)
    parser.add_argument("--data-dir", type=Path, help="reuse an index built earlier")
    parser.add_argument("--skip-naive", action="store_true")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()

    questions = load_questions(args.eval_dir / "dev_questions.jsonl")
    work = Path(tempfile.mkdtemp(prefix="chibo-bench-"))
    data_dir = args.data_dir or work / "data"
    services, info = build_ours(args.eval_dir / "docs", data_dir)
    print(f"ingest: {info['ingest_seconds']} s, {info['counts']}", file=sys.stderr)

    rows: dict[str, dict[str, float]] = {}
    latency: dict[str, Any] = {}
    s = services.settings.retrieval
    configs = [("ours: BM25 alone", 1.0, 0.0, False), ("ours: dense alone", 0.0, 1.0, False),
               ("ours: fused RRF (bm25 1.0, dense 0.1)", 1.0, 0.1, False),
               ("ours: fused RRF (bm25 1.0, dense 0.3)", 1.0, 0.3, False),
               (f"ours: DEFAULT (bm25 {s.bm25_weight}, dense {s.dense_weight}, dense fallback {s.dense_fallback})",
                s.bm25_weight, s.dense_weight, s.dense_fallback)]
    for name, bm25, dense, fallback in configs:
        rows[name], lat, _ = evaluate(questions, ours_search(services, bm25, dense, fallback))
        latency[name] = {"p50_ms": round(statistics.median(lat), 1),
                         "p95_ms": round(sorted(lat)[int(0.95 * (len(lat) - 1))], 1)}
        print(name, rows[name], latency[name], file=sys.stderr)
    naive_info: dict[str, Any] = {}
    if not args.skip_naive:
        naive = NaiveBaseline.from_services(services, work)
        naive_info = {"chunks": len(naive.chunks), "build_seconds": naive.build_seconds}
        for name, search in (("bm25", naive.bm25), ("dense", naive.dense)):
            def pairs(question: str, search: Any = search) -> list[tuple[str, str]]:
                return [(c.doc_id, c.article) for c in search(question, 20)]

            rows[f"naive LangChain 1000/200: {name}"], _, _ = evaluate(questions, pairs)
            print(name, rows[f"naive LangChain 1000/200: {name}"], file=sys.stderr)

    recovery = info["recovery"]
    total_expected = sum(r["expected"] for r in recovery.values())
    total_found = sum(r["found"] for r in recovery.values())
    args.out.mkdir(parents=True, exist_ok=True)
    payload = {"questions": len(questions), "metrics": rows, "latency": latency, "ingest": info,
               "naive": naive_info, "articles": {"expected": total_expected, "found": total_found}}
    (args.out / "retrieval.json").write_text(json.dumps(payload, ensure_ascii=False, indent=2), encoding="utf-8")
    lines = [f"# Retrieval benchmark ({args.eval_dir.name}, {len(questions)} dev questions)", "",
             "Gold = law + article; ranks over distinct articles in hit order.", "",
             "| pipeline | Acc@1 | Acc@5 | Acc@10 | MRR@10 | nDCG@10 |", "|---|---|---|---|---|---|"]
    for name, row in rows.items():
        lines.append(f"| {name} | " + " | ".join(f"{row[m]:.3f}" for m in
                                                 ("Acc@1", "Acc@5", "Acc@10", "MRR@10", "nDCG@10")) + " |")
    lines += ["", "Search latency (ms, k=20, this machine: 2 cores):", ""]
    lines += [f"- {name}: p50 {v['p50_ms']}, p95 {v['p95_ms']}" for name, v in latency.items()]
    lines += ["", f"Ingest of the whole folder: {info['ingest_seconds']} s ({info['counts']}).",
              f"Articles recovered: {total_found} / {total_expected} (headings counted independently in the text).",
              "", "| document | format | articles found | expected | chunks |", "|---|---|---|---|---|"]
    lines += [f"| {doc} | {r['format']} | {r['found']} | {r['expected']} | {r['chunks']} |"
              for doc, r in sorted(recovery.items())]
    if naive_info:
        lines += ["", f"Naive pipeline: {naive_info['chunks']} chunks, built in {naive_info['build_seconds']} s."]
    (args.out / "retrieval.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
