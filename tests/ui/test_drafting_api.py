"""Drafting endpoints through gradio_client: minutes DOCX, summary, report, bulletin, and their roles."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ui.conftest import NOTES

pytestmark = pytest.mark.integration  # a real Gradio server on loopback


def drafting_inputs(live_ui, api_name: str) -> tuple:
    """Inputs for each drafting endpoint, in the order its tab declares them."""
    return {
        "/minutes": (NOTES, None, "", "", "", ""),
        "/summarize": (NOTES, None),
        "/report": ("2026-04", ""),
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
    entry = [e for e in live_ui.audit() if e["action"] == "minutes"][-1]
    assert entry["who"] == "bithu"


def test_edited_record_regenerates_the_minutes(live_ui) -> None:
    client = live_ui.client("bithu")
    _, record, _, _ = client.predict(*drafting_inputs(live_ui, "/minutes"), api_name="/minutes")
    edited = record.rstrip() + "\nplace: Nhà văn hóa khu phố 2\n"
    preview, again, _, docx = client.predict(edited, api_name="/minutes_from_record")
    assert "Nhà văn hóa khu phố 2" in preview and Path(docx).exists()
    with pytest.raises(Exception) as excinfo:
        client.predict("date: [không phải ngày", api_name="/minutes_from_record")
    assert "không đọc được" in _error(excinfo)


def test_form_fields_override_the_notes(live_ui) -> None:
    client = live_ui.client("bithu")
    preview, record, _, _ = client.predict(NOTES, None, "09", "08/04/2026", "Nguyễn Văn Khánh", "",
                                           api_name="/minutes")
    assert "Nguyễn Văn Khánh" in record and "2026-04-08" in record
    with pytest.raises(Exception) as excinfo:
        client.predict(NOTES, None, "", "32/13/2026", "", "", api_name="/minutes")
    assert "ngày" in _error(excinfo)


def test_summary_lists_decisions_tasks_and_votes(live_ui) -> None:
    decisions, tasks, votes, _ = live_ui.client("bithu").predict(NOTES, None, api_name="/summarize")
    assert any("100% đảng viên" in row[0] for row in decisions["data"])
    assert any("Trần Văn Bảo" in row[1] and "20/04/2026" in row[2] for row in tasks["data"])
    assert votes["data"][0][1] == 14


def test_report_for_a_month_is_a_docx(live_ui) -> None:
    client = live_ui.client("bithu")
    client.predict(*drafting_inputs(live_ui, "/minutes"), api_name="/minutes")
    preview, _, docx = client.predict("2026-04", "", api_name="/report")
    assert "BÁO CÁO" in preview and Path(docx).suffix == ".docx"
    with pytest.raises(Exception) as excinfo:
        client.predict("tháng tư", "", api_name="/report")
    assert "không hợp lệ" in _error(excinfo)


@pytest.mark.slow
def test_member_makes_an_audio_bulletin(live_ui) -> None:
    from gradio_client import handle_file

    live_ui.client("bithu").predict([handle_file(str(live_ui.sample))], api_name="/ingest")
    script, audio, files, _ = live_ui.client("dangvien").predict(["so-tay-dang-vien"], 1.0, api_name="/bulletin")
    assert "Sổ tay đảng viên" in script
    assert Path(audio).exists() and Path(audio).stat().st_size > 1000
    with pytest.raises(Exception) as excinfo:
        live_ui.client("dangvien").predict([], 1.0, api_name="/bulletin")
    assert "ít nhất một tài liệu" in _error(excinfo)
