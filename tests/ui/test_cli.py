"""`chibo users` and `chibo ui`: users from the command line, first start never open."""

from __future__ import annotations

import io
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from assistant.cli.main import main
from tests.ui.conftest import SAMPLE_MD, free_port

REPO = Path(__file__).resolve().parents[2]


def _users(data_dir: Path, *args: str, stdin: str = "") -> int:
    sys.stdin = io.StringIO(stdin)
    try:
        return main(["--data-dir", str(data_dir), "users", *args])
    finally:
        sys.stdin = sys.__stdin__


def test_users_add_list_passwd_remove(tmp_path, capsys) -> None:
    assert _users(tmp_path, "add", "bithu", "--role", "secretary", "--password-stdin", stdin="mat-khau-123\n") == 0
    assert _users(tmp_path, "add", "dangvien", "--password-stdin", stdin="mat-khau-456\n") == 0
    capsys.readouterr()
    assert _users(tmp_path, "list", "--json") == 0
    rows = json.loads(capsys.readouterr().out)
    assert {(r["name"], r["role"]) for r in rows} == {("bithu", "secretary"), ("dangvien", "member")}
    assert "mat-khau" not in (tmp_path / "users.json").read_text(encoding="utf-8")
    assert _users(tmp_path, "passwd", "dangvien", "--password-stdin", stdin="mat-khau-moi-789\n") == 0
    from assistant.ui.auth import UserStore

    assert UserStore(tmp_path).verify("dangvien", "mat-khau-moi-789")
    assert _users(tmp_path, "remove", "dangvien") == 0
    assert _users(tmp_path, "add", "bithu", "--role", "admin", "--password-stdin", stdin="mat-khau-123\n") == 1
    err = capsys.readouterr().err
    assert "Lỗi:" in err and "đã có" in err
    audit = (tmp_path / "logs" / "audit.jsonl").read_text(encoding="utf-8")
    assert '"user_add"' in audit and '"user_remove"' in audit


def test_users_add_refuses_a_short_password(tmp_path, capsys) -> None:
    assert _users(tmp_path, "add", "bithu", "--password-stdin", stdin="ngan\n") == 1
    assert "ít nhất 8 ký tự" in capsys.readouterr().err


def _wait_for(predicate, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.3)
    raise AssertionError("timed out")


def _serving(url: str) -> bool:
    try:
        return httpx.get(url + "config", timeout=2).status_code in (200, 401)
    except httpx.HTTPError:
        return False


@pytest.mark.slow
@pytest.mark.integration
def test_first_start_prepares_corpus_creates_admin_and_is_never_open(tmp_path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "so-tay-dang-vien.md").write_text(SAMPLE_MD, encoding="utf-8")
    data_dir = tmp_path / "data"
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(REPO), "CHIBO_EMBEDDING__BACKEND": "fake", "CHIBO_LLM__BACKEND": "fake",
           "CHIBO_CORPUS_DIR": str(corpus)}
    log = tmp_path / "stderr.txt"
    command = [sys.executable, "-c", "import sys; from assistant.cli import main; sys.exit(main())",
               "--data-dir", str(data_dir), "ui", "--port", str(port), "--prepare"]
    with log.open("w") as err:
        proc = subprocess.Popen(command, env=env, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=err)
    url = f"http://127.0.0.1:{port}/"
    try:
        _wait_for(lambda: _serving(url) or proc.poll() is not None)
        assert proc.poll() is None, log.read_text()
        text = log.read_text(encoding="utf-8")
        assert "Nạp kho tài liệu: 1 tệp" in text
        password = re.search(r"Mật khẩu:\s+(\S+)", text).group(1)
        stored = (data_dir / "users.json").read_text(encoding="utf-8")
        assert password not in stored and '"admin"' in stored
        assert httpx.get(url + "config", timeout=5).status_code == 401
        from gradio_client import Client

        client = Client(url, auth=("admin", password), verbose=False)
        table = client.predict("", api_name="/list_documents")
        assert [row[0] for row in table["data"]] == ["so-tay-dang-vien"]
        from gradio_client import handle_file

        upload = tmp_path / "ke-hoach.txt"
        upload.write_text("KẾ HOẠCH\nTriển khai ứng dụng Sổ tay đảng viên điện tử trong chi bộ.\n", encoding="utf-8")
        summary = client.predict([handle_file(str(upload))], api_name="/ingest")[0]
        assert "Nạp 1" in summary
        assert (data_dir / "cache" / "gradio").is_dir(), "uploads stay under the data dir"
        assert (data_dir / "uploads" / "ke-hoach.txt").is_file()
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
    assert proc.returncode == 0

    # A second start keeps the admin and prints no new password.
    with log.open("w") as err:
        proc = subprocess.Popen(command[:-1], env=env, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=err)
    try:
        _wait_for(lambda: _serving(url) or proc.poll() is not None)
        assert "Mật khẩu:" not in log.read_text(encoding="utf-8")
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
