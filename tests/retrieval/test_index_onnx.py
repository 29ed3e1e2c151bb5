"""The packaged MiniLM on ONNX Runtime (fp32 and int8), exported once from the local weights."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytestmark = [pytest.mark.integration, pytest.mark.slow]

PASSAGES = [
    "Điều 2. Trách nhiệm của đảng viên\n1. Đảng viên phải cài đặt ứng dụng Sổ tay đảng viên điện tử.",
    "Chi bộ sinh hoạt định kỳ mỗi tháng một lần, thời gian ít nhất chín mươi phút.",
    "Hợp tác xã nông nghiệp gắn với chuyển đổi số, nâng cao thu nhập cho xã viên.",
]


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from assistant.embeddings.onnx_runtime import export_available

    if not export_available():
        pytest.skip("the onnx package (one-time export) is not installed")
    return tmp_path_factory.mktemp("embeddings-cache")


def test_onnx_runtimes_match_torch_and_the_export_is_cached(cache: Path, real_embedder: Any,
                                                            no_network: Any) -> None:
    import numpy as np

    from assistant.embeddings.onnx_runtime import exported_path
    from assistant.embeddings.sentence_transformers import SentenceTransformerEmbedder

    torch_vectors = np.asarray(real_embedder.embed_documents(PASSAGES))
    fp32 = SentenceTransformerEmbedder(runtime="onnx", cache_dir=cache)
    int8 = SentenceTransformerEmbedder(runtime="onnx-int8", cache_dir=cache)
    same = (np.asarray(fp32.embed_documents(PASSAGES)) * torch_vectors).sum(axis=1)
    near = (np.asarray(int8.embed_documents(PASSAGES)) * torch_vectors).sum(axis=1)
    assert same.min() > 0.999  # the same model, another runtime
    assert near.min() > 0.85  # quantised: close, not equal
    assert fp32.model_id == real_embedder.model_id and int8.model_id.endswith("[int8]")
    assert int8.dimension == 384 and int8.max_tokens == 256
    # Longer than the window: truncated like sentence-transformers does, not an error.
    assert len(int8.embed_documents(["từ " * 600])[0]) == 384

    path = exported_path(Path(int8.model_path), "onnx-int8", cache / "embeddings")
    stamp = path.stat().st_mtime_ns
    again = SentenceTransformerEmbedder(runtime="auto", cache_dir=cache)
    assert again.runtime == "onnx-int8"
    again.embed_query("chi bộ")
    assert path.stat().st_mtime_ns == stamp  # reused, not exported again


def test_token_offsets_and_counts_follow_the_model_tokenizer(real_embedder: Any) -> None:
    text = PASSAGES[0]
    offsets = real_embedder.token_offsets(text)
    assert real_embedder.count_tokens(text) == len(offsets) + 2  # [CLS] and [SEP]
    assert all(0 <= s < e <= len(text) for s, e in offsets)
    assert text[offsets[0][0]:offsets[0][1]].lower() == "đieu" or offsets[0][0] == 0
