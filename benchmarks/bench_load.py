"""Many users on one server: 50 gradio_client users sign in at once, then ask, draft minutes and make bulletins.

The server runs in its own process (``chibo ui`` code: our login page, gate, per-user files,
concurrency limits), over the bundled ``corpus/`` with the default embedding model. Each client
is a secretary (so every kind of request is allowed), signs in (timed on its own, all clients at
the same moment), then until the time is up: waits a think time (default 2–6 s, a person reading
the answer and typing the next question), and sends a study question (75 %), a minutes request
(15 %) or a 1-minute audio bulletin (10 %).

``--llm smollm2`` (default): the packaged SmolLM2-135M, which cannot write Vietnamese, so answers
are extractive and no request needs the model. ``--llm fake-writer``: a stand-in writing model
(marked as writing Vietnamese, 1.5 s per call behind the real ``ModelQueue``), to show that
writer-model requests queue in order with their place known; the server records each place a
request waited at.

    .venv/bin/python benchmarks/bench_load.py [--clients 50] [--seconds 120] [--llm smollm2|fake-writer]

Results (p50/p95 per kind, errors, sign-in times, server RSS) go to benchmarks/results/load.md
(``--out`` to change); each run replaces the section of its ``--llm``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

RESULTS = REPO / "benchmarks" / "results"
PASSWORD = "mat-khau-do-tai-01"
QUESTIONS = [
    "Đảng viên phải cài đặt ứng dụng Sổ tay đảng viên điện tử không?",
    "Quy định 339-QĐ/TW áp dụng cho ai?",
    "Nghị quyết 57 đặt mục tiêu gì đến năm 2030?",
    "Sinh hoạt chi bộ thường kỳ kéo dài ít nhất bao lâu?",
    "Đảng viên được xếp loại hoàn thành xuất sắc nhiệm vụ khi đạt bao nhiêu điểm?",
    "Thủ tục hành chính của Đảng nào được thực hiện trực tuyến toàn trình?",
    "Tài liệu sinh hoạt phải gửi lên ứng dụng trước bao lâu?",
    "Kế hoạch 168-KH/VPTW triển khai ứng dụng như thế nào?",
    "Chỉ thị 50-CT/TW yêu cầu gì về chất lượng sinh hoạt chi bộ?",
    "Còn khoản 2 thì sao?",
]
NOTES_DIR = REPO / "evals" / "drafting" / "notes"
MIX = (("ask", 0.75), ("minutes", 0.15), ("bulletin", 0.10))
KINDS = ("ask", "minutes", "bulletin")


# -- the server process ------------------------------------------------------------------
class SlowWriter:
    """A stand-in writing model: 1.5 s per call, one at a time through the real ModelQueue, places logged."""

    name = "fake"

    def __init__(self, log: Path, seconds: float = 1.5) -> None:
        from assistant.llm.capabilities import Capabilities
        from assistant.llm.queue import ModelQueue

        self.model = "slow-writer"
        self.capabilities = Capabilities(writes_vietnamese=True, evidence="benchmark stand-in")
        self.queue = ModelQueue()
        self.seconds = seconds
        self.log = log
        self._lock = threading.Lock()

    def _turn(self) -> Any:
        def waiting(ahead: int) -> None:
            with self._lock, self.log.open("a", encoding="utf-8") as handle:
                handle.write(json.dumps({"ahead": ahead, "at": time.time()}) + "\n")
        return self.queue.turn(on_wait=waiting)

    def generate(self, prompt: Any, **_: Any) -> str:
        with self._turn():
            time.sleep(self.seconds)
        return ""

    def generate_json(self, prompt: Any, schema: Any, **_: Any) -> str:
        with self._turn():
            time.sleep(self.seconds)
        return "{}"

    def stream(self, prompt: Any, **_: Any) -> Any:
        with self._turn():
            time.sleep(self.seconds)
        yield from ()

    def count_tokens(self, text: str) -> int:
        return len(text.split())

    def describe(self) -> dict[str, object]:
        return {"backend": self.name, "model": self.model, "capabilities": self.capabilities.to_dict()}


def serve(data_dir: Path, port: int, llm: str, clients: int) -> None:
    from assistant.services import Services
    from assistant.settings import load_settings
    from assistant.ui.app import build_app, launch
    from assistant.ui.audit import AuditLog
    from assistant.ui.auth import UserStore

    os.environ.setdefault("GRADIO_TEMP_DIR", str(data_dir / "cache" / "gradio"))
    overrides: dict[str, Any] = {"data_dir": str(data_dir),
                                 "llm": {"backend": "embedded", "embedded": {"prefer_writer": False}}}
    settings = load_settings(overrides=overrides)
    writer = SlowWriter(data_dir / "model-queue.jsonl") if llm == "fake-writer" else None
    services = Services(settings, llm=writer)  # type: ignore[arg-type]
    services.prepare_corpus()
    users = UserStore(settings.data_dir)
    for i in range(1, clients + 1):
        if users.get(f"bt{i:02d}") is None:
            users.add(f"bt{i:02d}", "secretary", PASSWORD)
    app = build_app(services, users, AuditLog(settings.log_dir))
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print("READY", flush=True)
    launch(app, host="127.0.0.1", port=port, quiet=True)


# -- the clients ----------------------------------------------------------------------------
def _args_for(info: dict[str, Any], endpoint: str, given: dict[str, Any]) -> list[Any]:
    """Arguments for ``endpoint`` from its declared parameters: ours by name, else its default or an empty value."""
    args = []
    for param in info["named_endpoints"][endpoint]["parameters"]:
        name = param.get("parameter_name")
        kind = str(param.get("python_type", {}).get("type", ""))
        if name in given:
            args.append(given[name])
        elif param.get("parameter_has_default"):
            args.append(param.get("parameter_default"))
        elif kind.startswith("str"):
            args.append("")
        elif kind.startswith("List") or kind.startswith("list"):
            args.append([])
        else:
            args.append(None)
    return args


class Tally:
    """Latencies and errors per kind of request, shared by the client threads."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = {}
        self.errors: dict[str, list[str]] = {}

    def add(self, kind: str, seconds: float, error: str | None = None) -> None:
        with self.lock:
            if error is None:
                self.times.setdefault(kind, []).append(seconds)
            else:
                self.errors.setdefault(kind, []).append(error[:200])


def client_loop(url: str, index: int, deadline: float, start: threading.Barrier, tally: Tally, think: tuple[float, float],
                notes: list[str], doc_ids: list[str], seed: int) -> None:
    import httpx
    from gradio_client import Client

    rng = random.Random(seed + index)
    user = f"bt{index:02d}"
    start.wait()
    began = time.perf_counter()
    try:
        response = httpx.post(url + "login", data={"username": user, "password": PASSWORD}, timeout=30)
        response.raise_for_status()
        tally.add("login", time.perf_counter() - began)
    except Exception as exc:  # a failed sign-in is a result, not a crash of the benchmark
        tally.add("login", 0, f"{type(exc).__name__}: {exc}")
        return
    began = time.perf_counter()
    try:
        client = Client(url, auth=(user, PASSWORD), verbose=False, download_files=False,
                        httpx_kwargs={"timeout": 60})
        info = client.view_api(print_info=False, return_format="dict")
        tally.add("connect", time.perf_counter() - began)
    except Exception as exc:
        tally.add("connect", 0, f"{type(exc).__name__}: {exc}")
        return
    kinds, weights = zip(*MIX, strict=True)
    while time.monotonic() < deadline:
        time.sleep(rng.uniform(*think))
        if time.monotonic() >= deadline:
            break
        kind = rng.choices(kinds, weights)[0]
        began = time.perf_counter()
        try:
            if kind == "ask":
                job = client.submit(*_args_for(info, "/ask", {"question": rng.choice(QUESTIONS)}), api_name="/ask")
                job.result()
                if "Đang chờ mô hình" in json.dumps(job.outputs(), ensure_ascii=False):
                    tally.add("place_shown", 0)
            elif kind == "minutes":
                client.predict(*_args_for(info, "/minutes", {"notes": rng.choice(notes), "notes_file": None}),
                               api_name="/minutes")
            else:
                client.predict(*_args_for(info, "/bulletin", {"doc_ids": rng.sample(doc_ids, 1), "minutes": 1.0}),
                               api_name="/bulletin")
            tally.add(kind, time.perf_counter() - began)
        except Exception as exc:
            tally.add(kind, time.perf_counter() - began, f"{type(exc).__name__}: {exc}")


def _rss_kb(pid: int) -> int:
    """RSS of a process and its children (espeak-ng, lame), in kB."""
    total = 0
    pids = [pid]
    try:
        children = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
        pids += [int(c) for c in children]
    except OSError:
        pass
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total


def _cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and its waited-for children (espeak-ng), in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return sum(int(fields[i]) for i in (11, 12, 13, 14)) / ticks  # utime, stime, cutime, cstime


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(q * (len(ordered) - 1)))))] if ordered else float("nan")


def run(args: argparse.Namespace) -> dict[str, Any]:
    import httpx

    from tests.ui.conftest import free_port

    data_dir = Path(args.data_dir or Path(tempfile.gettempdir()) / f"chibo-bench-load-{args.llm}")
    data_dir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "OMP_WAIT_POLICY": "PASSIVE", "GRADIO_ANALYTICS_ENABLED": "False"}
    log = (data_dir / "server.log").open("w")
    (data_dir / "model-queue.jsonl").unlink(missing_ok=True)
    server = subprocess.Popen([sys.executable, __file__, "serve", str(data_dir), str(port), args.llm,
                               str(args.clients)], env=env, stdout=subprocess.PIPE, stderr=log, text=True, cwd=REPO)
    url = f"http://127.0.0.1:{port}/"
    try:
        assert server.stdout is not None
        for line in server.stdout:  # ingest of the corpus happens before READY (cached in the data dir)
            if line.startswith("READY"):
                break
        for _ in range(600):
            try:
                if httpx.get(url + "login", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        idle_rss = _rss_kb(server.pid)
        notes = [p.read_text(encoding="utf-8") for p in sorted(NOTES_DIR.glob("*.txt"))][:8]
        docs = _doc_ids(data_dir)
        tally = Tally()
        barrier = threading.Barrier(args.clients)
        deadline = time.monotonic() + args.seconds + 10  # the sign-in burst comes first
        threads = [threading.Thread(target=client_loop, args=(url, i, deadline, barrier, tally, args.think, notes,
                                                                docs, args.seed), daemon=True)
                   for i in range(1, args.clients + 1)]
        rss: list[int] = []
        import resource

        cpu_before, own_before, wall = _cpu_seconds(server.pid), resource.getrusage(resource.RUSAGE_SELF), time.time()
        load_before = os.getloadavg()[0]
        for thread in threads:
            thread.start()
        loads = []
        while any(t.is_alive() for t in threads):
            rss.append(_rss_kb(server.pid))
            loads.append(os.getloadavg()[0])
            time.sleep(0.5)
        server_cpu = _cpu_seconds(server.pid) - cpu_before
        own = resource.getrusage(resource.RUSAGE_SELF)
        client_cpu = own.ru_utime + own.ru_stime - own_before.ru_utime - own_before.ru_stime
        wall = time.time() - wall
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
    places = [json.loads(line)["ahead"] for line in (data_dir / "model-queue.jsonl").read_text().splitlines()] \
        if (data_dir / "model-queue.jsonl").exists() else []
    return {"tally": tally, "rss_idle_mb": idle_rss / 1024, "rss_peak_mb": max(rss, default=0) / 1024,
            "rss_mean_mb": statistics.mean(rss) / 1024 if rss else 0, "places": places, "server_cpu": server_cpu,
            "client_cpu": client_cpu, "wall": wall, "load_before": load_before,
            "load_mean": statistics.mean(loads) if loads else load_before}


def _doc_ids(data_dir: Path) -> list[str]:
    import sqlite3

    db = sqlite3.connect(data_dir / "index" / "shared" / "catalog.sqlite3")
    try:
        return [row[0] for row in db.execute("SELECT doc_id FROM documents WHERE meta_json LIKE '%\"format\": \"md\"%' "
                                                 "OR meta_json LIKE '%\"format\": \"txt\"%'")] or \
            [row[0] for row in db.execute("SELECT doc_id FROM documents")]
    finally:
        db.close()


def report(args: argparse.Namespace, result: dict[str, Any]) -> str:
    tally: Tally = result["tally"]
    rows = []
    for kind in ("login", "connect", "ask", "minutes", "bulletin"):
        times = tally.times.get(kind, [])
        errors = tally.errors.get(kind, [])
        rows.append(f"| {kind} | {len(times) + len(errors)} | {len(errors)} | {pct(times, .5):.2f} | "
                    f"{pct(times, .95):.2f} | {max(times, default=float('nan')):.2f} |")
    errors = [e for es in tally.errors.values() for e in es]
    places = result["places"]
    llm = {"smollm2": "embedded SmolLM2-135M (does not write Vietnamese: extractive answers, no model calls)",
           "fake-writer": "stand-in writing model: 1.5 s per call through the real ModelQueue"}[args.llm]
    lines = [
        f"## {args.llm}: {args.clients} clients, {args.seconds} s, think time {args.think[0]:g}–{args.think[1]:g} s",
        "",
        f"Run {time.strftime('%Y-%m-%d %H:%M')} on {platform.node()} ({os.cpu_count()} cores shared with other work: "
        f"load average {result['load_before']:.1f} before, {result['load_mean']:.1f} during); LLM: {llm}; embeddings: "
        "the default (MiniLM); server in its own process.",
        "",
        "| request | count | errors | p50 s | p95 s | max s |",
        "|---|---|---|---|---|---|",
        *rows,
        "",
        f"Errors: **{len(errors)}**" + (": " + "; ".join(sorted(set(errors))[:5]) if errors else "") + ".",
        f"Server RSS (with espeak-ng children): idle {result['rss_idle_mb']:.0f} MB, mean {result['rss_mean_mb']:.0f} MB, "
        f"peak {result['rss_peak_mb']:.0f} MB.",
        f"CPU over {result['wall']:.0f} s: server {result['server_cpu']:.0f} s "
        f"({result['server_cpu'] / max(1, sum(len(v) for k, v in tally.times.items() if k in KINDS)):.2f} s per "
        f"request, sign-ins included; {100 * result['server_cpu'] / result['wall']:.0f}% of one core), the "
        f"{args.clients} clients' own process {result['client_cpu']:.0f} s.",
    ]
    if places:
        waited = [p for p in places if p > 0]
        shown = len(tally.times.get("place_shown", []))
        lines.append(f"Model queue: {len(places)} places reported by the queue, {len(waited)} with others ahead, "
                     f"deepest place {max(places) + 1} (1 = next); {shown} answers showed the user "
                     f"\"Đang chờ mô hình: vị trí N\" while waiting.")
    return "\n".join(lines) + "\n"


def write(out: Path, section: str, llm: str) -> None:
    header = ("# Load: many users on one server\n\n"
              "`benchmarks/bench_load.py` (see its docstring). Sign-in is timed alone (`login`: POST /login, all "
              "clients at once), then `connect` (gradio_client start: login, config, API description).\n"
              "Targets (issue 16): 0 errors; p95 ≤ 5 s for extractive answers; sign-ins never wait behind model work.\n\n")
    text = out.read_text(encoding="utf-8") if out.exists() else header
    pattern = re.compile(rf"^## {re.escape(llm)}:.*?(?=^## |\Z)", re.S | re.M)
    text = pattern.sub(lambda _: section + "\n", text) if pattern.search(text) else text.rstrip() + "\n\n" + section
    out.write_text(text, encoding="utf-8")


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "serve":
        serve(Path(sys.argv[2]), int(sys.argv[3]), sys.argv[4], int(sys.argv[5]))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=120)
    parser.add_argument("--llm", choices=["smollm2", "fake-writer"], default="smollm2")
    parser.add_argument("--think", type=float, nargs=2, default=(2.0, 6.0), metavar=("MIN", "MAX"))
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--data-dir", help="server data dir (default: a cached one under /tmp, corpus indexed once)")
    parser.add_argument("--out", type=Path, default=RESULTS / "load.md")
    args = parser.parse_args()
    result = run(args)
    section = report(args, result)
    print(section)
    write(args.out, section, args.llm)
    return 0


if __name__ == "__main__":
    sys.exit(main())
