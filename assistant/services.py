"""The service container: what the CLI and the UI are given.

Cheap to construct; every model, store and index is built on first use and
kept. The interfaces (CLI, Gradio) call these services and never touch
Chroma, BM25 or an LLM directly.
"""

from __future__ import annotations

import logging
import threading
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.settings import Settings

if TYPE_CHECKING:
    from assistant.drafting.service import DraftingService
    from assistant.embeddings.base import Embedder
    from assistant.ingest.pipeline import IngestPipeline, IngestReport, Progress
    from assistant.llm.base import LLM
    from assistant.retrieval.index import Index
    from assistant.retrieval.search import Searcher
    from assistant.study.chat import StudyChat


def bundled_corpus_dir() -> Path:
    """The sample documents shipped in the checkout's ``corpus/``."""
    return Path(__file__).resolve().parent.parent / "corpus"


class Services:
    """Every capability the interfaces call, built lazily from one settings object."""

    def __init__(self, settings: Settings, *, llm_name: str | None = None, llm: LLM | None = None,
                 embedder: Embedder | None = None) -> None:
        self.settings = settings
        self._llm_name = llm_name
        self._llm = llm
        self._embedder = embedder
        self._lock = threading.RLock()
        # The background vector worker (complete_vectors_in_background): its thread, whether it runs, whether
        # another round was asked for, and the message of its last failure ("" once a run succeeds).
        self._vector_thread: threading.Thread | None = None
        self._vectors_running = False
        self._vectors_requested = False
        self._vector_error = ""

    @property
    def llm_backend(self) -> str:
        """The LLM backend in use: the one chosen on the command line, else the configured one."""
        return self._llm_name or self.settings.llm.backend

    # -- models --------------------------------------------------------------
    @property
    def llm(self) -> LLM:
        with self._lock:
            if self._llm is None:
                from assistant.llm import create_llm

                self._llm = create_llm(self.settings, self._llm_name)
            return self._llm

    @property
    def embedder(self) -> Embedder:
        with self._lock:
            if self._embedder is None:
                from assistant.embeddings import create_embedder

                self._embedder = create_embedder(self.settings)
            return self._embedder

    # -- index ---------------------------------------------------------------
    @cached_property
    def index(self) -> Index:
        """The collection this installation writes: the shared one, or its cell's own when ``cell.id`` is set."""
        from assistant.retrieval.index import SHARED, Index, cell_collection

        cell = self.settings.cell.id
        return Index(self.settings, self.embedder, cell_collection(cell) if cell else SHARED)

    @cached_property
    def search_index(self) -> Any:
        """What search covers: the shared collection, plus this cell's own when ``cell.id`` is set."""
        if not self.settings.cell.id:
            return self.index
        from assistant.retrieval.index import SHARED, Index
        from assistant.retrieval.scope import ScopedIndex

        return ScopedIndex([self.index, Index(self.settings, self.embedder, SHARED)])

    @cached_property
    def restricted_index(self) -> Index:
        """The restricted collection for secret-marked documents."""
        from assistant.retrieval.index import RESTRICTED, Index

        return Index(self.settings, self.embedder, RESTRICTED)

    def pipeline(self, progress: Progress | None = None) -> IngestPipeline:
        """An ingest pipeline writing to the real indexes, with OCR as configured."""
        from assistant.ingest.loaders import OCROptions
        from assistant.ingest.pipeline import IngestPipeline

        ocr = OCROptions.from_settings(self.settings.ocr, cache_dir=self.settings.cache_dir / "ocr")
        return IngestPipeline(self.index, self.restricted_index,
                              allow_restricted=self.settings.store.allow_restricted, progress=progress, ocr=ocr)

    def ingest(self, paths: list[Path], *, sync: bool = False, restricted: bool = False,
               progress: Progress | None = None, vectors: str = "wait") -> IngestReport:
        """Ingest files and folders; ``sync`` also drops documents whose file left the folders.

        Keyword search has each document as soon as it is committed. ``vectors="wait"`` returns once every
        passage is embedded; ``"later"`` returns before, leaving the vectors to :meth:`complete_vectors`
        (now, in a thread with :meth:`complete_vectors_in_background`, or by a later ingest).
        """
        sync_dirs = [p for p in paths if p.is_dir()] if sync else []
        return self.pipeline(progress).run(paths, sync_dirs=sync_dirs, restricted=restricted,
                                           vectors="later" if vectors == "later" else "wait")

    def complete_vectors(self, progress: Progress | None = None) -> int:
        """Embed every passage still missing a vector (waiting for another process doing it); how many."""
        pipeline = self.pipeline(progress)
        done = pipeline.complete_vectors(self.index)
        if self.settings.store.allow_restricted and self.restricted_index.exists():
            done += pipeline.complete_vectors(self.restricted_index)
        return done

    def complete_vectors_in_background(self, progress: Progress | None = None) -> threading.Thread:
        """Start (or return the running) thread that completes the vectors; search meanwhile uses what is ready.

        A call while the thread runs asks it for one more round, so passages an ingest committed just as the
        thread was finishing are never left without a vector.
        """
        with self._lock:
            self._vectors_requested = True
            if self._vector_thread is not None and self._vectors_running:
                return self._vector_thread
            thread = threading.Thread(target=self._complete_vectors_quietly, args=(progress,),
                                      name="chibo-vectors", daemon=True)
            self._vector_thread = thread
            self._vectors_running = True
            thread.start()
            return thread

    def _complete_vectors_quietly(self, progress: Progress | None) -> None:
        try:
            while True:
                with self._lock:
                    if not self._vectors_requested:
                        self._vectors_running = False
                        return
                    self._vectors_requested = False
                self.complete_vectors(progress)
                self._vector_error = ""
        except Exception as exc:  # a background thread has no caller: log, show it in the status, retry later
            logging.getLogger(__name__).exception("vector completion failed")
            from assistant.errors import AssistantError

            self._vector_error = exc.message if isinstance(exc, AssistantError) else type(exc).__name__
            with self._lock:
                self._vectors_running = False
        finally:
            for built in ("index", "restricted_index"):  # this thread's catalog connections
                if built in self.__dict__:
                    self.__dict__[built].close()

    def warm_up_llm_in_background(self) -> threading.Thread | None:
        """Load a writing model in a thread at start-up, so the first question does not wait for it; None when
        the backend has nothing to load (a server, the fake) or does not write."""
        from assistant.llm.capabilities import writes

        llm = self.llm
        warm_up = getattr(llm, "warm_up", None)
        if warm_up is None or not writes(llm):
            return None

        def run() -> None:
            try:
                warm_up()
            except Exception:  # the first request will report it to its user
                logging.getLogger(__name__).exception("loading the writing model failed")

        thread = threading.Thread(target=run, name="chibo-llm-warm-up", daemon=True)
        thread.start()
        return thread

    def resume_vectors(self) -> bool:
        """At start-up: complete in the background the vectors a previous run left pending; whether it started."""
        pending = self.index.exists() and self.index.pending_vectors()
        if not pending and self.settings.store.allow_restricted and self.restricted_index.exists():
            pending = self.restricted_index.pending_vectors()
        if pending:
            self.complete_vectors_in_background()
        return bool(pending)

    def vector_status(self) -> dict[str, Any]:
        """Dense passages searched by this installation: total, embedded, pending, and whether a worker runs.

        ``working`` covers this process's thread and a worker of another process (``chibo ingest --background``);
        ``error`` (present only after a failed background run) is the failure's message, kept until a run succeeds.
        """
        status: dict[str, Any] = dict(self.search_index.vector_status())
        working = self._vectors_running
        if not working and self.index.exists():
            working = self.index.vector_worker_running()
        status["working"] = working
        if self._vector_error:
            status["error"] = self._vector_error
        return status

    def remove_document(self, doc_id: str) -> bool:
        """Delete a document from whichever collection holds it."""
        return self.pipeline().remove(doc_id)

    def corpus_dir(self) -> Path:
        """The configured corpus folder, else the bundled samples."""
        return self.settings.corpus_dir or bundled_corpus_dir()

    def corpus_files(self) -> list[Path]:
        """Documents of the configured corpus: top-level files (sources in src/ are not documents)."""
        folder = self.corpus_dir()
        if not folder.is_dir():
            return []
        from assistant.ingest.pipeline import IGNORED_NAMES

        return sorted(p for p in folder.iterdir()
                      if p.is_file() and p.name.lower() not in IGNORED_NAMES and not p.name.startswith("."))

    def _corpus_changes(self) -> tuple[list[Path], list[str]]:
        """(corpus files new, changed or indexed by an older pipeline, doc ids whose corpus file is gone)."""
        from assistant.ingest.pipeline import PIPELINE_VERSION, file_hash

        files = self.corpus_files()
        manifest = self.index.manifest() if self.index.exists() else {}
        corpus = self.corpus_dir().resolve()
        current = {str(p.resolve()) for p in files}
        changed = []
        for path in files:
            entry = manifest.get(str(path.resolve()))
            if entry is None or entry.pipeline_version != PIPELINE_VERSION or entry.content_hash != file_hash(path):
                changed.append(path)
        gone = [entry.doc_id for src, entry in manifest.items()
                if Path(src).is_relative_to(corpus) and src not in current]
        return changed, gone

    def corpus_is_stale(self) -> bool:
        """True when the index is missing or a corpus file is new, changed, gone or indexed by an older pipeline."""
        changed, gone = self._corpus_changes()
        return bool(changed or gone)

    def prepare_corpus(self, progress: Progress | None = None, *, vectors: str = "wait") -> IngestReport | None:
        """Ingest the corpus when the index is missing or stale (the main job's first step).

        Vectors a previous run left pending (``--background`` killed, a crash) are completed too, unless
        ``vectors="later"`` (the web interface: it completes them in the background, see :meth:`resume_vectors`).
        """
        changed, gone = self._corpus_changes()
        if not (changed or gone):
            if vectors == "wait" and self.index.exists() and self.index.pending_vectors():
                self.complete_vectors(progress)
            return None
        report = self.ingest(self.corpus_files(), progress=progress, vectors=vectors)
        for doc_id in gone:
            self.remove_document(doc_id)
        return report

    # -- search and chat -----------------------------------------------------
    @cached_property
    def searcher(self) -> Searcher:
        from assistant.retrieval.search import Searcher

        return Searcher(self.search_index, self.settings.retrieval)

    def search(self, text: str, k: int | None = None, **filters: Any) -> list[Any]:
        """The best hits for ``text`` in the shared index."""
        from assistant.retrieval.search import Query

        hits, _ = self.searcher.search(Query(text=text, k=k or self.settings.retrieval.k, **filters))
        return hits

    @cached_property
    def chat(self) -> StudyChat:
        from assistant.study.chat import StudyChat

        return StudyChat(self.searcher, lambda: self.llm, self.settings)

    def documents(self) -> list[Any]:
        """Metadata of every document search covers (the shared index, plus the cell's own)."""
        return list(self.search_index.metas().values())

    def bulletin_provider(self, doc_ids: list[str] | None, since: Any = None) -> list[Any]:
        """Documents for an audio bulletin: chosen ids, or those dated on/after ``since``."""
        from assistant.drafting.bulletin.script import BulletinSource
        from assistant.errors import NotFound

        metas = self.index.metas()
        if doc_ids:
            missing = [d for d in doc_ids if d not in metas]
            if missing:
                raise NotFound(f"Không có tài liệu: {', '.join(missing)}", hint="xem danh sách bằng 'chibo docs'")
            chosen = [metas[d] for d in doc_ids]
        else:
            floor = since.isoformat() if since is not None else ""
            chosen = sorted((m for m in metas.values() if m.date and m.date >= floor and not m.superseded_by),
                            key=lambda m: m.date, reverse=True)
        return [BulletinSource(meta, self.index.catalog.chunks(meta.doc_id)) for meta in chosen]

    def page_image(self, doc_id: str, page: int) -> bytes:
        """PNG of a source page as it is in the original file (to check a scanned passage)."""
        from assistant.errors import NotFound
        from assistant.ingest.loaders import render_page_image

        meta = self.index.catalog.document(doc_id)
        if meta is None:
            raise NotFound(f"Không có tài liệu '{doc_id}'")
        source = Path(meta.source_path)
        if not source.is_file():
            # The server's folders are nobody's business in the interface: the path goes to the log only.
            logging.getLogger(__name__).warning("page image: source file of %s is missing: %s", doc_id, source)
            raise NotFound(f"Không còn tệp gốc của tài liệu '{doc_id}' để xem ảnh trang")
        return render_page_image(source, page)

    @cached_property
    def drafting(self) -> DraftingService:
        """The drafting feature (notes, minutes, reports, bulletins), on this installation's model and index."""
        from assistant.drafting.service import drafting_service

        return drafting_service(self.settings, llm=lambda: self.llm, document_provider=self.bulletin_provider)
