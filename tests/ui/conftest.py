"""A live interface on a free loopback port, with users of every role, all state under tmp."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

PASSWORD = "mat-khau-thu-nghiem"
USERS = {"quantri": "admin", "bithu": "secretary", "dangvien": "member"}

SAMPLE_MD = """ĐẢNG CỘNG SẢN VIỆT NAM

QUY ĐỊNH
về việc sử dụng ứng dụng Sổ tay đảng viên điện tử

Điều 1. Phạm vi điều chỉnh
Quy định này quy định việc sử dụng ứng dụng Sổ tay đảng viên điện tử trong sinh hoạt đảng.

Điều 2. Đối tượng áp dụng
1. Đảng viên chính thức và đảng viên dự bị phải cài đặt và sử dụng ứng dụng Sổ tay đảng viên điện tử.
2. Các cấp ủy, chi bộ sử dụng ứng dụng để đăng tài liệu sinh hoạt trước ít nhất một ngày.

Điều 3. Trách nhiệm của chi bộ
Chi bộ có trách nhiệm hướng dẫn đảng viên cài đặt ứng dụng và kiểm tra việc sử dụng hằng tháng.
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class LiveUI:
    url: str
    app: Any
    services: Any
    users: Any
    data_dir: Path
    sample: Path

    def client(self, user: str | None = None, password: str = PASSWORD) -> Any:
        from gradio_client import Client

        auth = (user, password) if user else None
        return Client(self.url, auth=auth, verbose=False, download_files=str(self.data_dir / "downloads"))

    def audit(self) -> list[dict[str, Any]]:
        import json

        path = self.data_dir / "logs" / "audit.jsonl"
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


def start_ui(data_dir: Path, *, language: str = "vi", extra: dict[str, Any] | None = None,
             embedder: Any = None) -> LiveUI:
    """Build the app over the fake embedder (or ``embedder``) and a non-capable fake LLM and serve it."""
    from assistant.embeddings.fake import FakeEmbedder
    from assistant.llm.fake import FakeLLM
    from assistant.services import Services
    from assistant.settings import load_settings
    from assistant.ui.app import build_app, launch
    from assistant.ui.audit import AuditLog
    from assistant.ui.auth import UserStore

    overrides = {"data_dir": str(data_dir), "embedding": {"backend": "fake"}, "llm": {"backend": "fake"},
                 "ui": {"language": language}, **(extra or {})}
    settings = load_settings(overrides=overrides, environ={})
    users = UserStore(settings.data_dir, rounds=4)
    for name, role in USERS.items():
        users.add(name, role, PASSWORD)
    services = Services(settings, llm=FakeLLM(writes_vietnamese=False), embedder=embedder or FakeEmbedder())
    app = build_app(services, users, AuditLog(settings.log_dir))
    port = free_port()
    launch(app, host="127.0.0.1", port=port, prevent_thread_lock=True, quiet=True)
    sample = data_dir.parent / "so-tay-dang-vien.md"
    sample.write_text(SAMPLE_MD, encoding="utf-8")
    return LiveUI(f"http://127.0.0.1:{port}/", app, services, users, settings.data_dir, sample)


def stop_ui(ui: LiveUI) -> None:
    ui.app.blocks.close()
    ui.services.index.close()


@pytest.fixture(scope="module")
def live_ui(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveUI]:
    ui = start_ui(tmp_path_factory.mktemp("ui") / "data")
    try:
        yield ui
    finally:
        stop_ui(ui)


NOTES = """Chi bộ khu phố 2 - sinh hoạt định kỳ tháng 4/2026
Số 04-BB/CB
Thời gian: 19h00 - 20h45 ngày 07/4/2026. Địa điểm: Hội trường khu phố 2
Chủ trì: đ/c Lê Văn An - Bí thư chi bộ
Thư ký: đ/c Phạm Thị Mai - Chi ủy viên
Tổng số đảng viên: 15 (chính thức 14, dự bị 1). Miễn sinh hoạt: 0
Có mặt: 14/15. Vắng 1 (có lý do: đ/c Đỗ Văn Quang - công tác)
Nội dung:
1. Đánh giá kết quả tháng 3, nhiệm vụ tháng 4
2. Quán triệt quy định về ứng dụng Sổ tay đảng viên điện tử
Thảo luận:
- Đ/c Trần Văn Bảo đề nghị hỗ trợ đảng viên lớn tuổi cài đặt ứng dụng.
Kết luận: thống nhất 100% đảng viên cài đặt ứng dụng trong tháng 4.
Biểu quyết thông qua nghị quyết tháng 4: 14/14 tán thành.
Phân công:
- Giao đ/c Trần Văn Bảo hướng dẫn cài đặt ứng dụng, xong trước ngày 20/4/2026.
Kết thúc 20h45.
"""
