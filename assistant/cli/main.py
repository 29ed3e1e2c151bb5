"""Entry point: global options, verb registry, error handling."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from importlib import import_module
from pathlib import Path
from typing import Any

from assistant import __version__
from assistant.cli.base import Context
from assistant.errors import AssistantError
from assistant.offline import enforce_offline

# Each module exposes register(subparsers); order is the order in --help.
VERB_MODULES = (
    "assistant.cli.knowledge",
    "assistant.cli.drafting",
    "assistant.cli.evaluation",
    "assistant.cli.interface",
    "assistant.cli.system",
)


def build_parser() -> argparse.ArgumentParser:
    """The ``chibo`` argument parser: global options and every verb module's verbs."""
    parser = argparse.ArgumentParser(
        prog="chibo",
        description="Trợ lý Chi bộ — trợ lý học tập nghị quyết và soạn thảo văn bản cho chi bộ, chạy hoàn toàn ngoại tuyến.",
        epilog="Ví dụ: chibo ask \"Đảng viên phải cài ứng dụng Sổ tay đảng viên khi nào?\"",
    )
    parser.add_argument("--version", action="version", version=f"chibo {__version__}")
    parser.add_argument("--data-dir", type=Path, help="thư mục dữ liệu (mặc định $CHIBO_DATA_DIR hoặc ~/.local/share/chibo)")
    parser.add_argument("--config", type=Path, help="tệp cấu hình YAML")
    parser.add_argument("--llm", help="backend LLM: embedded, ollama, openai, fake")
    parser.add_argument("--json", action="store_true", help="kết quả JSON trên stdout")
    parser.add_argument("--debug", action="store_true", help="in traceback đầy đủ khi lỗi")
    subparsers = parser.add_subparsers(dest="verb", metavar="VERB")
    for module in VERB_MODULES:
        import_module(module).register(subparsers)
    return parser


class _LazyFileHandler(logging.FileHandler):
    """A log file created at the first record (``chibo restore`` needs its data dir still empty); a data dir that
    cannot be written keeps the details off the console all the same."""

    def __init__(self, path: Path) -> None:
        super().__init__(path, encoding="utf-8", delay=True)

    def emit(self, record: logging.LogRecord) -> None:
        try:
            Path(self.baseFilename).parent.mkdir(parents=True, exist_ok=True)
            super().emit(record)
        except OSError:
            pass


def setup_logging(log_dir: Path, debug: bool) -> None:
    """Library and system details (often English, with server paths) go to ``<data dir>/logs/chibo.log``.

    The console shows only the Vietnamese messages the commands print; ``--debug`` also shows the log there.
    Without this, Python prints every warning of every library on stderr.
    """
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "_chibo", False)]:  # main() run again in one process
        root.removeHandler(old)
        old.close()
    handlers: list[logging.Handler] = [_LazyFileHandler(log_dir / "chibo.log")]
    if debug:
        handlers.append(logging.StreamHandler(sys.stderr))
    formatter = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    for handler in handlers:
        handler.setFormatter(formatter)
        handler._chibo = True  # type: ignore[attr-defined]
        root.addHandler(handler)
    root.setLevel(logging.DEBUG if debug else logging.INFO)
    for noisy in ("httpx", "httpcore", "urllib3", "chromadb.telemetry", "bm25s"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``chibo`` with ``argv``; expected failures print one line and return their exit code."""
    enforce_offline()
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    try:
        from assistant.settings import load_settings

        overrides: dict[str, Any] = {}
        if args.data_dir:
            overrides["data_dir"] = str(args.data_dir)
        if args.llm:
            overrides["llm"] = {"backend": args.llm}
        settings = load_settings(args.config, overrides)
        setup_logging(settings.log_dir, args.debug)
        ctx = Context(settings=settings, json=args.json, debug=args.debug, llm_name=args.llm)
        code = args.handler(ctx, args)
        return int(code or 0)
    except AssistantError as exc:
        if args.debug:
            raise
        print(f"Lỗi: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("Đã dừng.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
