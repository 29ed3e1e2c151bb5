"""What the components show, built from service results."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from assistant.errors import ValidationFailed
from assistant.records import DocumentMeta
from assistant.ui import render
from assistant.ui.i18n import STRINGS, Texts


def _hit(**kw):
    base = dict(doc_id="339", citation="khoản 1 Điều 2 Quy định 339-QĐ/TW", article="2", clause="1", point="",
                section="", page=3, superseded_note="", number="339-QĐ/TW",
                text="1. Đảng viên <chính thức> phải cài đặt ứng dụng.\n2. Chi bộ hướng dẫn.")
    base.update(kw)
    return SimpleNamespace(**base)


def test_highlight_escapes_and_marks_quotes() -> None:
    html = render.highlight("a <b> phải cài đặt & dùng", ["phải cài đặt"])
    assert html == "a &lt;b&gt; <mark>phải cài đặt</mark> &amp; dùng"
    assert render.highlight("abc", ["không có"]) == "abc"


def test_sources_html_shows_citation_unit_page_and_quote() -> None:
    hit = _hit()
    answer = SimpleNamespace(sources=[SimpleNamespace(marker=1, hit=hit,
                                                      quotes=["Đảng viên <chính thức> phải cài đặt ứng dụng."])])
    html = render.sources_html(answer, Texts("vi"))
    assert "khoản 1 Điều 2 Quy định 339-QĐ/TW" in html and "Điều 2, khoản 1" in html and "trang 3" in html
    assert "<mark>Đảng viên &lt;chính thức&gt; phải cài đặt ứng dụng.</mark>" in html
    assert "<chính thức>" not in html


def test_document_rows_filter_by_number_or_title() -> None:
    metas = [DocumentMeta("339", title="Quy định sử dụng Sổ tay", number="339-QĐ/TW", doc_type="quy định",
                          warnings=["trích xuất PDF lỗi dấu"]),
             DocumentMeta("57", title="Nghị quyết đột phá", number="57-NQ/TW", doc_type="nghị quyết",
                          superseded_by="")]
    assert [r[0] for r in render.document_rows(metas)] == ["339", "57"]
    assert [r[0] for r in render.document_rows(metas, "57-nq")] == ["57"]
    assert "lỗi dấu" in render.document_rows(metas, "sổ tay")[0][-1]
    choices = render.document_choices(metas)
    assert ("Nghị quyết 57-NQ/TW — Nghị quyết đột phá", "57") in choices
    assert render.document_types(metas) == ["nghị quyết", "quy định"]


def test_every_string_has_both_languages_and_english_switches() -> None:
    for key, (vi, en) in STRINGS.items():
        assert vi.strip() and en.strip(), key
    assert Texts("vi")("tab.ask") == "Hỏi đáp" and Texts("en")("tab.ask") == "Study chat"
    assert Texts("vi")("docs.removed", doc_id="57") == "Đã gỡ tài liệu '57'."
    assert Texts("vi").role("secretary") == "Bí thư / cấp ủy"


def test_english_interface_when_settings_say_so(settings, services) -> None:
    """settings.ui.language = en switches every label; Vietnamese is the default."""
    from assistant.ui.app import build_app
    from assistant.ui.audit import AuditLog
    from assistant.ui.auth import UserStore

    def labels(language: str) -> str:
        services.settings.ui.language = language
        app = build_app(services, UserStore(settings.data_dir, rounds=4), AuditLog(settings.log_dir))
        return str(app.blocks.get_config_file())

    english, vietnamese = labels("en"), labels("vi")
    assert "Study chat" in english and "Hỏi đáp" not in english
    assert "Hỏi đáp" in vietnamese and "Study chat" not in vietnamese


def test_scanned_sources_are_marked() -> None:
    answer = SimpleNamespace(sources=[SimpleNamespace(marker=1, hit=_hit(ocr=True), quotes=[])])
    assert "từ bản quét" in render.sources_html(answer, Texts("vi"))
    plain = SimpleNamespace(sources=[SimpleNamespace(marker=1, hit=_hit(ocr=False), quotes=[])])
    assert "từ bản quét" not in render.sources_html(plain, Texts("vi"))


# -- issue 17: Vietnamese on every screen, tables that render, forms that forgive --------------------------
def test_table_text_is_composed() -> None:
    """Regression: decomposed marks in table cells showed detached ("Sô ́hiệu")."""
    import unicodedata

    decomposed = unicodedata.normalize("NFD", "Số hiệu kế hoạch")
    metas = [DocumentMeta("kh", title=decomposed, number="168-KH/VPTW", doc_type="kế hoạch", date="2025-08-21")]
    row = render.document_rows(metas)[0]
    assert row[3] == "Số hiệu kế hoạch" and unicodedata.is_normalized("NFC", row[3])
    assert row[4] == "21/08/2025", "dates in tables read dd/mm/yyyy"


def test_answer_shows_the_model_lead_apart_from_the_quotes() -> None:
    from assistant.study.chat import LEAD_LABEL_VI

    answer = SimpleNamespace(text=f"{LEAD_LABEL_VI} Đảng viên dự bị phải cài đặt ứng dụng [1].\n\n[1] Điều 2: «…»",
                             lead="Đảng viên dự bị phải cài đặt ứng dụng [1].", mode="generative")
    shown = render.answer_markdown(answer, Texts("vi"), LEAD_LABEL_VI)
    lead_box = shown.split("</div>")[0]
    assert 'class="chibo-lead"' in lead_box and "Mô hình diễn đạt" in lead_box
    assert "Đảng viên dự bị phải cài đặt ứng dụng [1]." in lead_box
    quotes = shown.split("</div>", 1)[1]
    assert "[1] Điều 2" in quotes and "Đảng viên dự bị phải" not in quotes and LEAD_LABEL_VI not in quotes
    plain = render.answer_markdown(SimpleNamespace(text="[1] Điều 2: «…»", lead="", mode="extractive"), Texts("vi"))
    assert "chibo-lead" not in plain and plain.startswith("[1] Điều 2")


def _record() -> Any:
    from assistant.drafting.notes.record import MeetingRecord

    return MeetingRecord.model_validate({
        "number": "04", "date": "2026-04-07", "chair": {"name": "Lê Văn An", "title": "Bí thư chi bộ", "line": 4},
        "attendance": {"total": 15, "present": 14, "line": 6,
                       "absent_excused": [{"name": "Đỗ Văn Quang", "reason": "công tác", "line": 7}]},
        "conclusions": [{"text": "Thống nhất cài đặt ứng dụng", "line": 13}],
        "tasks": [{"what": "Hướng dẫn cài đặt", "owner": "Trần Văn Bảo", "deadline": "2026-04-20", "line": 16}],
        "field_lines": {"number": 2, "date": 3},
    })


def test_found_items_link_to_their_lines_and_the_notes_are_numbered() -> None:
    t = Texts("vi")
    found = render.found_items_html(_record(), t, "minutes")
    for line in (2, 3, 4, 6, 7, 13, 16):
        assert f'href="#minutes-line-{line}"' in found, line
    assert "Vắng có lý do: Đỗ Văn Quang (công tác)" in found and "Số biên bản: 04" in found
    notes = render.notes_html(["Số 04-BB/CB", "", "<b>Chủ trì</b>"], "minutes")
    assert 'id="minutes-line-1" value="1">Số 04-BB/CB' in notes and 'id="minutes-line-2"' in notes
    assert "&lt;b&gt;Chủ trì" in notes, "note text is escaped"
    assert "Bấm" in render.found_items_html(None, t, "minutes")


def test_form_overrides_the_notes_field_by_field() -> None:
    from assistant.ui.forms import apply_form, form_values

    t = Texts("vi")
    record = _record()
    values = form_values(record)
    assert values["date"] == "07/04/2026" and values["absent_excused"] == "Đỗ Văn Quang - công tác"
    assert values["tasks"] == [["Hướng dẫn cài đặt", "Trần Văn Bảo", "20/04/2026"]]
    data = apply_form(record, {"parent": "Đảng bộ xã Gò Quao", "locality": "Gò Quao", "place": "Nhà văn hóa",
                               "chair": "", "chair_title": "Bí thư", "present": 13.0,
                               "absent_excused": "đ/c Đỗ Văn Quang - công tác\nVõ Thị Hoa (ốm)",
                               "tasks": [["Sửa đường", "Huỳnh Văn Sơn", "cuối tháng 4"], ["", "", ""]]}, t)
    assert data["parent"] == "ĐẢNG BỘ XÃ GÒ QUAO" and data["locality"] == "Gò Quao" and data["place"] == "Nhà văn hóa"
    assert data["chair"]["name"] == "Lê Văn An" and data["chair"]["title"] == "Bí thư", "an empty field keeps the notes"
    assert data["attendance"]["present"] == 13 and data["attendance"]["total"] == 15
    assert [a["name"] for a in data["attendance"]["absent_excused"]] == ["Đỗ Văn Quang", "Võ Thị Hoa"]
    assert data["attendance"]["absent_excused"][1]["reason"] == "ốm"
    assert data["tasks"] == [{"what": "Sửa đường", "owner": "Huỳnh Văn Sơn", "deadline_text": "cuối tháng 4"}]
    with pytest.raises(ValidationFailed, match="Có mặt"):
        apply_form(record, {"present": "nhiều"}, t)


def test_record_keys_in_messages_become_form_labels() -> None:
    from assistant.ui.forms import field_problems

    out = field_problems(["date: ngày không tồn tại '32/13/2026'", "attendance.present: không được âm (nhận -1)",
                          "khác"], Texts("vi"))
    assert out[0] == "Ô \"Ngày họp (dd/mm/yyyy)\" chưa đúng: ngày không tồn tại '32/13/2026'"
    assert out[1].startswith("Ô \"Có mặt\"") and out[2] == "khác"


def test_gradio_own_words_are_vietnamese_for_every_browser_language() -> None:
    from assistant.ui.gradio_strings import GRADIO_LOCALES, VIETNAMESE, translations

    vi = translations("vi")
    assert set(vi) == set(GRADIO_LOCALES) and "en" in vi and "fr" in vi
    assert vi["en"]["upload_text.drop_file"] == "Thả tệp vào đây" and vi["en"]["common.error"] == "Lỗi"
    assert all("." in key for key in VIETNAMESE), "flat dotted keys win over Gradio's nested ones"
    assert translations("en") == {}


def test_messages_never_name_a_settings_key_or_a_command() -> None:
    from assistant.errors import BackendUnavailable, NotFound, ValidationFailed
    from assistant.ui.handlers import user_message

    assert user_message(NotFound("Không có tài liệu: x", hint="xem danh sách bằng 'chibo docs'")) == \
        "Không có tài liệu: x"
    assert "cell.parent" not in user_message(ValidationFailed("Cấp huyện đã bỏ", hint="sửa cell.parent"))
    assert user_message(BackendUnavailable("Mô hình bận", hint="thử lại sau ít phút")) == \
        "Mô hình bận (thử lại sau ít phút)"
    assert user_message(ValidationFailed("Biên bản không hợp lệ", ["Ô \"Có mặt\" chưa đúng"])).endswith("chưa đúng")


def test_pop_up_titles_in_the_interface_language() -> None:
    from assistant.ui.style import CSS, toast_titles

    assert '--chibo-toast-error: "Lỗi";' in toast_titles(Texts("vi"))
    assert '--chibo-toast-error: "Error";' in toast_titles(Texts("en"))
    assert "var(--chibo-toast-error" in CSS and "font-family: var(--font) !important" in CSS


def test_waiting_for_the_model_shows_the_place_in_the_queue(tmp_path) -> None:
    """While a writer-model request waits, the reply says "Đang chờ mô hình: vị trí N"."""
    import threading

    from assistant.llm.queue import ModelQueue
    from assistant.study.answer import Answer, ChatEvent
    from assistant.ui.audit import AuditLog
    from assistant.ui.auth import UserStore
    from assistant.ui.handlers import Guard, Handlers

    model = SimpleNamespace(queue=ModelQueue(), capabilities=SimpleNamespace(writes_vietnamese=True))

    def ask_stream(question: str, **_: Any):
        with model.queue.turn():
            yield ChatEvent("token", "Đảng viên phải")
        yield ChatEvent("answer", answer=Answer(question, "Đảng viên phải cài đặt.", [], "extractive"))

    services = SimpleNamespace(llm=model, documents=lambda: [DocumentMeta("339")],
                               chat=SimpleNamespace(ask_stream=ask_stream))
    users = UserStore(tmp_path, rounds=4)
    users.add("dangvien", "member", "mat-khau-thu-nghiem")
    handlers = Handlers(services, Guard(users, AuditLog(tmp_path / "logs"), Texts("vi")))
    holder_in, release = threading.Event(), threading.Event()

    def hold() -> None:
        with model.queue.turn():
            holder_in.set()
            release.wait(10)

    threading.Thread(target=hold, daemon=True).start()
    holder_in.wait(5)
    replies = []
    for out in handlers.ask("Ai phải cài đặt?", [], [], [], None, SimpleNamespace(username="dangvien")):
        replies.append(out[0][-1]["content"])
        if "Đang chờ mô hình" in replies[-1]:
            release.set()
    assert any("Đang chờ mô hình: vị trí 1" in r for r in replies)
    assert any("chưa đối chiếu" in r for r in replies), "the model's draft is marked as not yet checked"
    assert "Đảng viên phải cài đặt." in replies[-1]
