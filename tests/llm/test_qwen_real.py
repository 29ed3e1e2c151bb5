"""The Vietnamese writer, Qwen2.5-Coder-1.5B-Instruct, assembled from its PyPI parts and run with llama.cpp.

`make test` installs and assembles the model, so its absence is a failure here, not a skip. Real calls are few and
short (one load per module, ≤ 48 tokens each): about 12 generated tokens/s on 2 cores.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from typing import Any

import pytest

from assistant.errors import AssistantError
from assistant.llm import packaged
from tests.conftest import REAL_MODELS_DIR

# OpenMP reads this once, when llama.cpp loads; collection imports this module before any test loads it.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

pytestmark = [pytest.mark.integration, pytest.mark.slow]

VIETNAMESE_LETTERS = re.compile(r"[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]",
                                re.IGNORECASE)
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")


@pytest.fixture(scope="module")
def llama() -> Iterator[Any]:
    try:
        path = packaged.verify(packaged.QWEN_CODER_1_5B, REAL_MODELS_DIR)
    except AssistantError as exc:
        pytest.fail(f"the packaged writer is not installed: {exc}")
    from llama_cpp import Llama

    model = Llama(model_path=str(path), n_ctx=2048, n_threads=2, verbose=False)
    yield model
    model.close()


def _chat(llama: Any, system: str, user: str, **kw: Any) -> str:
    out = llama.create_chat_completion(
        messages=[{"role": "system", "content": system}, {"role": "user", "content": user}],
        temperature=0, **kw)
    return str(out["choices"][0]["message"]["content"] or "")


def test_the_assembled_file_is_the_official_one() -> None:
    path = packaged.verify(packaged.QWEN_CODER_1_5B, REAL_MODELS_DIR)
    assert path.parent == REAL_MODELS_DIR and path.stat().st_size == 1_117_320_768
    assert packaged.stamp_matches(packaged.QWEN_CODER_1_5B, REAL_MODELS_DIR)


def test_it_writes_vietnamese(llama: Any, no_network: Any) -> None:
    answer = _chat(llama, "Bạn là trợ lý của chi bộ. Luôn trả lời bằng tiếng Việt có dấu, một câu ngắn.",
                   "Sinh hoạt chi bộ định kỳ để làm gì?", max_tokens=40)
    assert len(VIETNAMESE_LETTERS.findall(answer)) >= 5, answer
    assert not CJK.search(answer), answer


def test_json_under_a_schema_parses(llama: Any, no_network: Any) -> None:
    schema = {
        "type": "object",
        "properties": {"so_dang_vien_du": {"type": "integer"}, "chu_tri": {"type": "string"}},
        "required": ["so_dang_vien_du", "chu_tri"],
    }
    notes = "Chi bộ họp ngày 5/3/2025. Đồng chí Nguyễn Văn An, Bí thư chi bộ, chủ trì. Có 12 đảng viên dự họp."
    text = _chat(llama, "Trích thông tin từ ghi chép cuộc họp, trả về JSON.", notes, max_tokens=48,
                 response_format={"type": "json_object", "schema": schema})
    record = json.loads(text)
    assert isinstance(record["so_dang_vien_du"], int) and isinstance(record["chu_tri"], str)
    assert record["so_dang_vien_du"] == 12, record
