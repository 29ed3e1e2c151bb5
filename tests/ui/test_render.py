"""What the components show, built from service results."""

from __future__ import annotations

from types import SimpleNamespace

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
