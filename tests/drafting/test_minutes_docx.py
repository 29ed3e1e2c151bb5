"""The biên bản DOCX: 36-HD/VPTW header, content, signatures, A4, Times New Roman, placeholders."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from docx.shared import Mm

from assistant.drafting.notes.extract import extract_record
from assistant.drafting.notes.loader import read_notes
from assistant.drafting.notes.record import record_from_data
from assistant.errors import ValidationFailed

from .conftest import SAMPLES
from .docx_facts import all_text, bold_runs, has_bottom_rule, italic_runs, open_docx, run_fonts


def _sample(prefix: str) -> Path:
    return next(p for p in SAMPLES if p.stem.startswith(prefix))


@pytest.fixture
def verbose_docx(service: Any, tmp_path: Path) -> tuple[Any, Any]:
    record, _ = service.open_record(_sample("02"))
    record.number = "7"
    result = service.minutes(record, tmp_path / "bb.docx")
    return open_docx(result.path), result


def test_page_and_fonts(verbose_docx: tuple[Any, Any]) -> None:
    document, _ = verbose_docx
    section = document.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(1) and abs(section.page_height - Mm(297)) < Mm(1)
    assert abs(section.left_margin - Mm(30)) < Mm(0.1) and abs(section.right_margin - Mm(15)) < Mm(0.1)
    assert document.styles["Normal"].font.name == "Times New Roman"
    assert run_fonts(document) == {"Times New Roman"}


def test_header_table(verbose_docx: tuple[Any, Any]) -> None:
    document, _ = verbose_docx
    left, right = document.tables[0].rows[0].cells
    lp = [p for p in left.paragraphs if p.text]
    assert [p.text for p in lp] == ["ĐẢNG BỘ XÃ GÒ QUAO", "CHI BỘ ẤP 3", "*", "Số 07-BB/CB"]
    assert not any(r.bold for r in lp[0].runs)  # parent body not bold
    assert bold_runs(lp[1])  # the cell in bold
    rp = [p for p in right.paragraphs if p.text]
    assert rp[0].text == "ĐẢNG CỘNG SẢN VIỆT NAM" and bold_runs(rp[0]) and has_bottom_rule(rp[0])
    assert rp[0].runs[0].font.size.pt == 15
    assert rp[1].text == "Gò Quao, ngày 07 tháng 04 năm 2026" and italic_runs(rp[1])


def test_title_and_required_parts(verbose_docx: tuple[Any, Any]) -> None:
    document, result = verbose_docx
    texts = [p.text for p in document.paragraphs]
    title = next(p for p in document.paragraphs if p.text == "BIÊN BẢN")
    assert bold_runs(title)
    assert "Sinh hoạt chi bộ định kỳ tháng 04 năm 2026" in texts
    body = all_text(document)
    for part in ("vào lúc 19 giờ 00 phút, ngày 07/04/2026, tại Hội trường Ban Nhân dân ấp 3",
                 "Chủ trì: đồng chí Nguyễn Văn Hùng, Bí thư chi bộ.",
                 "Thư ký (ghi biên bản): đồng chí Trần Thị Lan",
                 "Tổng số đảng viên của chi bộ: 20 đồng chí (chính thức: 18, dự bị: 2)",
                 "Có mặt: 16/19 đồng chí",
                 "Vắng có lý do: 2 đồng chí (đồng chí Võ Thị Hoa: đi làm ăn xa; đồng chí Phạm Văn Bình: nằm viện)",
                 "Vắng không có lý do: 1 đồng chí (đồng chí Cao Văn Lợi)",
                 "Khách mời: đồng chí Đặng Minh Tuấn",
                 "Đồng chí Huỳnh Văn Sơn cho rằng đoạn đường nội đồng",
                 "IV. KẾT LUẬN CỦA CHỦ TRÌ",
                 "tán thành 16/16 đồng chí (100%)",
                 "Cuộc họp kết thúc vào lúc 21 giờ 00 phút cùng ngày.",
                 "Biên bản đã được đọc lại"):
        assert part in body, part
    tasks = document.tables[1]
    assert [c.text for c in tasks.rows[0].cells] == ["TT", "Nội dung công việc", "Người thực hiện", "Thời hạn"]
    assert [c.text for c in tasks.rows[2].cells][2:] == ["Nguyễn Thị Mai", "15/05/2026"]
    assert "HUYỆN" not in body.upper()
    assert result.warnings == []


def test_two_signature_blocks(verbose_docx: tuple[Any, Any]) -> None:
    document, _ = verbose_docx
    signatures = document.tables[-1].rows[0].cells
    assert len(signatures) == 2
    left = [p.text for p in signatures[0].paragraphs if p.text]
    right = [p.text for p in signatures[1].paragraphs if p.text]
    assert left == ["THƯ KÝ", "Trần Thị Lan"] and right == ["CHỦ TRÌ", "Nguyễn Văn Hùng"]


def test_missing_facts_are_visible_placeholders(service: Any, tmp_path: Path) -> None:
    record = extract_record(read_notes(_sample("04"))).record
    result = service.minutes(record, tmp_path / "bb.docx")
    body = all_text(open_docx(result.path))
    for label in ("số biên bản", "ngày họp", "giờ bắt đầu", "địa điểm", "người chủ trì",
                  "thư ký (người ghi biên bản)", "tổng số đảng viên", "kết quả biểu quyết", "giờ kết thúc"):
        assert f"[chưa có: {label}]" in body, label
        assert f"Thiếu: {label}" in result.warnings
    assert "Đồng chí Hạnh đề nghị tăng cường tuần tra ban đêm." in body
    placeholder_runs = [r for p in open_docx(result.path).paragraphs for r in p.runs if r.text.startswith("[chưa có")]
    assert placeholder_runs and all(r.font.highlight_color is not None for r in placeholder_runs)


def test_short_meeting_warning_and_markdown(service: Any, tmp_path: Path) -> None:
    record, _ = service.open_record(_sample("07"))
    result = service.minutes(record, markdown_only=True)
    assert result.path is None
    assert any("70 phút, dưới 90 phút" in w for w in result.warnings)
    assert "## BIÊN BẢN" in result.markdown and "| 3 | Thu đảng phí quý III | Tô Văn Sang | cuối tháng 7 |" \
        not in result.markdown
    assert "| 3 | Thu đảng phí quý III | Tô Văn Sang | 31/07/2026 |" in result.markdown


def test_district_level_is_never_printed(service: Any, tmp_path: Path) -> None:
    record = record_from_data({"parent": "HUYỆN ỦY GÒ QUAO", "date": "2026-03-05"})
    with pytest.raises(ValidationFailed, match="294-QĐ/TW"):
        service.minutes(record, tmp_path / "x.docx")
    assert not (tmp_path / "x.docx").exists()


def test_cell_adapts_wording_with_a_template_file(service: Any, cell_settings: Any, tmp_path: Path) -> None:
    folder = cell_settings.data_dir / "templates"
    folder.mkdir(parents=True)
    (folder / "minutes.vi.yaml").write_text('signature_secretary: "NGƯỜI GHI BIÊN BẢN"\n', encoding="utf-8")
    record, _ = service.open_record(_sample("01"))
    document = open_docx(service.minutes(record, tmp_path / "bb.docx").path)
    assert document.tables[-1].rows[0].cells[0].paragraphs[0].text == "NGƯỜI GHI BIÊN BẢN"
    assert document.tables[-1].rows[0].cells[1].paragraphs[0].text == "CHỦ TRÌ"  # the rest from the default file


def test_template_with_unknown_variable_fails_clearly(service: Any, cell_settings: Any) -> None:
    from assistant.errors import ConfigError

    folder = cell_settings.data_dir / "templates"
    folder.mkdir(parents=True)
    (folder / "minutes.vi.yaml").write_text('closing: "Kết thúc lúc {gio}."\n', encoding="utf-8")
    record, _ = service.open_record(_sample("01"))
    with pytest.raises(ConfigError, match="gio"):
        service.minutes(record, markdown_only=True)


@pytest.mark.parametrize("notes", SAMPLES, ids=lambda p: p.stem)
def test_every_sample_renders(service: Any, notes: Path, tmp_path: Path) -> None:
    record, _ = service.open_record(notes)
    document = open_docx(service.minutes(record, tmp_path / "bb.docx").path)
    assert document.tables[0].rows[0].cells[1].paragraphs[0].text == "ĐẢNG CỘNG SẢN VIỆT NAM"
    assert len(document.tables[-1].rows[0].cells) == 2
