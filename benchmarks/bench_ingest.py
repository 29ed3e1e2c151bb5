"""Ingest that keeps up (issue 15): time to searchable, time to every vector, re-ingest, growth, a Chroma server.

Part A, the 17 laws of ../shared/eval/alqac with the real packaged MiniLM (``embedding.runtime`` as configured,
default ``auto``: int8 ONNX when the onnx package is installed):
  - ``chibo ingest DOCS`` as users run it, while this process searches by keyword every 0.5 s: when each law
    first answers a search for its own title (time to searchable), and when the command returns with every
    vector stored (time to all vectors);
  - ``chibo ingest DOCS`` again over the unchanged folder (wall time of the whole command, 3 runs);
  - one law edited (a sentence added to one article): passages re-embedded against passages kept;
  - embedding throughput of the same 256-wordpiece windows on torch fp32, ONNX fp32 and ONNX int8, and how far
    int8 vectors are from fp32 ones; with ``--quality`` dense-only Acc@1/5 on the 100 dev questions for both.

Part B, growth at 1x, 4x and 16x the corpus (copies under new ids as .txt with a distinguishing first line):
ingest time, index size on disk, search p50/p95 over the 100 dev questions, and the RSS of a fresh process holding
the index and answering them (the UI process proxy). The model is replaced by a stand-in with MiniLM's own
tokenizer (so chunks and passages are the real ones) and 384-d hashed vectors (so Chroma stores the real size):
on 2 shared cores 16x the corpus with the real model would take hours; its embedding time is added from the
throughput measured in part A (``model_s`` column), so the growth of everything else is measured, not assumed.

Part C, the 16x corpus ingested into a real ``chroma run`` server (store.mode http), with the server's RSS and disk.

    .venv/bin/python benchmarks/bench_ingest.py [--eval-dir DIR] [--work DIR] [--scales 1,4,16] [--skip-real]
        [--skip-server] [--quality]

Results: benchmarks/results/ingest.md, ingest.json and ingest.png. The machine is shared: every figure is printed
with the load average at the time.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from assistant.offline import enforce_offline  # noqa: E402

DEFAULT_EVAL = REPO.parent / "shared" / "eval" / "alqac"
RESULTS = REPO / "benchmarks" / "results"
ENV = {**os.environ, "OMP_WAIT_POLICY": "PASSIVE", "HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.1f}/{five:.1f}/{fifteen:.1f}"


def chibo(data: Path, *args: str, config: dict[str, str] | None = None) -> tuple[float, dict[str, Any]]:
    """Run the real CLI; (wall seconds including interpreter start, its --json output)."""
    env = {**ENV, **(config or {})}
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", "import sys; from assistant.cli import main; sys.exit(main())",
                           "--json", "--data-dir", str(data), *args], capture_output=True, text=True, env=env,
                          cwd=REPO, check=False)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"chibo {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    return seconds, json.loads(lines[-1]) if lines else {}


def du(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def questions(eval_dir: Path) -> list[dict[str, Any]]:
    path = eval_dir / "dev_questions.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


# -- part A -------------------------------------------------------------------
def keyword_probe(data: Path) -> Any:
    """A keyword-only searcher on ``data`` that never loads a model."""
    from assistant.embeddings.fake import FakeEmbedder
    from assistant.retrieval.index import SHARED, Index
    from assistant.retrieval.search import Searcher
    from assistant.settings import load_settings

    settings = load_settings(overrides={"data_dir": str(data)}, environ={})
    index = Index(settings, FakeEmbedder(), SHARED)
    tuned = settings.retrieval.model_copy(update={"dense_weight": 0.0, "dense_fallback": False})
    return index, Searcher(index, tuned)


def part_a(docs: Path, work: Path, quality: bool, eval_dir: Path) -> dict[str, Any]:
    from assistant.retrieval.search import Query

    data = work / "a-data"
    shutil.rmtree(data, ignore_errors=True)
    corpus = work / "a-docs"
    shutil.rmtree(corpus, ignore_errors=True)
    shutil.copytree(docs, corpus)
    expected = len([p for p in corpus.iterdir() if p.is_file()])
    # The one-time ONNX export happens at the first use on an installation; do it outside the clock.
    from assistant.embeddings.sentence_transformers import SentenceTransformerEmbedder
    from assistant.settings import load_settings

    settings = load_settings(overrides={"data_dir": str(data)}, environ={})
    warm = SentenceTransformerEmbedder(runtime=settings.embedding.runtime, cache_dir=settings.cache_dir)
    started = time.perf_counter()
    warm.embed_query("khởi động")
    export_s = round(time.perf_counter() - started, 1)
    del warm
    print(f"[A] chibo ingest of {expected} laws, load {load()} (model export/load {export_s} s before)", flush=True)
    env = {**ENV}
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", "import sys; from assistant.cli import main; sys.exit(main())",
                             "--json", "--data-dir", str(data), "ingest", str(corpus)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env, cwd=REPO)
    index, searcher = None, None
    searchable: dict[str, float] = {}
    probes = 0
    while proc.poll() is None:
        time.sleep(0.5)
        if not (data / "index" / "shared" / "catalog.sqlite3").exists():
            continue
        if index is None:
            index, searcher = keyword_probe(data)
        for meta in index.metas().values():
            if meta.doc_id in searchable:
                continue
            hits, _ = searcher.search(Query(meta.title or meta.doc_id, k=5, steer=False))
            probes += 1
            if any(h.doc_id == meta.doc_id for h in hits):
                searchable[meta.doc_id] = time.perf_counter() - started
    total = time.perf_counter() - started
    out, err = proc.communicate()
    if proc.returncode != 0:
        raise RuntimeError(err[-3000:])
    report = json.loads([line for line in out.splitlines() if line.startswith("{")][-1])
    first = {
        "load": load(), "documents": expected, "searchable_first_s": round(min(searchable.values()), 1),
        "searchable_all_s": round(max(searchable.values()), 1) if len(searchable) == expected else None,
        "searchable_reported_s": report["searchable_seconds"], "all_vectors_s": round(total, 1),
        "searchable_cpu_s": report.get("searchable_cpu_seconds"), "cpu_s": report.get("cpu_seconds"),
        "embedded": report["embedded"], "probe_searches": probes,
        "passages": sum(f["passages"] for f in report["files"]), "chunks": sum(f["chunks"] for f in report["files"]),
    }
    print(f"[A] {first}", flush=True)

    unchanged, unchanged_cpu = [], []
    for _ in range(3):
        before = os.times()
        seconds, rep = chibo(data, "ingest", str(corpus))
        after = os.times()
        assert rep["counts"]["unchanged"] == expected, rep["counts"]
        unchanged.append(round(seconds, 2))
        # The whole command's CPU (interpreter start, imports, the run): what it costs on an idle core.
        unchanged_cpu.append(round(after.children_user + after.children_system
                                   - before.children_user - before.children_system, 2))
    print(f"[A] unchanged re-ingest {unchanged} s wall, {unchanged_cpu} s CPU, load {load()}", flush=True)

    law = corpus / "Luật Cư trú.txt"
    text = law.read_text(encoding="utf-8")
    marker = "Điều 10."
    position = text.index("\n", text.index(marker))
    law.write_text(text[:position] + " Nội dung này được bổ sung để đo việc nhúng lại." + text[position:],
                   encoding="utf-8")
    seconds, rep = chibo(data, "ingest", str(corpus))
    changed = next(f for f in rep["files"] if f["status"] == "replaced")
    edit = {"seconds": round(seconds, 1), "passages": changed["passages"], "kept": changed["reused_passages"],
            "embedded": rep["embedded"], "load": load()}
    print(f"[A] one article edited: {edit}", flush=True)

    runtimes = runtime_comparison(data)
    result = {"ingest": first, "unchanged_s": unchanged, "unchanged_cpu_s": unchanged_cpu, "edit": edit,
              "runtimes": runtimes}
    if quality:
        result["quality"] = dense_quality(data, eval_dir)
    if index is not None:
        index.close()
    return result


def runtime_comparison(data: Path, sample: int = 192) -> dict[str, Any]:
    """Windows/s of torch fp32, ONNX fp32 and ONNX int8 on the same real passages, and int8's distance to fp32."""
    import numpy as np

    from assistant.embeddings.sentence_transformers import SentenceTransformerEmbedder
    from assistant.retrieval.catalog import Catalog

    catalog = Catalog(data / "index" / "shared" / "catalog.sqlite3")
    texts: list[str] = []
    for meta in catalog.documents():
        body = catalog.document_text(meta.doc_id) or ""
        texts.extend(body[p.start:p.end] for p in catalog.passages(meta.doc_id))
    texts = sorted(texts, key=len)[len(texts) // 4:][:: max(len(texts) // sample, 1)][:sample]
    out: dict[str, Any] = {"windows": len(texts)}
    vectors = {}
    for runtime in ("torch", "onnx", "onnx-int8"):
        embedder = SentenceTransformerEmbedder(runtime=runtime, cache_dir=data / "cache")
        embedder.embed_documents(texts[:4])  # load / export outside the clock
        started, cpu = time.perf_counter(), time.process_time()
        vectors[runtime] = np.asarray(embedder.embed_documents(texts))
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        query = [time.perf_counter()]
        for text in ("quyền tự do cư trú của công dân", "người nghiện ma túy", "hợp đồng dân sự vô hiệu"):
            embedder.embed_query(text)
            query.append(time.perf_counter())
        gaps = [b - a for a, b in zip(query, query[1:], strict=False)]
        out[runtime] = {"windows_per_s": round(len(texts) / seconds, 1), "load": load(),
                        "cpu_ms_per_window": round(1000 * cpu / len(texts), 1),
                        "query_ms": round(1000 * statistics.median(gaps), 1)}
        print(f"[A] {runtime}: {out[runtime]}", flush=True)
    for runtime in ("onnx", "onnx-int8"):
        cos = (vectors[runtime] * vectors["torch"]).sum(axis=1)
        out[runtime]["cosine_to_torch_mean"] = round(float(cos.mean()), 4)
        out[runtime]["cosine_to_torch_min"] = round(float(cos.min()), 4)
    return out


def dense_quality(data: Path, eval_dir: Path) -> dict[str, Any]:
    """Dense-only Acc@1/5 on the dev questions: the stored (default runtime) vectors against torch fp32 ones."""
    import numpy as np

    from assistant.embeddings.sentence_transformers import SentenceTransformerEmbedder
    from assistant.evaluation.metrics import distinct_articles, first_gold_rank, score_ranks
    from assistant.retrieval.catalog import Catalog
    from assistant.retrieval.search import query_text

    catalog = Catalog(data / "index" / "shared" / "catalog.sqlite3")
    chunks = {c.chunk_id: c for c in catalog.chunks()}
    passages, texts = [], []
    for meta in catalog.documents():
        body = catalog.document_text(meta.doc_id) or ""
        for p in catalog.passages(meta.doc_id):
            passages.append(p)
            texts.append(body[p.start:p.end])
    out = {}
    for runtime in ("onnx-int8", "torch"):
        embedder = SentenceTransformerEmbedder(runtime=runtime, cache_dir=data / "cache")
        matrix = np.asarray(embedder.embed_documents(texts))
        ranks = []
        for item in questions(eval_dir):
            scores = matrix @ np.asarray(embedder.embed_query(query_text(item)))
            pairs = []
            for i in np.argsort(-scores)[:10]:
                for cid in passages[i].chunk_ids:
                    chunk = chunks[cid]
                    pairs.append((chunk.doc_id, chunk.article))
            gold = [(g["doc"], g["article"]) for g in item.get("gold", [])]
            ranks.append(first_gold_rank(distinct_articles(pairs)[:10], gold))
        out[runtime] = {k: round(v, 3) for k, v in score_ranks(ranks).as_row().items()}
        print(f"[A] dense-only {runtime}: {out[runtime]}, load {load()}", flush=True)
    return out


# -- parts B and C --------------------------------------------------------------
class StandIn:
    """MiniLM's tokenizer (real chunks and passages) with 384-d hashed vectors instead of the network."""

    name = "stand-in"
    model_id = "stand-in-minilm-tokenizer-384"

    def __init__(self) -> None:
        from assistant.embeddings.fake import FakeEmbedder
        from assistant.embeddings.sentence_transformers import SentenceTransformerEmbedder

        self._tokens = SentenceTransformerEmbedder(runtime="torch")
        self._vectors = FakeEmbedder(dimension=384)

    @property
    def dimension(self) -> int:
        return 384

    @property
    def max_tokens(self) -> int:
        return self._tokens.max_tokens

    def count_tokens(self, text: str) -> int:
        return self._tokens.count_tokens(text)

    def token_offsets(self, text: str) -> list[tuple[int, int]]:
        return self._tokens.token_offsets(text)

    def embed_documents(self, texts: Any) -> list[list[float]]:
        return self._vectors.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        return self._vectors.embed_query(text)


def make_copies(docs: Path, work: Path, scale: int) -> Path:
    """The 17 originals plus (scale-1) text copies of each under new ids."""
    from assistant.ingest.loaders import load_document

    done = work / f"docs-{scale}x"
    if done.is_dir():
        return done
    folder = work / f"docs-{scale}x.partial"  # renamed when complete: an interrupted run leaves no half corpus
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    originals = sorted(p for p in docs.iterdir() if p.is_file())
    for path in originals:
        shutil.copy2(path, folder / path.name)
    for copy in range(2, scale + 1):
        for path in originals:
            text = load_document(path).text
            (folder / f"{path.stem} (bản {copy}).txt").write_text(
                f"[Bản sao thử nghiệm số {copy} của {path.stem}]\n{text}", encoding="utf-8")
    folder.rename(done)
    return done


PROBE = """
import json, os, resource, statistics, sys, time
sys.path.insert(0, sys.argv[1])
sys.path.insert(0, os.path.join(sys.argv[1], "benchmarks"))
from bench_ingest import StandIn, questions
from pathlib import Path
from assistant.retrieval.search import query_text
from assistant.services import Services
from assistant.settings import load_settings
overrides = json.loads(sys.argv[3])
services = Services(load_settings(overrides=overrides, environ={}), embedder=StandIn())
items = questions(Path(sys.argv[2]))
started, cpu = time.perf_counter(), time.process_time()
services.search(query_text(items[0]), k=5)  # opens the catalog and builds BM25
open_s, open_cpu = time.perf_counter() - started, time.process_time() - cpu
services.index.vectors.count()  # Chroma opened too
latencies, cpu_ms = [], []
for item in items:
    t, c = time.perf_counter(), time.process_time()
    services.search(query_text(item), k=5)
    latencies.append((time.perf_counter() - t) * 1000)
    cpu_ms.append((time.process_time() - c) * 1000)
dense = []
vector = services.embedder.embed_query("quyền tự do cư trú")
for item in items[:50]:
    t = time.perf_counter()
    services.index.dense_search(services.embedder.embed_query(query_text(item)), 10)
    dense.append((time.perf_counter() - t) * 1000)
q = statistics.quantiles(latencies, n=20)
d = statistics.quantiles(dense, n=20)
status = {l.split(":")[0]: int(l.split()[1]) for l in open("/proc/self/status") if l.startswith(("VmRSS", "VmHWM"))}
c = statistics.quantiles(cpu_ms, n=20)
print(json.dumps({"open_s": round(open_s, 2), "open_cpu_s": round(open_cpu, 2),
                  "cpu_p50_ms": round(statistics.median(cpu_ms), 1), "cpu_p95_ms": round(c[18], 1),
                  "p50_ms": round(statistics.median(latencies), 1),
                  "p95_ms": round(q[18], 1), "dense_p50_ms": round(statistics.median(dense), 1),
                  "dense_p95_ms": round(d[18], 1), "rss_mb": round(status["VmRSS"] / 1024),
                  "peak_rss_mb": round(status["VmHWM"] / 1024)}))
"""


def measure_scale(folder: Path, data: Path, eval_dir: Path, store: dict[str, Any], throughput: float) -> dict[str, Any]:
    from assistant.services import Services
    from assistant.settings import load_settings

    shutil.rmtree(data, ignore_errors=True)
    overrides = {"data_dir": str(data), "store": store}
    services = Services(load_settings(overrides=overrides, environ={}), embedder=StandIn())
    report = services.ingest([folder])
    services.index.close()
    passages = sum(f.passages for f in report.results)
    row = {"documents": len(report.results), "passages": passages,
           "chunks": sum(f.chunks for f in report.results),
           "searchable_s": round(report.searchable_seconds, 1),
           "store_s": round(report.seconds - report.searchable_seconds, 1),
           "searchable_cpu_s": round(report.searchable_cpu_seconds, 1),
           "model_s": round(passages / throughput, 1) if throughput else None,
           "disk_mb": round(du(data / "index") / 1e6, 1), "load": load()}
    row["ingest_s"] = round(row["searchable_s"] + row["store_s"] + (row["model_s"] or 0), 1)
    done = subprocess.run([sys.executable, "-c", PROBE, str(REPO), str(eval_dir), json.dumps(overrides)],
                          capture_output=True, text=True, env=ENV, cwd=REPO, check=False)
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-3000:])
    row.update(json.loads(done.stdout.strip().splitlines()[-1]))
    return row


def start_chroma(work: Path) -> tuple[subprocess.Popen[bytes], int]:
    import socket
    import urllib.request

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    path = work / "chroma-server"
    shutil.rmtree(path, ignore_errors=True)
    log = (work / "chroma-server.log").open("wb")
    proc = subprocess.Popen([str(Path(sys.executable).parent / "chroma"), "run", "--path", str(path), "--host",
                             "127.0.0.1", "--port", str(port)], stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    for _ in range(150):
        try:
            with opener.open(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=2):
                return proc, port
        except OSError:
            time.sleep(0.2)
    proc.terminate()
    raise RuntimeError("chroma run did not start")


def rss_mb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS"):
            return round(int(line.split()[1]) / 1024)
    return 0


def plot(rows: list[dict[str, Any]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    scales = [r["scale"] for r in rows]
    fig, axes = plt.subplots(1, 4, figsize=(16, 3.8))
    axes[0].stackplot(scales, [r.get("searchable_cpu_s", r["searchable_s"]) for r in rows],
                      [r["store_s"] for r in rows], [r["model_s"] or 0 for r in rows],
                      labels=["catalog + BM25 (CPU)", "vector store", "MiniLM int8 (CPU / 2 cores)"])
    axes[0].set_title("ingest cost (s)")
    axes[0].legend(loc="upper left", fontsize=8)
    axes[1].plot(scales, [r["disk_mb"] for r in rows], "o-")
    axes[1].set_title("index on disk (MB)")
    axes[2].plot(scales, [r.get("cpu_p50_ms", r["p50_ms"]) for r in rows], "o-", label="p50")
    axes[2].plot(scales, [r.get("cpu_p95_ms", r["p95_ms"]) for r in rows], "s--", label="p95")
    axes[2].set_title("search CPU time (ms)")
    axes[2].legend(fontsize=8)
    axes[3].plot(scales, [r["rss_mb"] for r in rows], "o-")
    axes[3].set_title("RSS holding the index (MB)")
    for axis in axes:
        axis.set_xlabel("corpus size (× 17 laws)")
        axis.set_xticks(scales)
        axis.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def tables(results: dict[str, Any]) -> str:
    """The measured tables in Markdown (the analysis around them is written by hand in ingest.md)."""
    out = []
    real = results.get("real", {})
    if real:
        a = real["ingest"]
        out += ["| 17 laws, real MiniLM | wall s (load) | CPU s |", "|---|---|---|",
                f"| first law keyword-searchable | {a['searchable_first_s']} ({a['load']}) | |",
                f"| all 17 keyword-searchable | {a['searchable_all_s']} | {a.get('searchable_cpu_s', '')} |",
                f"| every passage embedded (command returns) | {a['all_vectors_s']} | {a.get('cpu_s', '')} |",
                f"| unchanged re-ingest (whole command) | {real['unchanged_s']} | {real.get('unchanged_cpu_s', '')} |",
                f"| one article edited: passages re-embedded | {real['edit']['embedded']} of "
                f"{real['edit']['passages']} ({real['edit']['seconds']} s) | |", ""]
        rt = real.get("runtimes", {})
        if rt:
            out += ["| runtime | windows/s (load) | CPU ms/window | query ms | cosine to torch (mean/min) |",
                    "|---|---|---|---|---|"]
            for name in ("torch", "onnx", "onnx-int8"):
                r = rt[name]
                out.append(f"| {name} | {r['windows_per_s']} ({r['load']}) | {r.get('cpu_ms_per_window', '')} | "
                           f"{r['query_ms']} | {r.get('cosine_to_torch_mean', 1)}/{r.get('cosine_to_torch_min', 1)} |")
            out.append("")
    rows = results.get("growth", [])
    if rows:
        out += ["| scale | docs | passages | catalog+BM25 wall s / CPU s | vector store s | MiniLM int8 s (est.) | "
                "disk MB | open wall s / CPU s | search p50/p95 wall ms | search p50/p95 CPU ms | dense p50/p95 ms | "
                "RSS MB | load |", "|" + "---|" * 13]
        for r in rows:
            out.append(f"| {r['scale']}× | {r['documents']} | {r['passages']} | {r['searchable_s']} / "
                       f"{r.get('searchable_cpu_s', '')} | {r['store_s']} | {r['model_s']} | {r['disk_mb']} | "
                       f"{r['open_s']} / {r.get('open_cpu_s', '')} | {r['p50_ms']}/{r['p95_ms']} | "
                       f"{r.get('cpu_p50_ms', '')}/{r.get('cpu_p95_ms', '')} | {r['dense_p50_ms']}/{r['dense_p95_ms']} | "
                       f"{r['rss_mb']} | {r['load']} |")
        out.append("")
    server = results.get("server")
    if server:
        out += ["| Chroma server | docs | passages | catalog+BM25 wall s / CPU s | vector store s | search p50/p95 ms | "
                "dense p50/p95 ms (HTTP) | app RSS MB | server RSS MB | server disk MB | load |", "|" + "---|" * 11,
                f"| {server['scale']}× | {server['documents']} | {server['passages']} | {server['searchable_s']} / "
                f"{server.get('searchable_cpu_s', '')} | "
                f"{server['store_s']} | {server['p50_ms']}/{server['p95_ms']} | {server['dense_p50_ms']}/"
                f"{server['dense_p95_ms']} | {server['rss_mb']} | {server['server_rss_mb']} | "
                f"{server['server_disk_mb']} | {server['load']} |", ""]
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--eval-dir", type=Path, default=DEFAULT_EVAL)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "chibo-bench-ingest")
    parser.add_argument("--scales", default="1,4,16")
    parser.add_argument("--skip-real", action="store_true", help="reuse part A from the previous ingest.json")
    parser.add_argument("--skip-server", action="store_true")
    parser.add_argument("--quality", action="store_true", help="dense-only accuracy, int8 against torch")
    parser.add_argument("--server-only", type=int, default=0, metavar="SCALE",
                        help="only part C at this scale (merged into the existing results)")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    enforce_offline()
    args.work.mkdir(parents=True, exist_ok=True)
    docs = args.eval_dir / "docs"
    previous = json.loads((args.out / "ingest.json").read_text()) if (args.out / "ingest.json").is_file() else {}
    results: dict[str, Any] = {"machine": f"{os.cpu_count()} cores, load at start {load()}"}
    results["real"] = previous.get("real", {}) if args.skip_real else part_a(docs, args.work, args.quality,
                                                                              args.eval_dir)
    real = results["real"].get("ingest", {})
    default_rate = (real.get("embedded", 0) / max(real["all_vectors_s"] - real["searchable_reported_s"], 1e-9)
                    if real else 0.0)
    results["default_windows_per_s"] = round(default_rate, 1)
    rows = []
    if args.server_only:
        args.scales = ""
    for scale in [int(s) for s in args.scales.split(",") if s.strip()]:
        folder = make_copies(docs, args.work, scale)
        row = {"scale": scale, **measure_scale(folder, args.work / f"b-data-{scale}x", args.eval_dir,
                                               {"mode": "persistent"}, default_rate)}
        print(f"[B] {row}", flush=True)
        rows.append(row)
    results["growth"] = rows or previous.get("growth", [])
    if not rows and "server" in previous:
        results["server"] = previous["server"]
    if args.server_only or (not args.skip_server and rows):
        proc, port = start_chroma(args.work)
        try:
            scale = args.server_only or max(r["scale"] for r in rows)
            folder = make_copies(docs, args.work, scale)
            row = {"scale": scale, **measure_scale(folder, args.work / "c-data", args.eval_dir,
                                                   {"mode": "http", "host": "127.0.0.1", "port": port},
                                                   default_rate)}
            row["server_rss_mb"] = rss_mb(proc.pid)
            row["server_disk_mb"] = round(du(args.work / "chroma-server") / 1e6, 1)
            print(f"[C] {row}", flush=True)
            results["server"] = row
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "ingest.json").write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    (args.out / "ingest-tables.md").write_text(tables(results), encoding="utf-8")
    if rows:
        plot(rows, args.out / "ingest.png")
    print(json.dumps(results, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
