"""The interface's API through gradio_client against a live server: login, roles, ingest, ask, documents."""

from __future__ import annotations

import httpx
import pytest

from tests.ui.conftest import NOTES, PASSWORD

pytestmark = pytest.mark.integration  # a real Gradio server on loopback


def _error_text(excinfo: pytest.ExceptionInfo[BaseException]) -> str:
    return str(excinfo.value)


@pytest.fixture(scope="module")
def ingested(live_ui):
    from gradio_client import handle_file

    client = live_ui.client("bithu")
    result = client.predict([handle_file(str(live_ui.sample))], api_name="/ingest")
    return result


def test_endpoints_have_stable_names(live_ui) -> None:
    names = set(live_ui.client("quantri").view_api(print_info=False, return_format="dict")["named_endpoints"])
    expected = {"/ask", "/ingest", "/list_documents", "/remove_document", "/system_status", "/minutes",
                "/summarize", "/report", "/bulletin"}
    assert expected <= names


def test_unauthenticated_calls_are_refused(live_ui) -> None:
    with pytest.raises(Exception, match="(?i)login|credentials|401"):
        live_ui.client()
    for path in ("config", "gradio_api/info"):
        response = httpx.get(live_ui.url + path, timeout=10)
        assert response.status_code == 401, path
    response = httpx.post(live_ui.url + "gradio_api/call/ask", json={"data": ["xin chào", [], [], []]}, timeout=10)
    assert response.status_code == 401


def test_wrong_password_is_refused(live_ui) -> None:
    with pytest.raises(Exception, match="(?i)could not login|credentials|incorrect"):
        live_ui.client("bithu", "sai-mat-khau")
    assert any(e["action"] == "login_failed" and e["who"] == "bithu" for e in live_ui.audit())


def test_secretary_ingests_a_vietnamese_document(live_ui, ingested, no_network) -> None:
    summary, results = ingested[0], ingested[1]
    assert "Nạp 1" in summary
    assert results["data"][0][0] == "so-tay-dang-vien.md" and results["data"][0][1] == "đã nạp"
    table = live_ui.client("bithu").predict("sổ tay", api_name="/list_documents")
    assert [row[0] for row in table["data"]] == ["so-tay-dang-vien"]
    assert any(e["action"] == "ingest" and e["who"] == "bithu" and e["what"] == "so-tay-dang-vien.md"
               and e["status"] == "ingested" for e in live_ui.audit())


def test_member_asks_and_gets_cited_quoted_passages(live_ui, ingested, no_network) -> None:
    client = live_ui.client("dangvien")
    question = "Đảng viên dự bị có phải cài đặt ứng dụng Sổ tay đảng viên điện tử không?"
    job = client.submit(question, [], [], [], api_name="/ask")
    history, sources, box, payload = job.result()
    assert len(job.outputs()) > 2, "the answer streams in pieces"
    assert history[-2]["content"][0]["text"] == question
    assert "Sổ tay đảng viên" in history[-1]["content"][0]["text"]
    assert box == ""
    assert "Điều 2" in sources and "<mark>" in sources and "trang 1" in sources
    first = payload["sources"][0]
    assert first["article"] == "2" and first["page"] == 1 and "Điều 2" in first["citation"]
    assert any("dự bị" in q for q in first["quotes"])
    entry = [e for e in live_ui.audit() if e["action"] == "ask"][-1]
    assert entry["who"] == "dangvien" and entry["what"] == question


def test_follow_up_uses_the_session_conversation(live_ui, ingested) -> None:
    client = live_ui.client("dangvien")
    client.predict("Chi bộ có trách nhiệm gì với ứng dụng Sổ tay đảng viên điện tử?", [], [], [], api_name="/ask")
    payload = client.predict("Còn khoản 2 thì sao?", [], [], [], api_name="/ask")[3]
    assert payload["resolved_question"] != "Còn khoản 2 thì sao?"
    assert "Điều" in payload["resolved_question"]
    fresh = live_ui.client("dangvien").predict("Còn khoản 2 thì sao?", [], [], [], api_name="/ask")[3]
    assert fresh["resolved_question"] == "Còn khoản 2 thì sao?", "another session has its own conversation"


def test_filters_by_document_and_type(live_ui, ingested) -> None:
    client = live_ui.client("dangvien")
    payload = client.predict("Ai phải cài đặt ứng dụng?", ["so-tay-dang-vien"], [], [], api_name="/ask")[3]
    assert {s["doc_id"] for s in payload["sources"]} == {"so-tay-dang-vien"}
    with pytest.raises(Exception) as excinfo:
        client.predict("Ai phải cài đặt ứng dụng?", [], ["chỉ thị"], [], api_name="/ask")
    assert "Không có tài liệu thuộc loại" in _error_text(excinfo)


def test_empty_question_gives_a_vietnamese_error(live_ui) -> None:
    with pytest.raises(Exception) as excinfo:
        live_ui.client("dangvien").predict("   ", [], [], [], api_name="/ask")
    assert "Hãy nhập câu hỏi" in _error_text(excinfo)


@pytest.mark.parametrize("api_name, args", [
    ("/ingest", ([],)),
    ("/list_documents", ("",)),
    ("/remove_document", ("so-tay-dang-vien", "")),
    ("/system_status", (False,)),
])
def test_member_is_refused_secretary_and_admin_endpoints(live_ui, ingested, api_name, args) -> None:
    with pytest.raises(Exception) as excinfo:
        live_ui.client("dangvien").predict(*args, api_name=api_name)
    assert "không có quyền" in _error_text(excinfo)
    assert live_ui.services.documents(), "nothing was removed"


def test_member_is_refused_drafting(live_ui) -> None:
    for api_name in ("/minutes", "/summarize", "/report"):
        with pytest.raises(Exception) as excinfo:
            live_ui.client("dangvien").predict(*_drafting_args(live_ui, api_name), api_name=api_name)
        assert "không có quyền" in _error_text(excinfo), api_name
    refused = [e for e in live_ui.audit() if e["action"] == "refused" and e["who"] == "dangvien"]
    assert refused


def test_secretary_is_refused_system_status(live_ui) -> None:
    with pytest.raises(Exception) as excinfo:
        live_ui.client("bithu").predict(False, api_name="/system_status")
    assert "không có quyền" in _error_text(excinfo)


def test_admin_sees_models_index_and_checks(live_ui, ingested) -> None:
    models, checks, settings, users, audit = live_ui.client("quantri").predict(False, api_name="/system_status")
    assert "fake-model" in models and "không viết tiếng Việt" in models
    assert "1** tài liệu" in models
    assert any("Chroma" in row[0] for row in checks["data"])
    assert {row[0] for row in users["data"]} == {"quantri", "bithu", "dangvien"}
    assert "api_key" not in settings["llm"]["openai"]


def test_a_removed_user_is_refused_at_once(live_ui) -> None:
    live_ui.users.add("tamthoi", "secretary", PASSWORD)
    client = live_ui.client("tamthoi")
    assert client.predict("", api_name="/list_documents") is not None
    live_ui.users.remove("tamthoi")
    with pytest.raises(Exception) as excinfo:
        client.predict("", api_name="/list_documents")
    assert "đăng nhập" in _error_text(excinfo)


def _drafting_args(live_ui, api_name: str) -> tuple:
    """Inputs for each drafting endpoint, in the order the tab declares them."""
    from tests.ui.test_drafting_api import drafting_inputs

    return drafting_inputs(live_ui, api_name)


SECOND_MD = """KẾ HOẠCH
về sinh hoạt chuyên đề năm 2026

Điều 1. Mục đích
Chi bộ tổ chức sinh hoạt chuyên đề mỗi quý một lần.
"""


def test_remove_document(live_ui, ingested, tmp_path) -> None:
    """The table returned after a removal lists the documents left (a second one is ingested so it is not empty)."""
    from gradio_client import handle_file

    client = live_ui.client("bithu")
    second = tmp_path / "ke-hoach-chuyen-de.md"
    second.write_text(SECOND_MD, encoding="utf-8")
    assert "Nạp 1" in client.predict([handle_file(str(second))], api_name="/ingest")[0]
    with pytest.raises(Exception) as excinfo:
        client.predict("khong-co", "", api_name="/remove_document")
    assert "Không có tài liệu" in _error_text(excinfo)
    message, table, *_ = client.predict("so-tay-dang-vien", "", api_name="/remove_document")
    assert "Đã gỡ" in message
    assert [row[0] for row in table["data"]] == ["ke-hoach-chuyen-de"]
    assert [m.doc_id for m in live_ui.services.documents()] == ["ke-hoach-chuyen-de"]
    assert any(e["action"] == "remove_document" and e["who"] == "bithu" and e["what"] == "so-tay-dang-vien"
               for e in live_ui.audit())


def test_secretary_is_served_drafting(live_ui) -> None:
    """The drafting service is always part of the app: a secretary's summary call answers, with its audit entry."""
    decisions, tasks, votes, _ = live_ui.client("bithu").predict(NOTES, None, api_name="/summarize")
    assert decisions["data"] and tasks["data"] and votes["data"]
    assert any(e["action"] == "summarize" and e["who"] == "bithu" for e in live_ui.audit())
