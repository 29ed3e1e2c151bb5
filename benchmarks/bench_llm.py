"""Writing models: latency, speed and memory, the study chat's first words, and whether the model can judge.

1. Per model and thread policy (each in a fresh process, because OpenMP reads OMP_WAIT_POLICY when
   llama.cpp loads): load time, first-token and total latency of the study-chat lead prompt,
   generated tokens per second, RSS with the model loaded. Models: the SmolLM2 demo, the packaged
   Qwen2.5-Coder-1.5B writer, and the writer behind an OpenAI-compatible server (llama_cpp.server).
2. Study chat with the writer over the bundled corpus: time to the first streamed word and to the
   verified answer, p50 and p95 (issue 12 goal: first words within 6 s on 2 idle cores), and how
   many lead sentences the verifier kept.
3. The writer's own verdicts on the true/false and multiple-choice questions with gold answers
   (ALQAC dev in ../shared/eval/alqac, and our study questions), recorded as its capabilities.

    .venv/bin/python benchmarks/bench_llm.py [--quick] [--skip-judgement]

Results go to benchmarks/results/llm.md (and llm.json). Machine load is recorded next to each figure.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
OUT = REPO / "benchmarks" / "results"
ALQAC = REPO.parent / "shared" / "eval" / "alqac"
# Different questions and clauses per run: only the fixed system prompt may come from llama.cpp's prefix cache.
CASES = [
    ("Đảng viên phải kích hoạt tài khoản trong thời hạn bao lâu?", "khoản 1 Điều 5 Quy định 339-QĐ/TW",
     "1. Đảng viên có trách nhiệm cài đặt Ứng dụng và kích hoạt tài khoản trong thời hạn 30 ngày kể từ ngày được "
     "chi bộ thông báo cấp tài khoản."),
    ("Cấp ủy phải trả lời phản ánh của đảng viên trong bao lâu?", "khoản 2 Điều 8 Quy định 339-QĐ/TW",
     "2. Cấp ủy nhận được phản ánh, kiến nghị phải trả lời đảng viên trong thời hạn 15 ngày làm việc; vụ việc "
     "phức tạp thì không quá 30 ngày làm việc."),
    ("Mỗi kỳ sinh hoạt chi bộ thường kỳ kéo dài bao lâu?", "điểm b mục 3 Chỉ thị 50-CT/TW",
     "b) Thời gian mỗi kỳ sinh hoạt thường kỳ không ít hơn 90 phút; trường hợp kết hợp sinh hoạt chuyên đề thì "
     "không ít hơn 120 phút;"),
]


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _rss_mb() -> float:
    with open("/proc/self/status", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _lead_messages(run: int) -> list[Any]:
    from assistant.study.generative import lead_messages
    from assistant.text.support import Passage

    question, citation, text = CASES[run % len(CASES)]
    return lead_messages(question, [Passage(1, text, citation)], "vi")


def _time_stream(llm: Any, runs: int) -> dict[str, Any]:
    firsts, totals, rates, texts = [], [], [], []
    for run in range(runs):
        started = time.perf_counter()
        first = None
        pieces = []
        for piece in llm.stream(_lead_messages(run), max_tokens=96, temperature=0.0):
            if first is None:
                first = time.perf_counter() - started
            pieces.append(piece)
        total = time.perf_counter() - started
        tokens = llm.count_tokens("".join(pieces)) if pieces else 0
        firsts.append(first or total)
        totals.append(total)
        rates.append(tokens / max(total - (first or 0), 1e-6))
        texts.append("".join(pieces))
    return {"first_token_s": [round(x, 2) for x in firsts], "total_s": [round(x, 2) for x in totals],
            "gen_tok_s": round(statistics.median(rates), 1), "sample": texts[-1][:200]}


def worker(config: str, runs: int) -> dict[str, Any]:
    """One model in this process (the thread policy was set by the parent): load, time, measure RSS."""
    from assistant.llm.packaged import QWEN_CODER_1_5B, find_packaged_gguf, verify
    from assistant.settings import load_settings

    path = find_packaged_gguf() if config.startswith("smollm2") else verify(QWEN_CODER_1_5B)
    result: dict[str, Any] = {"config": config, "omp_wait_policy": os.environ.get("OMP_WAIT_POLICY", "(unset)"),
                              "load_before": _load()}
    if config.endswith("server"):
        from assistant.llm import create_llm

        port = 18000 + os.getpid() % 1000
        argv = [sys.executable, "-m", "llama_cpp.server", "--model", str(path), "--model_alias", "writer",
                "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "2048", "--n_threads", "2"]
        server = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            settings = load_settings(overrides={"llm": {"openai": {"base_url": f"http://127.0.0.1:{port}/v1",
                                                                   "model": "writer"}}}, environ={})
            llm = create_llm(settings, "openai")
            started = time.perf_counter()
            while True:
                try:
                    llm.list_models()  # type: ignore[attr-defined]
                    break
                except Exception:
                    if time.perf_counter() - started > 60:
                        raise
                    time.sleep(0.5)
            result["load_s"] = round(time.perf_counter() - started, 2)
            result.update(_time_stream(llm, runs))
            result["rss_mb"] = round(int(subprocess.run(["ps", "-o", "rss=", "-p", str(server.pid)],
                                                        capture_output=True, text=True).stdout.strip()) / 1024)
        finally:
            server.terminate()
            server.wait(10)
        return result
    from assistant.llm.embedded import EmbeddedLLM, EmbeddedLLMSettings

    llm = EmbeddedLLM(EmbeddedLLMSettings(model_path=path), temperature=0.0, max_tokens=96)
    started = time.perf_counter()
    llm.count_tokens("xin chào")  # loads the model
    result["load_s"] = round(time.perf_counter() - started, 2)
    result.update(_time_stream(llm, runs))
    result["rss_mb"] = round(_rss_mb())
    return result


def _models(runs: int) -> list[dict[str, Any]]:
    rows = []
    for config in ("smollm2", "qwen", "qwen-server"):
        for policy in ("PASSIVE", "ACTIVE"):
            env = dict(os.environ, OMP_WAIT_POLICY=policy, HF_HUB_OFFLINE="1")
            proc = subprocess.run([sys.executable, __file__, "--worker", config, "--runs", str(runs)], env=env,
                                  capture_output=True, text=True, timeout=1800)
            if proc.returncode != 0:
                rows.append({"config": config, "omp_wait_policy": policy, "error": proc.stderr[-400:]})
                continue
            rows.append(json.loads(proc.stdout.strip().splitlines()[-1]))
            print(rows[-1], file=sys.stderr)
    return rows


def _study_chat(questions: int) -> dict[str, Any]:
    """The study chat with the writer over the bundled corpus: first words and verified answers."""
    from assistant.evaluation.dataset import load_dataset
    from assistant.services import Services
    from assistant.settings import load_settings

    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(overrides={"data_dir": tmp}, environ={})
        services = Services(settings)
        services.prepare_corpus()
        items = [i for i in load_dataset(REPO / "evals" / "study_questions.jsonl") if i.answerable][:questions]
        # As the web interface does at start (services.warm_up_llm_in_background): the model is loaded before the
        # first question; the load itself is reported apart.
        started = time.perf_counter()
        warm = getattr(services.llm, "warm_up", None)
        if warm is not None:
            warm()
        model_load_s = round(time.perf_counter() - started, 2)
        firsts, totals, kept, removed, modes = [], [], 0, 0, {}
        for item in items:
            started = time.perf_counter()
            first = None
            answer = None
            for event in services.chat.ask_stream(item.question):
                if event.kind == "token" and first is None:
                    first = time.perf_counter() - started
                if event.kind == "answer":
                    answer = event.answer
            totals.append(time.perf_counter() - started)
            firsts.append(first or totals[-1])
            assert answer is not None
            modes[answer.mode] = modes.get(answer.mode, 0) + 1
            kept += bool(answer.lead)
            removed += len(answer.removed_sentences)
        q = statistics.quantiles
        return {"model": services.llm.describe().get("model"), "questions": len(items), "load": _load(),
                "model_load_s": model_load_s,
                "first_word_p50_s": round(statistics.median(firsts), 2),
                "first_word_p95_s": round(q(firsts, n=20)[-1], 2) if len(firsts) > 1 else None,
                "answer_p50_s": round(statistics.median(totals), 2),
                "answer_p95_s": round(q(totals, n=20)[-1], 2) if len(totals) > 1 else None,
                "with_verified_lead": kept, "lead_sentences_removed": removed, "modes": modes}


def _judgement() -> list[dict[str, Any]]:
    """The writer's own verdicts on datasets with gold answers, recorded as its capabilities."""
    from assistant.evaluation.dataset import load_dataset
    from assistant.evaluation.judgement import probe_judgement
    from assistant.services import Services
    from assistant.settings import load_settings

    out = []
    for name, dataset, docs in (("alqac-dev", ALQAC / "dev_questions.jsonl", ALQAC / "docs"),
                                ("study_questions", REPO / "evals" / "study_questions.jsonl", REPO / "corpus")):
        if not dataset.exists():
            out.append({"dataset": name, "status": "missing"})
            continue
        with tempfile.TemporaryDirectory() as tmp:
            settings = load_settings(overrides={"data_dir": tmp, "embedding": {"backend": "fake"}}, environ={})
            services = Services(settings)
            services.ingest([docs])
            result = probe_judgement(load_dataset(dataset), services, dataset=name)
            result["dataset"] = name
            result["load"] = _load()
            out.append(result)
            print(result, file=sys.stderr)
    return out


def _write(results: dict[str, Any]) -> None:
    lines = ["# Writing models", "", "Written by `benchmarks/bench_llm.py` on 2 cores; `load avg` is the 1/5/15-minute "
             "load average when measured (about 1–2 means the machine was otherwise idle).", "",
             "Thread policy: on an idle machine llama.cpp's spinning OpenMP threads (`ACTIVE`) generate faster (the 1.5B "
             "writer 28.7 against 18.5 tokens/s, 2026-11-26); with other work on the machine they collapse (load 7–8, "
             "same day: 0.5 tokens/s ACTIVE against 7.4 PASSIVE; SmolLM2 2.2 against 25.3). We keep `PASSIVE`: a "
             "commune PC also serves searches, ingests and other users while the model writes.", "",
             "## Latency, speed and memory (study-chat lead prompt, 96 tokens max)", "",
             "| model | OMP_WAIT_POLICY | load s | first token s | total s | gen tok/s | RSS MB | load avg |",
             "|---|---|---|---|---|---|---|---|"]
    for r in results.get("models", []):
        if "error" in r:
            lines.append(f"| {r['config']} | {r['omp_wait_policy']} | error: {r['error'][-120:]} |||||")
            continue
        lines.append(f"| {r['config']} | {r['omp_wait_policy']} | {r['load_s']} | {r['first_token_s']} | "
                     f"{r['total_s']} | {r['gen_tok_s']} | {r['rss_mb']} | {r['load_before']} |")
    chat = results.get("study_chat")
    if chat:
        lines += ["", "## Study chat with the writer (bundled corpus, answerable study questions)", "",
                  f"- model {chat['model']}, {chat['questions']} questions, load {chat['load']}; the model was "
                  f"loaded before the first question, as the web interface does at start "
                  f"({chat.get('model_load_s', '?')} s)",
                  f"- first words: p50 {chat['first_word_p50_s']} s, p95 {chat['first_word_p95_s']} s (goal ≤ 6 s)",
                  f"- verified answer: p50 {chat['answer_p50_s']} s, p95 {chat['answer_p95_s']} s",
                  f"- answers with a verified model lead: {chat['with_verified_lead']}/{chat['questions']}; "
                  f"lead sentences removed by the verifier: {chat['lead_sentences_removed']}; modes {chat['modes']}"]
    judged = results.get("judgement")
    if judged:
        lines += ["", "## Can the writer judge? (its own verdicts, asked directly)", "",
                  "| dataset | true/false accuracy | option accuracy | may state verdicts (≥ 0.85) |", "|---|---|---|---|"]
        for j in judged:
            if j.get("status") != "measured":
                lines.append(f"| {j['dataset']} | {j.get('status')} | | |")
                continue
            tf, mc = j["true_false"], j["multiple_choice"]
            lines.append(f"| {j['dataset']} | {tf['accuracy']} ({tf['correct']}/{tf['n']}) | "
                         f"{mc['accuracy']} ({mc['correct']}/{mc['n']}) | {'yes' if j['judges'] else 'no'} |")
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "llm.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (OUT / "llm.json").write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    print("\n".join(lines))


def main() -> None:
    """Run the three parts and write the results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worker")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="fewer runs and questions")
    parser.add_argument("--skip-judgement", action="store_true")
    parser.add_argument("--only", choices=("models", "chat", "judgement"))
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.runs), ensure_ascii=False))
        return
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    path = OUT / "llm.json"
    results: dict[str, Any] = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    if args.only in (None, "models"):
        results["models"] = _models(2 if args.quick else args.runs)
        _write(results)
    if args.only in (None, "chat"):
        results["study_chat"] = _study_chat(8 if args.quick else 16)
        _write(results)
    if args.only in (None, "judgement") and not args.skip_judgement:
        results["judgement"] = _judgement()
    _write(results)


if __name__ == "__main__":
    main()
