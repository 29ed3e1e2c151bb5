"""Sign-in, the gate, uploads and headers of the served app (issue 16), against a live server on loopback."""

from __future__ import annotations

import json
import re
import threading
import time
from pathlib import Path

import httpx
import pytest

from tests.ui.conftest import PASSWORD, start_ui, stop_ui

pytestmark = pytest.mark.integration  # a real Gradio server on loopback

API_WORDS = ("gradio_api_info", "named_endpoints", "api_name", "/ask", "/minutes", "predict(", "view_api",
             "parameter_name", "window.gradio_config")
HEADERS = ("content-security-policy", "x-frame-options", "x-content-type-options", "referrer-policy")


def test_streamed_updates_are_merged_and_the_last_always_sent() -> None:
    """Regression (issue 16): 174 updates per extractive answer cost 1.04 s of server time against 0.18 s."""
    import gradio as gr

    from assistant.ui.server import coalesce

    def answer(request=None):
        yield ["câu hỏi"], gr.skip(), "x"
        for i in range(50):
            yield ["câu hỏi", f"trả lời {i}"], gr.skip(), gr.skip()
        yield ["câu hỏi", "trả lời xong"], gr.update(visible=True), gr.skip()

    sent = list(coalesce(answer, several=True, interval=10.0)())
    assert len(sent) == 3, "the first two at once, then only the last"
    assert sent[0] == (["câu hỏi"], gr.skip(), "x")
    assert sent[-1][0] == ["câu hỏi", "trả lời xong"] and sent[-1][1] == gr.update(visible=True)
    assert sent[-1][2] == gr.skip(), "no update lost, none invented"
    assert list(coalesce(answer, several=True, interval=0.0)()) == list(answer()), "interval 0 changes nothing"


def _login(url: str, user: str, password: str = PASSWORD) -> httpx.Client:
    client = httpx.Client(base_url=url, timeout=30)
    response = client.post("login", data={"username": user, "password": password})
    assert response.status_code == 200, response.text
    return client


def _assert_headers(response: httpx.Response) -> None:
    for name in HEADERS:
        assert name in response.headers, (response.url, name)
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"


def test_nothing_about_the_api_before_login(live_ui) -> None:
    """Regression: the login page (GET /) embedded every endpoint name, its parameters and code examples."""
    browser = {"accept": "text/html,application/xhtml+xml"}
    for path in ("", "?view=api", "config", "gradio_api/info", "gradio_api/openapi.json", "gradio_api/runs",
                 "gradio_api/queue/join", "theme.css", "manifest.json", "monitoring"):
        for headers in (browser, {}):
            response = httpx.get(live_ui.url + path, headers=headers, timeout=30, follow_redirects=True)
            text = response.text
            assert not any(word in text for word in API_WORDS), (path, headers, text[:300])
            if headers:
                assert response.status_code == 200 and response.url.path == "/login", path
                assert "Tên đăng nhập" in text and "Mật khẩu" in text and ">Đăng nhập<" in text
                assert "<script" not in text
            else:
                assert response.status_code == 401 and "Chưa đăng nhập" in response.json()["detail"], path


def test_security_headers_on_every_response(live_ui) -> None:
    anonymous = [httpx.get(live_ui.url + p, timeout=30, headers=h) for p, h in
                 (("login", {}), ("", {"accept": "text/html"}), ("config", {}), ("no-such-page", {}))]
    client = _login(live_ui.url, "dangvien")
    page = client.get("", headers={"accept": "text/html"})
    assert page.status_code == 200 and "window.gradio_config" in page.text, "after login the app itself is served"
    asset = re.search(r'src="\./(assets/[^"]+\.js)"', page.text)
    signed_in = [page, client.get("config"), client.get("gradio_api/info")]
    if asset:
        signed_in.append(client.get(asset.group(1)))
    for response in [*anonymous, *signed_in]:
        _assert_headers(response)


def test_login_page_is_vietnamese_and_says_what_went_wrong(live_ui) -> None:
    browser = {"accept": "text/html"}
    wrong = httpx.post(live_ui.url + "login", data={"username": "bithu", "password": "sai-mat-khau"},
                       headers=browser, timeout=30)
    assert wrong.status_code == 401 and "Sai tên đăng nhập hoặc mật khẩu." in wrong.text
    assert 'value="bithu"' in wrong.text and 'lang="vi"' in wrong.text
    right = httpx.post(live_ui.url + "login", data={"username": "bithu", "password": PASSWORD}, headers=browser,
                       timeout=30)
    assert right.status_code == 303 and right.headers["location"] == "/"
    cookie = right.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "chibo_session=" in cookie
    assert any(e["action"] == "login_failed" and e["who"] == "bithu" and e.get("address") == "127.0.0.1"
               for e in live_ui.audit())


def test_a_login_posted_from_another_site_is_refused(live_ui) -> None:
    response = httpx.post(live_ui.url + "login", data={"username": "bithu", "password": PASSWORD},
                          headers={"origin": "http://ke-gian.example"}, timeout=30)
    assert response.status_code == 403 and "chibo_session" not in response.headers.get("set-cookie", "")


def test_logout_ends_the_session_and_is_audited(live_ui) -> None:
    client = _login(live_ui.url, "dangvien")
    assert client.get("config").status_code == 200
    response = client.get("logout")
    assert response.status_code == 303 and response.headers["location"] == "/login"
    assert client.get("config").status_code == 401
    assert any(e["action"] == "logout" and e["who"] == "dangvien" and e.get("address") == "127.0.0.1"
               for e in live_ui.audit())


def test_a_member_may_not_upload(live_ui) -> None:
    client = _login(live_ui.url, "dangvien")
    response = client.post("gradio_api/upload", files={"files": ("x.txt", b"xin chao")})
    assert response.status_code == 403 and "bí thư" in response.json()["detail"]
    assert any(e["action"] == "upload_refused" and e["who"] == "dangvien" for e in live_ui.audit())


def test_a_document_ingest_refuses_is_deleted_at_once(live_ui) -> None:
    """Regression: a rejected upload stayed in uploads/ and in Gradio's upload cache."""
    from gradio_client import handle_file

    broken = live_ui.data_dir.parent / "hong.pdf"
    broken.write_bytes(b"%PDF-1.4 this is not really a pdf" * 10)
    client = live_ui.client("bithu")
    summary, rows, *_ = client.predict([handle_file(str(broken))], api_name="/ingest")
    assert rows["data"][0][0] == "hong.pdf" and rows["data"][0][1] != "đã nạp"
    assert not (live_ui.data_dir / "uploads" / "hong.pdf").exists()
    entry = [e for e in live_ui.audit() if e["action"] == "upload" and e["who"] == "bithu"][-1]
    assert entry["what"] == "hong.pdf" and entry["address"] == "127.0.0.1" and entry["bytes"] > 0
    assert any(e["action"] == "upload_discarded" and e["what"] == "hong.pdf" for e in live_ui.audit())
    from gradio.utils import get_upload_folder

    assert not list(Path(get_upload_folder()).rglob("hong.pdf")), "Gradio's copy is gone too"


# -- a server with tight limits: lock-outs, upload size, logins beside slow work -------------------
@pytest.fixture(scope="module")
def strict_ui(tmp_path_factory: pytest.TempPathFactory):
    ui = start_ui(tmp_path_factory.mktemp("strict") / "data",
                  extra={"ui": {"language": "vi", "max_upload_mb": 1, "address_failures": 3, "user_failures": 6,
                                "lockout_seconds": 60, "concurrency": 2}})
    try:
        yield ui
    finally:
        stop_ui(ui)


def test_an_upload_over_the_limit_is_refused_before_it_is_stored(strict_ui) -> None:
    from gradio.utils import get_upload_folder

    before = set(Path(get_upload_folder()).rglob("*"))
    client = _login(strict_ui.url, "bithu")
    big = b"a" * (1024 * 1024 + 100 * 1024)
    response = client.post("gradio_api/upload", files={"files": ("to-qua.txt", big)})
    assert response.status_code == 413
    assert response.json()["detail"] == "Tệp quá lớn (2 MB): mỗi lần tải lên tối đa 1 MB. Tệp không được lưu."
    assert not [p for p in set(Path(get_upload_folder()).rglob("*")) - before if "to-qua" in p.name]
    small = client.post("gradio_api/upload", files={"files": ("nho.txt", b"xin chao")})
    assert small.status_code == 200 and small.json()[0].endswith("nho.txt")
    entries = [e for e in strict_ui.audit() if e["who"] == "bithu" and e["action"].startswith("upload")]
    assert [e["action"] for e in entries[-2:]] == ["upload_refused", "upload"]


def test_lockout_says_when_to_retry_and_the_admin_unlocks_it(strict_ui, capsys) -> None:
    from assistant.cli.main import main

    url = strict_ui.url
    for _ in range(2):
        assert httpx.post(url + "login", data={"username": "quantri", "password": "sai"}, timeout=30).status_code == 401
    third = httpx.post(url + "login", data={"username": "quantri", "password": "sai"}, timeout=30)
    assert third.status_code == 429 and 55 <= int(third.headers["retry-after"]) <= 60
    detail = third.json()["detail"]
    assert detail.startswith("Máy này tạm bị khóa đăng nhập") and re.search(r"thử lại lúc \d\d:\d\d", detail)
    right = httpx.post(url + "login", data={"username": "quantri", "password": PASSWORD},
                       headers={"accept": "text/html"}, timeout=30)
    assert right.status_code == 429 and "Máy này tạm bị khóa" in right.text, "shown on the page, in Vietnamese"
    lockouts = [e for e in strict_ui.audit() if e["action"] == "lockout"]
    assert lockouts and lockouts[-1]["address"] == "127.0.0.1" and lockouts[-1]["scope"] == "address"
    assert main(["--data-dir", str(strict_ui.data_dir), "users", "unlock", "--address", "127.0.0.1"]) == 0
    assert "Đã mở khóa" in capsys.readouterr().out
    assert httpx.post(url + "login", data={"username": "quantri", "password": PASSWORD}, timeout=30).status_code == 200


def test_logins_do_not_wait_behind_busy_question_slots(strict_ui) -> None:
    """Regression: with 50 clients, logins took 4–6 s and timed out while answers ran one after another."""
    from assistant.study.chat import StudyChat

    original = StudyChat.ask_stream
    release = threading.Event()

    def slow(self, *args, **kwargs):  # every question slot busy until released
        release.wait(20)
        yield from original(self, *args, **kwargs)

    StudyChat.ask_stream = slow  # type: ignore[method-assign]
    try:
        strict_ui.services.ingest([strict_ui.sample])
        clients = [strict_ui.client("dangvien") for _ in range(3)]
        jobs = [c.submit("Ai phải cài đặt ứng dụng?", [], [], [], api_name="/ask") for c in clients]
        time.sleep(1.0)
        started = time.perf_counter()
        for _ in range(3):
            _login(strict_ui.url, "bithu")
        elapsed = time.perf_counter() - started
        assert elapsed < 3.0, f"three logins took {elapsed:.1f} s with the question slots busy"
        assert not any(job.done() for job in jobs), "the questions were still running"
    finally:
        release.set()
        StudyChat.ask_stream = original  # type: ignore[method-assign]
    for job in jobs:
        assert "Sổ tay" in json.dumps(job.result()[3], ensure_ascii=False)


# -- a real browser: our login page, then Gradio under the Content-Security-Policy --------------------
@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="Debian chromium is not installed")
def test_the_app_works_in_a_browser_under_the_policy(live_ui) -> None:
    pytest.importorskip("playwright")
    from tests.ui.browser import chromium_page

    with chromium_page() as (page, requested):
        violations: list[str] = []
        page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
        page.goto(live_ui.url)
        assert page.url.endswith("/login")
        page.get_by_label("Tên đăng nhập").fill("dangvien")
        page.get_by_label("Mật khẩu").fill("sai-mat-khau")
        page.get_by_role("button", name="Đăng nhập").click()
        page.get_by_text("Sai tên đăng nhập hoặc mật khẩu.").wait_for()
        page.get_by_label("Mật khẩu").fill(PASSWORD)
        page.get_by_role("button", name="Đăng nhập").click()
        page.locator("#user-info").get_by_text("dangvien").wait_for()
        page.locator("#tab-ask").first.wait_for(state="attached")
        page.locator("#logout").click()
        page.wait_for_url("**/login")
        assert not violations, violations
        assert all(u.startswith(("http://127.0.0.1", "data:", "blob:")) for u in requested)
