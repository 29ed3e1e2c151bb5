"""Drafting endpoints through gradio_client: notes read into a form, minutes DOCX, summary, report, bulletin,
the cell's standing details, and their roles."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from assistant.ui.forms import MINUTES_FIELDS
from tests.ui.conftest import NOTES

pytestmark = pytest.mark.integration  # a real Gradio server on loopback

EMPTY_TASKS = {"headers": ["Nội dung", "Người thực hiện", "Thời hạn"], "data": [["", "", ""]]}


def minutes_args(notes: str = NOTES, **fields: Any) -> tuple:
    """The /minutes inputs: the notes, no file, then every form field (empty unless given)."""
    empty = {"text": "", "count": None, "lines": "", "tasks": EMPTY_TASKS}
    return (notes, None, *(fields.get(f.name, empty[f.kind]) for f in MINUTES_FIELDS))


def drafting_inputs(live_ui, api_name: str) -> tuple:
    """Inputs for each drafting endpoint, in the order its tab declares them."""
    return {
        "/minutes": minutes_args(),
        "/minutes_read": (NOTES, None),
        "/summarize": (NOTES, None),
        "/report": ("2026-04", "", "", "", "", "", ""),
        "/bulletin": (["so-tay-dang-vien"], 1.0),
    }[api_name]


def _error(excinfo: pytest.ExceptionInfo[BaseException]) -> str:
    return str(excinfo.value)


def test_minutes_from_notes_give_preview_record_and_docx(live_ui) -> None:
    from docx import Document

    client = live_ui.client("bithu")
    preview, record, problems, docx = client.predict(*drafting_inputs(live_ui, "/minutes"), api_name="/minutes")
    assert "BIÊN BẢN" in preview and "Lê Văn An" in preview
    assert "Trần Văn Bảo" in record
    path = Path(docx)
    assert path.suffix == ".docx" and path.exists()
    text = "\n".join(p.text for p in Document(str(path)).paragraphs)
    assert "BIÊN BẢN" in text
    assert "cell." not in problems, "messages name no settings key"
    entry = [e for e in live_ui.audit() if e["action"] == "minutes"][-1]
    assert entry["who"] == "bithu"


def test_reading_notes_fills_the_form_and_links_each_item_to_its_line(live_ui) -> None:
    """The notes → record step shows each item with its source line; the form is filled for correcting."""
    out = live_ui.client("bithu").predict(NOTES, None, api_name="/minutes_read")
    status, found, numbered, *values = out
    fields = dict(zip([f.name for f in MINUTES_FIELDS], values, strict=True))
    assert fields["chair"] == "Lê Văn An" and fields["date"] == "07/04/2026" and fields["present"] == 14
    assert fields["taker"] == "Phạm Thị Mai"
    assert any("Trần Văn Bảo" in row for row in fields["tasks"]["data"])
    assert 'href="#minutes-line-4"' in found, "the chair was read from line 4"
    assert 'id="minutes-line-4"' in numbered and "Chủ trì: đ/c Lê Văn An" in numbered
    assert "Soạn biên bản" in status


def test_every_field_of_the_layout_can_be_corrected_before_generating(live_ui) -> None:
    """Regression: place, parent body and the place-name line could not be filled anywhere ("[chưa có: …]")."""
    client = live_ui.client("bithu")
    preview, record, problems, _ = client.predict(*minutes_args(
        cell="Chi bộ Khu phố 2", parent="Đảng bộ phường An Hòa", locality="An Hòa", number="09",
        place="Nhà văn hóa khu phố 2", chair="Nguyễn Văn Khánh", chair_title="Bí thư chi bộ", total=16, present=15,
        absent_excused="Đỗ Văn Quang - đi công tác",
        tasks={"headers": EMPTY_TASKS["headers"], "data": [["Sửa đường nội đồng", "Trần Văn Bảo", "30/04/2026"]]},
    ), api_name="/minutes")
    assert "ĐẢNG BỘ PHƯỜNG AN HÒA" in preview and "CHI BỘ KHU PHỐ 2" in preview
    assert "An Hòa, ngày 07 tháng 04 năm 2026" in preview and "Số 09-BB/CB" in preview
    assert "Nhà văn hóa khu phố 2" in preview and "Nguyễn Văn Khánh" in preview
    assert "Sửa đường nội đồng" in preview and "Hướng dẫn cài đặt" not in preview
    assert "chưa có: đảng bộ cấp trên" not in preview and "chưa có: địa danh" not in preview
    assert "present: 15" in record and "total: 16" in record


def test_form_fields_are_optional_keywords(live_ui) -> None:
    """API callers give only the fields they want to set, by name."""
    preview = live_ui.client("bithu").predict(NOTES, None, place="Nhà văn hóa ấp 3", present=13,
                                              api_name="/minutes")[0]
    assert "Nhà văn hóa ấp 3" in preview and "Có mặt: 13/15" in preview


def test_a_wrong_field_is_named_and_nothing_is_lost(live_ui) -> None:
    client = live_ui.client("bithu")
    with pytest.raises(Exception) as excinfo:
        client.predict(*minutes_args(date="32/13/2026"), api_name="/minutes")
    message = _error(excinfo)
    assert "Ngày họp" in message and "32/13/2026" in message and "date:" not in message


def test_edited_record_regenerates_the_minutes(live_ui) -> None:
    client = live_ui.client("bithu")
    _, record, _, _ = client.predict(*drafting_inputs(live_ui, "/minutes"), api_name="/minutes")
    edited = record.rstrip() + "\nplace: Nhà văn hóa khu phố 2\n"
    preview, again, _, docx = client.predict(edited, api_name="/minutes_from_record")
    assert "Nhà văn hóa khu phố 2" in preview and Path(docx).exists()
    with pytest.raises(Exception) as excinfo:
        client.predict("date: [không phải ngày", api_name="/minutes_from_record")
    assert "không đọc được" in _error(excinfo)


def test_notes_upload_boxes_leave_refusing_a_kind_to_the_server(live_ui, tmp_path: Path) -> None:
    """Gradio's ``file_types`` refuses in the browser with a fixed English sentence; the server refuses in
    Vietnamese, naming the kinds it takes, and still reads the kinds it takes."""
    import gradio as gr
    from gradio_client import handle_file

    boxes = {b.elem_id: b for b in live_ui.app.blocks.blocks.values() if isinstance(b, gr.File)}
    assert not boxes["minutes-file"].file_types and not boxes["summary-file"].file_types
    scan = tmp_path / "ghi-chep.pdf"
    scan.write_bytes(b"%PDF-1.4 a scan of the notes")
    client = live_ui.client("bithu")
    with_file = list(minutes_args(""))
    with_file[1] = handle_file(str(scan))
    calls = {"/minutes_read": ("", handle_file(str(scan))), "/summarize": ("", handle_file(str(scan))),
             "/minutes": tuple(with_file)}
    for api_name, args in calls.items():
        with pytest.raises(Exception) as excinfo:
            client.predict(*args, api_name=api_name)
        message = _error(excinfo)
        assert "Không đọc được tệp ghi chép dạng .pdf" in message, (api_name, message)
        assert ".txt, .md" in message and ".docx" in message and "Invalid file" not in message
        assert str(tmp_path) not in message and "/tmp" not in message
    notes = tmp_path / "ghi-chep.txt"
    notes.write_text(NOTES, encoding="utf-8")
    decisions, tasks, _, _ = client.predict("", handle_file(str(notes)), api_name="/summarize")
    assert any("Trần Văn Bảo" in row[1] for row in tasks["data"])


def test_summary_lists_decisions_tasks_and_votes(live_ui) -> None:
    decisions, tasks, votes, _ = live_ui.client("bithu").predict(NOTES, None, api_name="/summarize")
    assert any("Trần Văn Bảo" in row[1] and "20/04/2026" in row[2] for row in tasks["data"])
    assert any(row[1] == 14 for row in votes["data"])


@pytest.mark.parametrize("month", ["2026-04", "tháng 4/2026", "4/2026", "04-2026"])
def test_report_month_as_people_write_it(live_ui, month: str) -> None:
    client = live_ui.client("bithu")
    client.predict(*drafting_inputs(live_ui, "/minutes"), api_name="/minutes")
    preview, _, docx = client.predict(month, "", "", "", "", "", "", api_name="/report")
    assert "BÁO CÁO" in preview and "tháng 04 năm 2026" in preview
    assert Path(docx).name == "bao-cao-thang-2026-04.docx"


def test_report_form_and_bad_month(live_ui) -> None:
    client = live_ui.client("bithu")
    preview, _, _ = client.predict("4/2026", "12", "30/04/2026", "Chi bộ Khu phố 2", "Đảng bộ phường An Hòa",
                                   "An Hòa", "Lê Văn An", api_name="/report")
    assert "Số 12-BC/CB" in preview and "An Hòa, ngày 30 tháng 04 năm 2026" in preview
    assert "ĐẢNG BỘ PHƯỜNG AN HÒA" in preview and "Lê Văn An" in preview
    with pytest.raises(Exception) as excinfo:
        client.predict("tháng tư", "", "", "", "", "", "", api_name="/report")
    assert "5/2026" in _error(excinfo), "the message says how to write the month"


def test_admin_sets_the_cell_once_and_it_is_kept(live_ui) -> None:
    import yaml

    values = live_ui.client("quantri").predict("Chi bộ ấp 3", "Đảng bộ xã Gò Quao", "Gò Quao", "cb",
                                                api_name="/save_cell")
    assert list(values) == ["CHI BỘ ẤP 3", "ĐẢNG BỘ XÃ GÒ QUAO", "Gò Quao", "CB"]
    saved = yaml.safe_load((live_ui.data_dir / "settings.yaml").read_text(encoding="utf-8"))
    assert saved["cell"]["name"] == "CHI BỘ ẤP 3" and saved["cell"]["place"] == "Gò Quao"
    preview = live_ui.client("bithu").predict(*drafting_inputs(live_ui, "/minutes"), api_name="/minutes")[0]
    assert "ĐẢNG BỘ XÃ GÒ QUAO" in preview
    with pytest.raises(Exception) as excinfo:
        live_ui.client("bithu").predict("X", "Y", "Z", "CB", api_name="/save_cell")
    assert "không có quyền" in _error(excinfo)


@pytest.mark.slow
def test_member_makes_an_audio_bulletin(live_ui) -> None:
    from gradio_client import handle_file

    live_ui.client("bithu").predict([handle_file(str(live_ui.sample))], api_name="/ingest")
    script, audio, files, _ = live_ui.client("dangvien").predict(["so-tay-dang-vien"], 1.0, api_name="/bulletin")
    assert "Sổ tay đảng viên" in script
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" not in script, "the document's header is not read out"
    assert Path(audio).exists() and Path(audio).stat().st_size > 1000
    with pytest.raises(Exception) as excinfo:
        live_ui.client("dangvien").predict([], 1.0, api_name="/bulletin")
    assert "ít nhất một tài liệu" in _error(excinfo)
