from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

HEADER = "[TÀI LIỆU MẪU – do nhóm phát triển soạn để thử nghiệm]\n"

REG_901 = HEADER + textwrap.dedent("""\
    BAN CHẤP HÀNH TRUNG ƯƠNG
    *
    Số 901-QĐ/TW                              Hà Nội, ngày 05 tháng 3 năm 2026

    QUY ĐỊNH
    về sử dụng sổ tay học tập điện tử

    Điều 1. Phạm vi điều chỉnh
    Quy định này áp dụng cho các chi bộ trực thuộc đảng bộ xã.

    Điều 2. Trách nhiệm của đảng viên
    1. Đảng viên phải cài đặt sổ tay học tập trong thời hạn 30 ngày kể từ ngày được cấp tài khoản.
    2. Đảng viên cập nhật thông tin cá nhân trong thời hạn 15 ngày kể từ khi có thay đổi.
    3. Đảng viên không được chia sẻ tài khoản cho người khác sử dụng.

    Điều 3. Trách nhiệm của chi ủy
    Chi ủy hướng dẫn đảng viên cao tuổi sử dụng sổ tay học tập và báo cáo đảng ủy hằng quý.
    """)

REG_902 = HEADER + textwrap.dedent("""\
    BAN CHẤP HÀNH TRUNG ƯƠNG
    *
    Số 902-QĐ/TW                              Hà Nội, ngày 20 tháng 8 năm 2024

    QUY ĐỊNH
    về lưu trữ hồ sơ đảng viên

    Điều 1. Hồ sơ đảng viên
    Hồ sơ đảng viên được lưu trữ tại chi bộ và cập nhật thông tin cá nhân khi có thay đổi.

    Điều 2. Thời hạn
    Chi bộ rà soát hồ sơ đảng viên mỗi năm một lần, chậm nhất ngày 31 tháng 12.
    """)

RES_57 = HEADER + textwrap.dedent("""\
    BỘ CHÍNH TRỊ
    *
    Số 957-NQ/TW                              Hà Nội, ngày 22 tháng 12 năm 2024

    NGHỊ QUYẾT
    về chuyển đổi số trong công tác đảng

    I- TÌNH HÌNH
    1. Công tác chuyển đổi số trong Đảng còn chậm, hạ tầng số ở cơ sở còn thiếu.

    II- NHIỆM VỤ
    1. Số hóa toàn bộ hồ sơ đảng viên trước năm 2027.
    2. Mỗi chi bộ có ít nhất một đảng viên phụ trách công nghệ thông tin.
    """)


@pytest.fixture
def indexed(services, tmp_path: Path):
    folder = tmp_path / "docs"
    folder.mkdir()
    for name, text in (("qd-901.txt", REG_901), ("qd-902.txt", REG_902), ("nq-957.md", RES_57)):
        (folder / name).write_text(text, encoding="utf-8")
    # Fake vectors are hash noise: rank on keywords here; the dense path has its own real-model test.
    services.settings.retrieval.dense_weight = 0.0
    report = services.ingest([folder])
    assert report.counts["ingested"] == 3, report.to_dict()
    return services
