"""The monthly report assembled from stored records and tasks."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from assistant.drafting.documents.report import classify, parent_committee, parse_month
from assistant.errors import ValidationFailed

from .conftest import SAMPLES
from .docx_facts import all_text, bold_runs, open_docx, run_fonts


def _store_samples(service: Any, *prefixes: str, cell: str | None = None) -> None:
    for prefix in prefixes:
        record, _ = service.open_record(next(p for p in SAMPLES if p.stem.startswith(prefix)))
        if cell:
            record.cell = cell
        service.save_record(record)


@pytest.fixture
def march(service: Any, tmp_path: Path) -> tuple[Any, Any]:
    _store_samples(service, "01", "02")  # March and April of CHI BỘ ẤP 3
    _store_samples(service, "05", cell="CHI BỘ ẤP 3")  # its thematic meeting in March
    _store_samples(service, "03")  # another cell's March meeting: not in this cell's report
    done = next(t for t in service.list_tasks("2026-03") if t.owner == "Nguyễn Văn Minh")
    service.set_task_status(done.id, "done")
    result = service.monthly_report("2026-03", tmp_path / "bc.docx", number="12",
                                    report_date=dt.date(2026, 3, 31))
    return open_docx(result.path), result


def test_report_parts_and_layout(march: tuple[Any, Any]) -> None:
    document, result = march
    left, right = document.tables[0].rows[0].cells
    assert [p.text for p in left.paragraphs if p.text] == ["ĐẢNG BỘ XÃ GÒ QUAO", "CHI BỘ ẤP 3", "*", "Số 12-BC/CB"]
    assert right.paragraphs[1].text == "Gò Quao, ngày 31 tháng 03 năm 2026"
    assert bold_runs(next(p for p in document.paragraphs if p.text == "BÁO CÁO"))
    assert run_fonts(document) == {"Times New Roman"}
    body = all_text(document)
    for part in ("I. KẾT QUẢ THỰC HIỆN NHIỆM VỤ THÁNG 03", "1. Công tác chính trị, tư tưởng",
                 "2. Lãnh đạo thực hiện nhiệm vụ chính trị ở địa phương", "3. Công tác xây dựng Đảng",
                 "a) Công tác tổ chức, sinh hoạt chi bộ", "b) Công tác đảng viên", "c) Công tác kiểm tra, giám sát",
                 "4. Công tác dân vận", "II. HẠN CHẾ, NGUYÊN NHÂN", "III. NHIỆM VỤ TRỌNG TÂM THÁNG 04",
                 "IV. ĐỀ XUẤT, KIẾN NGHỊ"):
        assert part in body, part
    assert "Trong tháng, chi bộ tổ chức 2 cuộc sinh hoạt" in body
    assert "Trương Văn Khoa" not in body
    assert "Quy định 339-QĐ/TW" in body and "Nghị quyết 57-NQ/TW" in body
    assert "Hướng dẫn cài đặt Sổ tay đảng viên điện tử (Nguyễn Văn Minh): đã hoàn thành." in body
    # A task due in April, assigned in March, is next month's work.
    assert "Lập danh sách học sinh thiếu thiết bị — phụ trách: Mai Thị Trang; thời hạn: 10/04/2026." in body
    # April's meeting is not part of March.
    assert "Lý Văn Phúc" not in body
    assert "HUYỆN" not in body.upper()


def test_signature_and_recipients(march: tuple[Any, Any]) -> None:
    document, _ = march
    left, right = document.tables[-1].rows[0].cells
    assert [p.text for p in left.paragraphs] == ["Nơi nhận:", "- Đảng ủy xã Gò Quao (b/c);", "- Lưu chi bộ."]
    # The secretary signing is the chair (title Bí thư) of the month's latest meeting.
    assert [p.text for p in right.paragraphs if p.text] == ["T/M CHI BỘ", "BÍ THƯ", "Võ Thanh Tùng"]


def test_empty_areas_get_placeholders(march: tuple[Any, Any]) -> None:
    document, result = march
    body = all_text(document)
    assert "[chưa có: kết quả công tác kiểm tra, giám sát]" in body
    assert "Thiếu: kết quả công tác kiểm tra, giám sát" in result.warnings


def test_month_without_records(service: Any, tmp_path: Path) -> None:
    result = service.monthly_report("2026-01", tmp_path / "bc.docx", report_date=dt.date(2026, 1, 31))
    body = all_text(open_docx(result.path))
    assert result.warnings[0] == "Không có biên bản nào của tháng 2026-01 trong kho dữ liệu"
    assert "[chưa có: kết quả công tác chính trị, tư tưởng]" in body
    assert "[chưa có: họ tên bí thư]" in body
    assert "Số …-BC/CB" in body


def test_invalid_month(service: Any) -> None:
    with pytest.raises(ValidationFailed, match="5/2026"):
        service.monthly_report("tháng tư")
    with pytest.raises(ValidationFailed):
        service.monthly_report("13/2026")


@pytest.mark.parametrize("written", ["2026-03", "tháng 3/2026", "Tháng 03 năm 2026", "3/2026", "03-2026",
                                     "thang 3/2026", "2026/3", " 3 / 2026 ", "T3/2026", "03.2026"])
def test_month_as_people_write_it(written: str) -> None:
    """Regression: "tháng 5/2026" was refused with "Error" badges; only YYYY-MM was accepted."""
    assert parse_month(written) == "2026-03"


def test_classify_and_parent_committee() -> None:
    assert classify("Kết nạp quần chúng Đoàn Thị Yến") == "members"
    assert classify("Vận động nhân dân góp ngày công") == "mass"
    assert classify("Khảo sát đoạn đường sạt lở") == "local"
    assert classify("Quán triệt Chỉ thị 50-CT/TW") == "political"
    assert classify("Chi ủy giám sát đảng viên") == "inspection"
    assert classify("Chào mừng") is None
    assert parent_committee("ĐẢNG BỘ XÃ GÒ QUAO", "Đảng ủy xã") == "Đảng ủy xã Gò Quao"
    assert parent_committee("", "Đảng ủy xã") == "Đảng ủy xã"


def test_report_states_only_what_the_records_say(service: Any, tmp_path: Path) -> None:
    """Regression: tasks the notes say nothing more about were listed "Chưa hoàn thành đúng hạn", and members'
    remarks ("… chưa biết cài đặt") were filed under "Hạn chế"."""
    from assistant.drafting.notes.record import record_from_data

    record = record_from_data({
        "cell": "CHI BỘ ẤP 3", "date": "2026-03-05", "chair": {"name": "Lê Thị Thu", "title": "Bí thư chi bộ"},
        "opinions": [{"speaker": "Trần Văn Bảo", "content": "Nhiều đảng viên lớn tuổi chưa biết cài đặt ứng dụng."},
                     {"speaker": "Võ Thị Hoa", "content": "Đề nghị Đảng ủy xã hỗ trợ kinh phí sửa đường."}],
        "conclusions": ["Công tác thu đảng phí còn chậm, chưa kịp thời.", "Chi bộ thống nhất vận động nhân dân sửa đường."],
        "tasks": [{"what": "Hướng dẫn cài đặt ứng dụng", "owner": "Trần Văn Bảo", "deadline": "2026-03-20"}],
    })
    service.save_record(record)
    result = service.monthly_report("tháng 3/2026", tmp_path / "bc.docx", report_date=dt.date(2026, 3, 31))
    body = all_text(open_docx(result.path))
    assert "Chưa hoàn thành đúng hạn" not in body and "đang thực hiện" not in body
    assert "Giao đồng chí Trần Văn Bảo: Hướng dẫn cài đặt ứng dụng (hạn 20/03/2026)." in body
    shortcomings = body.split("Hạn chế:")[1].split("Nguyên nhân:")[0]
    assert "chưa biết cài đặt" not in body, "a member's remark is neither a result nor a shortcoming"
    assert "Công tác thu đảng phí còn chậm" in shortcomings
    assert "Võ Thị Hoa: đề nghị Đảng ủy xã hỗ trợ kinh phí" in body.split("IV. ĐỀ XUẤT, KIẾN NGHỊ")[1]
    assert any("quá hạn" in w and "Hướng dẫn cài đặt ứng dụng" in w for w in result.warnings), \
        "the secretary is told, the report does not claim"


def test_cell_details_are_kept_in_the_settings_file(service: Any) -> None:
    import yaml

    path = service.settings.data_dir / "settings.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("# cấu hình của máy này\nllm:\n  backend: fake\ncell:\n  name: CŨ\n  id: ''\nui:\n  port: 7861\n",
                    encoding="utf-8")
    saved = service.save_cell_settings(name="chi bộ ấp 5", parent="Đảng bộ xã Gò Quao", place="Gò Quao", symbol="cb")
    text = saved.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert data["cell"]["name"] == "CHI BỘ ẤP 5" and data["cell"]["symbol"] == "CB" and data["cell"]["place"] == "Gò Quao"
    assert data["ui"]["port"] == 7861 and data["llm"]["backend"] == "fake" and text.startswith("# cấu hình")
    assert service.settings.cell.name == "CHI BỘ ẤP 5", "used at once"
    with pytest.raises(ValidationFailed, match="huyện"):
        service.save_cell_settings(name="CHI BỘ ẤP 5", parent="ĐẢNG BỘ HUYỆN GÒ QUAO", place="Gò Quao")
