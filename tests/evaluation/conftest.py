"""A tiny evaluation world written by the tests: two documents and five questions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

RULES = """ĐẢNG ỦY XÃ AN BÌNH
Số 01-QĐ/ĐU

QUY ĐỊNH
về sinh hoạt chi bộ thí điểm

Điều 1. Phạm vi
Quy định này áp dụng cho các chi bộ ấp trong xã An Bình.

Điều 2. Thời gian sinh hoạt
1. Chi bộ sinh hoạt thường kỳ vào ngày 05 hằng tháng.
2. Đảng viên vắng mặt phải báo cáo bí thư chi bộ trước 02 ngày.

Điều 3. Đảng phí
Đảng viên nộp đảng phí cho chi bộ trước ngày 10 hằng tháng.
"""

GUIDE = """ĐẢNG ỦY XÃ AN BÌNH
Số 02-HD/ĐU

HƯỚNG DẪN
sử dụng sổ ghi chép nghị quyết

I- MỤC ĐÍCH
1. Giúp đảng viên ghi chép nghị quyết đầy đủ.
2. Thống nhất mẫu sổ trong toàn đảng bộ.

II- NỘI DUNG
1. Sổ ghi chép
1.1. Mỗi đảng viên có một sổ ghi chép bìa đỏ.
1.2. Sổ được bí thư kiểm tra mỗi quý một lần.
2. Lưu trữ
Sổ cũ được lưu tại văn phòng đảng ủy trong 05 năm.
"""

QUESTIONS: list[dict[str, Any]] = [
    {"id": "T-1", "question": "Chi bộ sinh hoạt thường kỳ vào ngày nào hằng tháng?", "type": "free_text",
     "answer": "Ngày 05 hằng tháng.",
     "gold": [{"doc": "01-QĐ/ĐU", "doc_id": "01-qd-du-sinh-hoat", "article": "2", "clause": "1"}],
     "answerable": True},
    {"id": "T-2", "question": "Đảng viên nộp đảng phí cho chi bộ trước ngày 10 hằng tháng, đúng hay sai?",
     "type": "true_false", "answer": "Đúng", "gold": [{"doc": "01-QĐ/ĐU", "article": "3"}], "answerable": True},
    {"id": "T-3", "question": "Sổ ghi chép nghị quyết được bí thư kiểm tra bao lâu một lần?",
     "type": "multiple_choice", "choices": {"A": "Mỗi tháng", "B": "Mỗi quý", "C": "Mỗi năm"}, "answer": "B",
     "gold": [{"doc": "02-HD/ĐU", "article": "II.1.2"}], "answerable": True},
    {"id": "T-4", "question": "Theo Luật Bảo hiểm xã hội, mức trợ cấp thai sản cho lao động nữ là bao nhiêu?",
     "type": "free_text", "answer": None, "gold": [], "answerable": False},
    {"id": "T-5", "question": "Sổ ghi chép cũ được lưu ở đâu và trong bao lâu?", "type": "free_text",
     "answer": "Tại văn phòng đảng ủy trong 05 năm.", "gold": [{"doc": "02-HD/ĐU", "article": "II.2"}],
     "answerable": True},
]


@pytest.fixture
def world(tmp_path: Path) -> dict[str, Path]:
    """docs/ with one regulation (articles) and one guidance (sections), and questions.jsonl."""
    docs = tmp_path / "world" / "docs"
    docs.mkdir(parents=True)
    (docs / "01-qd-du-sinh-hoat.md").write_text(RULES, encoding="utf-8")
    (docs / "02-hd-du-so-ghi-chep.txt").write_text(GUIDE, encoding="utf-8")
    (docs / "README.md").write_text("not a document", encoding="utf-8")
    dataset = tmp_path / "world" / "questions.jsonl"
    dataset.write_text("\n".join(json.dumps(q, ensure_ascii=False) for q in QUESTIONS) + "\n", encoding="utf-8")
    return {"docs": docs, "dataset": dataset, "root": tmp_path}


@pytest.fixture
def eval_settings(tmp_path: Path) -> Any:
    from assistant.settings import load_settings

    return load_settings(overrides={"data_dir": str(tmp_path / "data"), "embedding": {"backend": "fake"},
                                    "llm": {"backend": "fake"}}, environ={})
