"""The same local sentence-transformers model run by ONNX Runtime, in fp32 or int8.

ONNX Runtime ships with chromadb, so running the model needs nothing new; the
one-time export from the local PyTorch weights needs the ``onnx`` package
(PyPI, installs offline-safe: no model is fetched). The exported file is cached
beside the other caches and reused; nothing is downloaded, ever.

Measured on the 2 shared cores with 256-wordpiece windows (benchmarks/results/ingest.md):
dynamic int8 needs 1.7x less CPU than PyTorch fp32 (2.8x the throughput at light
load) and keeps torch out of the process; its vectors sit at cosine ~0.92 of fp32
ones. fp32 ONNX gives PyTorch's vectors.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from assistant.errors import BackendUnavailable

RUNTIMES = ("onnx", "onnx-int8")
EXPORT_VERSION = "1"  # bump when the export recipe changes: cached files are then rebuilt


def export_available() -> bool:
    """Whether the ``onnx`` package needed for the one-time export is installed."""
    return importlib.util.find_spec("onnx") is not None and importlib.util.find_spec("onnxruntime") is not None


def _model_key(model_path: Path) -> str:
    weights = sorted(p for p in model_path.iterdir() if p.suffix in (".safetensors", ".bin"))
    stamp = [(p.name, p.stat().st_size) for p in weights]
    raw = json.dumps([str(model_path.resolve()), stamp, EXPORT_VERSION])
    return hashlib.sha1(raw.encode()).hexdigest()[:16]


def exported_path(model_path: Path, runtime: str, cache_dir: Path) -> Path:
    """Where the ONNX file of ``model_path`` for ``runtime`` is (or will be) cached."""
    # One folder per model: the int8 file is quantised from the fp32 one beside it.
    return cache_dir / f"{model_path.name}-{_model_key(model_path)}" / f"model-{runtime}.onnx"


def export(model_path: Path, runtime: str, cache_dir: Path) -> Path:
    """Export (and for ``onnx-int8`` quantise) the local model once; the cached file's path."""
    target = exported_path(model_path, runtime, cache_dir)
    if target.is_file():
        return target
    if not export_available():
        raise BackendUnavailable("Cần gói onnx để chuyển mô hình nhúng sang ONNX (một lần)",
                                 hint="pip install onnx, hoặc đặt embedding.runtime: torch")
    import torch
    from transformers import AutoModel

    target.parent.mkdir(parents=True, exist_ok=True)
    fp32 = target.with_name("model-onnx.onnx")
    if not fp32.is_file():
        model = AutoModel.from_pretrained(str(model_path), local_files_only=True).eval()

        class _Hidden(torch.nn.Module):
            def __init__(self, inner: Any) -> None:
                super().__init__()
                self.inner = inner

            def forward(self, ids: Any, mask: Any, types: Any) -> Any:
                return self.inner(input_ids=ids, attention_mask=mask, token_type_ids=types).last_hidden_state

        sample = torch.ones((2, 8), dtype=torch.long)
        axes = {0: "batch", 1: "tokens"}
        partial = fp32.with_suffix(f".{os.getpid()}.tmp")
        with torch.no_grad():
            torch.onnx.export(_Hidden(model), (sample, sample, torch.zeros_like(sample)), str(partial),
                              input_names=["input_ids", "attention_mask", "token_type_ids"],
                              output_names=["hidden"], opset_version=17, dynamo=False,
                              dynamic_axes={"input_ids": axes, "attention_mask": axes, "token_type_ids": axes,
                                            "hidden": axes})
        partial.replace(fp32)
    if runtime == "onnx-int8":
        from onnxruntime.quantization import QuantType, quantize_dynamic

        partial = target.with_suffix(f".{os.getpid()}.tmp")
        quantize_dynamic(str(fp32), str(partial), weight_type=QuantType.QInt8)
        partial.replace(target)
    return target


class OnnxEncoder:
    """Mean-pooled, normalised sentence vectors from an exported BERT-style model."""

    def __init__(self, onnx_path: Path, tokenizer: Any, max_tokens: int, threads: int = 0) -> None:
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.intra_op_num_threads = threads or min(os.cpu_count() or 1, 4)
        options.log_severity_level = 3
        # Idle worker threads sleep instead of spinning: on cores shared with other work spinning steals them.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self._session = ort.InferenceSession(str(onnx_path), options, providers=["CPUExecutionProvider"])
        self._tokenizer = tokenizer
        self._max_tokens = max_tokens
        self._lock = threading.Lock()

    def encode(self, texts: Sequence[str], batch_size: int = 32) -> list[list[float]]:
        """Unit vectors of ``texts`` in order (batched longest first, to pad little)."""
        import numpy as np

        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        out: list[Any] = [None] * len(texts)
        for start in range(0, len(order), batch_size):
            part = order[start:start + batch_size]
            encodings = self._tokenizer.encode_batch([texts[i] for i in part])
            width = min(max(len(e.ids) for e in encodings), self._max_tokens)
            ids = np.zeros((len(part), width), dtype=np.int64)
            mask = np.zeros((len(part), width), dtype=np.int64)
            for row, encoding in enumerate(encodings):
                tokens = encoding.ids[:width]
                if len(encoding.ids) > width:  # truncated: keep the closing [SEP]
                    tokens = [*tokens[:-1], encoding.ids[-1]]
                ids[row, :len(tokens)] = tokens
                mask[row, :len(tokens)] = 1
            with self._lock:
                hidden = self._session.run(None, {"input_ids": ids, "attention_mask": mask,
                                                  "token_type_ids": np.zeros_like(ids)})[0]
            weights = mask[..., None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
            pooled /= np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
            for row, index in enumerate(part):
                out[index] = pooled[row].tolist()
        return out
