"""Fixtures for drafting: settings with a configured cell, the service, the sample notes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
EVALS = REPO / "evals" / "drafting"
SAMPLES = sorted((EVALS / "notes").glob("*.txt")) + sorted((EVALS / "heldout" / "notes").glob("*.txt"))


def expected_for(notes: Path) -> dict[str, Any]:
    return yaml.safe_load((notes.parent.parent / "expected" / f"{notes.stem}.yaml").read_text(encoding="utf-8"))


@pytest.fixture
def cell_settings(tmp_path: Path) -> Any:
    from assistant.settings import load_settings

    return load_settings(overrides={
        "data_dir": str(tmp_path / "data"),
        "llm": {"backend": "fake"},
        "cell": {"name": "CHI BỘ ẤP 3", "parent": "ĐẢNG BỘ XÃ GÒ QUAO", "place": "Gò Quao"},
    }, environ={})


@pytest.fixture
def service(cell_settings: Any) -> Any:
    """The drafting service with no language model (deterministic output)."""
    from assistant.drafting.service import drafting_service
    from assistant.llm.fake import FakeLLM

    return drafting_service(cell_settings, llm=FakeLLM(writes_vietnamese=False))


@pytest.fixture
def sample_doc(tmp_path: Path) -> Path:
    """A short Party document in plain text, like the ones in the bundled corpus."""
    path = tmp_path / "339-qd-tw.txt"
    path.write_text(
        "BỘ CHÍNH TRỊ\nĐẢNG CỘNG SẢN VIỆT NAM\n*\nSố 339-QĐ/TW\nHà Nội, ngày 10 tháng 7 năm 2025\n\n"
        "QUY ĐỊNH\nvề sử dụng ứng dụng Sổ tay đảng viên điện tử\n\n"
        "- Căn cứ Điều lệ Đảng;\n\n"
        "Điều 1. Phạm vi điều chỉnh\n"
        "Quy định này quy định việc sử dụng ứng dụng Sổ tay đảng viên điện tử trong toàn Đảng.\n\n"
        "Điều 2. Đối tượng áp dụng\n"
        "Đảng viên chính thức và đảng viên dự bị phải cài đặt và sử dụng ứng dụng Sổ tay đảng viên điện tử.\n"
        "Các tổ chức đảng, chi bộ có trách nhiệm đăng tải tài liệu sinh hoạt lên ứng dụng trước kỳ họp ít nhất 1 ngày.\n\n"
        "Điều 3. Bảo đảm an toàn thông tin\n"
        "Tuyệt đối không đưa tài liệu mật lên ứng dụng; đảng viên phải bảo vệ tài khoản và mật khẩu của mình.\n"
        "Đến năm 2026, 100% chi bộ sử dụng ứng dụng trong sinh hoạt định kỳ.\n\n"
        "Điều 4. Hiệu lực thi hành\n"
        "Quy định này có hiệu lực kể từ ngày ký.\n\n"
        "Nơi nhận:\n- Các tỉnh ủy, thành ủy,\n- Lưu Văn phòng Trung ương Đảng.\n",
        encoding="utf-8",
    )
    return path
