"""Run an evaluation: build a private index of the dataset's documents, run the suites, write the report.

The user's index is never touched. The dataset's documents are ingested into
a data directory of their own, by default a cache folder keyed by the
documents' names and content hashes, the embedding model, the ingest
pipeline version and a fingerprint of the ingest code, so a rerun on the
same documents reuses the index (``cache=False`` builds it inside the run's
output folder instead).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import platform
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant import __version__
from assistant.errors import BackendUnavailable, NotFound, ValidationFailed
from assistant.evaluation.dataset import load_dataset, resolve_dataset
from assistant.evaluation.results import RunResult, SuiteResult
from assistant.settings import Settings

SUITES = ("retrieval", "answers", "drafting")
BASELINES = ("naive",)
REPO = Path(__file__).resolve().parent.parent.parent
# Code whose changes alter what ingest stores: a change gives a fresh cached index.
INDEX_CODE = ("assistant/ingest", "assistant/text", "assistant/embeddings", "assistant/records.py",
              "assistant/retrieval/index.py", "assistant/retrieval/catalog.py", "assistant/retrieval/keyword.py",
              "assistant/retrieval/vectors.py")
SECRET_FIELDS = ("api_key", "password", "token", "secret")
Progress = Callable[[str], None]


@dataclass
class EvalOptions:
    """What ``chibo eval`` was asked to do."""

    dataset: Path
    suites: tuple[str, ...] = ("retrieval",)
    docs: Path | None = None
    out: Path | None = None
    llm_name: str | None = None
    judge_llm: str | None = None
    baseline: str | None = None
    limit: int | None = None
    drafting_dir: Path | None = None
    cache: bool = True


# -- locations -----------------------------------------------------------------
def default_docs(dataset: Path, settings: Settings) -> Path:
    """``<dataset folder>/docs`` when it exists (the ALQAC layout), else the configured corpus."""
    beside = resolve_dataset(dataset).parent / "docs"
    if beside.is_dir():
        return beside
    from assistant.services import bundled_corpus_dir

    return settings.corpus_dir or bundled_corpus_dir()


def default_drafting_dir(dataset: Path) -> Path:
    """The drafting samples beside the dataset (``drafting/``), else the repository's ``evals/drafting``."""
    beside = resolve_dataset(dataset).parent / "drafting"
    return beside if beside.is_dir() else REPO / "evals" / "drafting"


def document_files(docs: Path) -> list[Path]:
    """Top-level files of ``docs`` (sources in sub-folders, READMEs and hidden files are not documents)."""
    from assistant.ingest.pipeline import IGNORED_NAMES

    if docs.is_file():
        return [docs.resolve()]
    if not docs.is_dir():
        raise NotFound(f"Không có thư mục tài liệu {docs}")
    files = sorted(p.resolve() for p in docs.iterdir()
                   if p.is_file() and p.name.lower() not in IGNORED_NAMES and not p.name.startswith("."))
    if not files:
        raise ValidationFailed(f"Thư mục {docs} không có tài liệu nào")
    return files


def code_fingerprint() -> str:
    """A short hash of the ingest and index code: a changed parser invalidates a cached evaluation index."""
    digest = hashlib.sha256()
    for rel in INDEX_CODE:
        path = REPO / rel
        for file in sorted(path.rglob("*.py")) if path.is_dir() else [path]:
            if file.is_file():
                digest.update(str(file.relative_to(REPO)).encode())
                digest.update(file.read_bytes())
    return digest.hexdigest()[:12]


def index_key(files: list[Path], embedder_id: str) -> str:
    """Cache key of an evaluation index: file names and hashes, embedder, index code and pipeline version."""
    from assistant.ingest.pipeline import PIPELINE_VERSION, file_hash

    digest = hashlib.sha256()
    for file in files:
        digest.update(f"{file.name}\0{file_hash(file)}\n".encode())
    digest.update(f"embedder={embedder_id}\ncode={code_fingerprint()}\npipeline={PIPELINE_VERSION}".encode())
    return digest.hexdigest()[:16]


def git_commit() -> dict[str, Any]:
    """The checkout's commit and whether it has uncommitted changes, recorded with each run."""
    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, timeout=10, check=True)
        return done.stdout.strip()

    try:
        return {"commit": git("rev-parse", "HEAD"), "dirty": bool(git("status", "--porcelain"))}
    except (OSError, subprocess.SubprocessError):
        return {"commit": "unknown", "dirty": None}


def redacted(data: Any) -> Any:
    """The settings dump without secrets (an API key has no place in a report)."""
    if isinstance(data, dict):
        return {k: "***" if any(s in k.lower() for s in SECRET_FIELDS) and v else redacted(v)
                for k, v in data.items()}
    if isinstance(data, list):
        return [redacted(v) for v in data]
    return data


# -- run -----------------------------------------------------------------------
def _eval_settings(settings: Settings, data_dir: Path) -> Settings:
    # Always a local persistent store: an evaluation must not write into a shared Chroma server.
    store = settings.store.model_copy(update={"mode": "persistent"})
    return settings.model_copy(update={"data_dir": data_dir, "store": store}, deep=True)


def _build_services(settings: Settings, options: EvalOptions, files: list[Path], out: Path, llm: Any,
                    embedder: Any, progress: Progress) -> tuple[Any, dict[str, Any]]:
    from assistant.embeddings import create_embedder
    from assistant.services import Services

    embedder = embedder or create_embedder(settings)
    key = index_key(files, f"{embedder.name}:{embedder.model_id}")
    data_dir = settings.cache_dir / "eval" / key if options.cache else out / "index"
    services = Services(_eval_settings(settings, data_dir), llm_name=options.llm_name, llm=llm, embedder=embedder)
    reused = services.index.exists()
    progress(f"index: {'reusing' if reused else 'building'} {data_dir} ({len(files)} documents)")
    report = services.ingest(files)
    failed = [{"path": r.path, "reason": r.reason} for r in report.results if r.status in ("failed", "skipped")]
    info = {"data_dir": str(data_dir), "key": key, "reused": reused, "counts": report.counts,
            "seconds": round(report.seconds, 1), "failed": failed, "documents": len(services.documents()),
            "chunks": len(services.index.chunk_map())}
    if not services.documents():
        raise ValidationFailed("Không nạp được tài liệu nào của bộ đánh giá",
                               [f"{Path(f['path']).name}: {f['reason']}" for f in failed])
    return services, info


def run_evaluation(settings: Settings, options: EvalOptions, *, llm: Any = None, embedder: Any = None,
                   judge_llm: Any = None, progress: Progress | None = None) -> RunResult:
    """Run the requested suites and write report.md, metrics.json, items.jsonl and chart.png."""
    from assistant.evaluation.report import write_run

    progress = progress or (lambda message: None)
    unknown = [s for s in options.suites if s not in SUITES]
    if unknown:
        raise ValidationFailed(f"Không có bộ đánh giá {', '.join(unknown)}; chọn: {', '.join(SUITES)} hoặc all")
    if options.baseline and options.baseline not in BASELINES:
        raise ValidationFailed(f"Không có baseline '{options.baseline}'; chọn: {', '.join(BASELINES)}")
    started = time.perf_counter()
    dataset = resolve_dataset(options.dataset)
    items = load_dataset(dataset, options.limit)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    out = (options.out or settings.output_dir / "eval" / f"{stamp}-{dataset.stem}").resolve()
    out.mkdir(parents=True, exist_ok=True)
    run: dict[str, Any] = {
        "dataset": str(dataset), "dataset_sha256": hashlib.sha256(dataset.read_bytes()).hexdigest(),
        "questions": len(items), "limit": options.limit, "suites": list(options.suites),
        "baseline": options.baseline, "started": dt.datetime.now().isoformat(timespec="seconds"),
        "git": git_commit(), "chibo_version": __version__, "python": platform.python_version(),
        "platform": platform.platform(), "settings": redacted(settings.model_dump(mode="json")),
    }
    result = RunResult(out, run, items=[item.to_dict() for item in items])

    services = None
    if "retrieval" in options.suites or "answers" in options.suites:
        docs = options.docs or default_docs(options.dataset, settings)
        files = document_files(docs)
        run["docs"] = str(docs.resolve())
        services, run["index"] = _build_services(settings, options, files, out, llm, embedder, progress)
        run["embedder"] = {"backend": services.embedder.name, "model": services.embedder.model_id}
        if "retrieval" in options.suites:
            result.suites["retrieval"] = _retrieval(items, services, options, out, run, progress)
        if "answers" in options.suites:
            result.suites["answers"] = _answers(items, services, settings, options, judge_llm, run, progress)
    if "drafting" in options.suites:
        folder = options.drafting_dir or default_drafting_dir(options.dataset)
        run["drafting_dir"] = str(folder)
        draft_llm = services.llm if services is not None and "answers" in options.suites else llm
        if draft_llm is None:
            draft_llm = _try_llm(settings, options.llm_name)
        if draft_llm is not None:
            run.setdefault("llm", draft_llm.describe())
        result.suites["drafting"] = _drafting(folder, settings, draft_llm, out, progress)
    run["seconds"] = round(time.perf_counter() - started, 1)
    if services is not None:
        services.index.close()
    write_run(result)
    return result


def _retrieval(items: list[Any], services: Any, options: EvalOptions, out: Path, run: dict[str, Any],
               progress: Progress) -> SuiteResult:
    from assistant.evaluation.retrieval import gold_coverage, naive_systems, our_system, run_retrieval

    systems = [our_system(services)]
    if options.baseline == "naive":
        from assistant.evaluation.baseline import NaiveBaseline

        progress("baseline: building the naive LangChain pipeline")
        work = Path(run["index"]["data_dir"]) if options.cache else out
        systems += naive_systems(NaiveBaseline.from_services(services, work), services)
    suite = run_retrieval(items, systems, progress)
    suite.metrics["gold_in_index"] = gold_coverage(items, services)
    return suite


def _try_llm(settings: Settings, name: str | None) -> Any:
    from assistant.errors import AssistantError
    from assistant.llm import create_llm

    try:
        return create_llm(settings, name)
    except AssistantError:
        return None


def _answers(items: list[Any], services: Any, settings: Settings, options: EvalOptions, judge_llm: Any,
             run: dict[str, Any], progress: Progress) -> SuiteResult:
    from assistant.evaluation.answers import run_answers
    from assistant.evaluation.gold import GoldMatcher
    from assistant.evaluation.judge import LLMJudge
    from assistant.evaluation.judgement import probe_judgement
    from assistant.evaluation.retrieval import known_paths

    try:
        llm = services.llm
        run["llm"] = llm.describe()
        judge = None
        if judge_llm is not None or options.judge_llm:
            if judge_llm is None:
                from assistant.llm import create_llm

                judge_llm = create_llm(settings, options.judge_llm)
            judge = LLMJudge(judge_llm, settings.language)
            run["judge"] = judge.describe()
        suite = run_answers(items, services, GoldMatcher(known_paths(services)), judge=judge, progress=progress)
        # The model's own verdicts, asked directly, decide whether it may state verdicts to users.
        suite.metrics["judgement"] = probe_judgement(items, services, record_in=settings.data_dir,
                                                     dataset=Path(options.dataset).name, progress=progress)
        return suite
    except BackendUnavailable as exc:
        return SuiteResult("answers", available=False, notes=[f"not available: {exc}"])


def _drafting(folder: Path, settings: Settings, llm: Any, out: Path, progress: Progress) -> SuiteResult:
    from assistant.evaluation.drafting import run_drafting

    try:
        # Records the service might store go to the run's folder, never to the user's database.
        return run_drafting(folder, _eval_settings(settings, out / "drafting-data"), llm, progress)
    except BackendUnavailable as exc:
        return SuiteResult("drafting", available=False, notes=[f"not available: {exc}"])
