"""Generated files are kept per user and served only to those allowed (issue 16).

Regression: ``GET /gradio_api/file=<data dir>/outputs/bien-ban-….docx`` gave any member a
secretary's minutes; names were predictable and such downloads were not audited.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest

from tests.ui.conftest import NOTES, PASSWORD

DOCX_MAGIC = b"PK\x03\x04"


def _login(url: str, user: str) -> httpx.Client:
    client = httpx.Client(base_url=url, timeout=30)
    response = client.post("login", data={"username": user, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return client


# -- the store and the publisher, without a server -------------------------------------------
def test_only_the_owner_or_a_secretary_or_admin_may_read(tmp_path) -> None:
    from assistant.ui.files import OutputStore

    source = tmp_path / "ban-tin-1.wav"
    source.write_bytes(b"RIFF")
    store = OutputStore(tmp_path / "private")
    entry = store.put("dangvien", source)
    assert not source.exists(), "moved, not copied: nothing stays under the predictable name"
    assert store.get(entry.token) == entry and entry.kind == "audio"
    assert store.may_read(entry, "dangvien", "member")
    assert store.may_read(entry, "bithu", "secretary") and store.may_read(entry, "quantri", "admin")
    assert not store.may_read(entry, "dangvien2", "member")
    assert not store.may_read(entry, "bithu", None), "a removed user reads nothing"
    for bad in ("../../etc", "x" * 32 + "/..", "", "A" * 31, entry.token.upper() if entry.token.upper() !=
                entry.token else "A" * 32):
        assert store.get(bad) is None, bad
    assert stat.S_IMODE(entry.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(entry.path.parent.parent.stat().st_mode) == 0o700


def test_publisher_moves_our_files_once_and_leaves_others(tmp_path) -> None:
    import gradio as gr

    from assistant.ui.files import OutputStore, PublishedFile, Publisher

    outputs = tmp_path / "outputs"
    outputs.mkdir()
    audio = outputs / "ban-tin.wav"
    audio.write_bytes(b"RIFF....")
    elsewhere = tmp_path / "khac.txt"
    elsewhere.write_text("x")
    publisher = Publisher(OutputStore(outputs / "private"), [outputs])

    def handler(request: gr.Request) -> tuple:
        return "script", str(audio), [str(audio)], str(elsewhere)

    wrapped = publisher.wrap(handler, [1, 2, 3], single=False)
    request = gr.Request(username="dangvien", headers={"host": "127.0.0.1:7860"})
    script, player, files, other = wrapped(request)
    assert script == "script" and other == str(elsewhere), "only files under the outputs folder are published"
    assert isinstance(player, PublishedFile) and files == [player], "one file shown twice is published once"
    assert player.url.startswith("http://127.0.0.1:7860/downloads/") and player.url.endswith("/ban-tin.wav")
    assert wrapped.__wrapped__ is handler, "Gradio still sees the handler's own signature"
    assert not audio.exists()


# -- the live server ----------------------------------------------------------------------------
live = pytest.mark.integration  # a real Gradio server on loopback


def record_yaml(live_ui) -> str:
    """A meeting record as the minutes tab's editor holds it (the endpoint with the steadiest inputs)."""
    import yaml

    record = live_ui.services.drafting.summarize(NOTES).record
    return yaml.safe_dump(record.to_data(), allow_unicode=True, sort_keys=False)


@pytest.fixture(scope="module")
def minutes(live_ui):
    """A secretary's minutes made through the API: (client result path, stored entry)."""
    from assistant.ui.files import OutputStore

    client = live_ui.client("bithu")
    *_, docx = client.predict(record_yaml(live_ui), api_name="/minutes_from_record")
    store = OutputStore(live_ui.data_dir / "outputs" / "private")
    entries = store.owned_by("bithu")
    assert entries, "the minutes were stored under the secretary's private folder"
    return Path(docx), entries[0]


@live
def test_the_api_returns_a_download_link_not_a_path(live_ui, minutes) -> None:
    from gradio_client import Client

    client = Client(live_ui.url, auth=("bithu", PASSWORD), verbose=False, download_files=False)
    result = client.predict(record_yaml(live_ui), api_name="/minutes_from_record")[3]
    assert result["url"].startswith(live_ui.url + "downloads/") and result["url"].endswith(".docx")
    assert str(live_ui.data_dir) not in str(result), "no path of the data folder reaches the client"
    local, entry = minutes
    assert local.read_bytes()[:4] == DOCX_MAGIC, "gradio_client still downloads the file (with its session)"


@live
def test_stored_under_unguessable_private_names(live_ui, minutes) -> None:
    _, entry = minutes
    assert len(entry.token) == 32 and entry.owner == "bithu"
    outputs = live_ui.data_dir / "outputs"
    assert not list(outputs.glob("bien-ban-*")), "nothing left under the predictable name"
    assert stat.S_IMODE(entry.path.stat().st_mode) == 0o600


@live
def test_member_cannot_fetch_a_secretarys_minutes_by_any_url(live_ui, minutes) -> None:
    from gradio.utils import get_upload_folder

    _, entry = minutes
    path = entry.path
    member = _login(live_ui.url, "dangvien")
    port = live_ui.url.rstrip("/").rsplit(":", 1)[1]
    upload = Path(get_upload_folder())
    traversal = str(upload) + "/.." * len(upload.parts) + str(path)
    forms = [
        f"gradio_api/file={path}",
        f"gradio_api/file={quote(str(path))}",
        f"gradio_api/file={os.path.relpath(path, os.getcwd())}",
        f"gradio_api/file={traversal}",
        f"gradio_api/file/{path}",
        f"gradio_api/file={live_ui.data_dir}/outputs/private/bithu/{entry.token}/meta.json",
        f"gradio_api/file={live_ui.data_dir}/users.json",
        f"gradio_api/file={live_ui.data_dir}/logs/audit.jsonl",
        f"gradio_api/file=http://127.0.0.1:{port}/downloads/{entry.token}/{quote(entry.name)}",
        f"gradio_api/proxy=http://127.0.0.1:{port}/downloads/{entry.token}/{quote(entry.name)}",
        f"downloads/{entry.token}/{quote(entry.name)}",
        f"downloads/{entry.token}/meta.json",
        f"downloads/{entry.token.lower()}/{quote(entry.name)}",
    ]
    for form in forms:
        response = member.get(form)
        assert response.status_code in (401, 403, 404), (form, response.status_code)
        assert not response.content.startswith(DOCX_MAGIC), form
        assert b"bithu" not in response.content and str(live_ui.data_dir).encode() not in response.content, form
    anonymous = httpx.get(live_ui.url + f"downloads/{entry.token}/{quote(entry.name)}", timeout=30)
    assert anonymous.status_code == 401 and not anonymous.content.startswith(DOCX_MAGIC)
    audit = [e for e in live_ui.audit() if e["who"] == "dangvien"]
    assert any(e["action"] == "download_refused" and e.get("owner") == "bithu" and e.get("address") == "127.0.0.1"
               for e in audit)
    assert any(e["action"] == "file_refused" for e in audit)


@live
def test_owner_secretaries_and_admins_download_and_it_is_audited(live_ui, minutes) -> None:
    _, entry = minutes
    for user in ("bithu", "quantri"):
        response = _login(live_ui.url, user).get(f"downloads/{entry.token}/{quote(entry.name)}")
        assert response.status_code == 200 and response.content.startswith(DOCX_MAGIC), user
        assert "attachment" in response.headers["content-disposition"]
        assert response.headers["x-content-type-options"] == "nosniff"
        assert any(e["action"] == "download" and e["who"] == user and e["what"] == entry.name
                   and e.get("address") == "127.0.0.1" for e in live_ui.audit())


@live
def test_two_secretaries_making_the_same_minutes_at_once_both_get_them(live_ui) -> None:
    """Regression (load run): two calls wrote bien-ban-<record>.docx at once and one moved the other's file away."""
    from concurrent.futures import ThreadPoolExecutor

    record = record_yaml(live_ui)
    if live_ui.users.get("bithu2") is None:
        live_ui.users.add("bithu2", "secretary", PASSWORD)
    clients = [live_ui.client("bithu"), live_ui.client("bithu2")] * 3
    with ThreadPoolExecutor(len(clients)) as pool:
        results = list(pool.map(lambda c: c.predict(record, api_name="/minutes_from_record")[3], clients))
    assert all(Path(r).read_bytes()[:4] == DOCX_MAGIC for r in results)
