"""Knowledge verbs: ingest, docs, search, ask, quiz."""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any, TextIO

from assistant.cli.base import Context, add_verb
from assistant.errors import NotFound, ValidationFailed

STATUS_VI = {"ingested": "đã nạp", "replaced": "đã cập nhật", "unchanged": "không đổi", "duplicate": "trùng",
             "skipped": "bỏ qua", "failed": "lỗi", "removed": "đã gỡ"}


class ProgressBar:
    """A one-line bar on a terminal; silent otherwise (and in --json mode)."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled and sys.stderr.isatty()
        self.files = self.done = self.chunks = 0
        self.embed = (0, 0)
        self.ocr = (0, 0)

    def __call__(self, event: str, info: dict[str, Any]) -> None:
        if event == "start":
            self.files = info["files"]
        elif event == "file":
            self.done = info["index"]
            self.chunks += info["result"].chunks
        elif event == "embed":
            self.embed = (info["done"], info["total"])
        elif event == "searchable" and self.enabled:
            sys.stderr.write(f"\nĐã tìm được theo từ khóa sau {info['seconds']:.1f} giây; đang tính vector…\n")
        elif event == "ocr":
            self.ocr = (info["done"], info["total"])
        if not self.enabled:
            return
        if event == "done":
            sys.stderr.write("\n")
            return
        width = 24
        filled = int(width * self.done / self.files) if self.files else width
        line = (f"\r[{'#' * filled}{'-' * (width - filled)}] tệp {self.done}/{self.files} · đoạn {self.chunks}"
                f" · nhúng {self.embed[0]}/{self.embed[1]}"
                + (f" · OCR trang {self.ocr[0]}/{self.ocr[1]}" if self.ocr[1] else ""))
        sys.stderr.write(line.ljust(78))
        sys.stderr.flush()


def _vector_line(status: dict[str, Any]) -> str:
    total, done = status["passages"], status["embedded"]
    share = f" ({100 * done / total:.0f}%)" if total else ""
    state = " — đang tính nền" if status.get("working") else ""
    return f"Vector: {done}/{total} đoạn{share}{state}"


def _spawn_vector_worker(ctx: Context, args: argparse.Namespace) -> int:
    """A detached ``chibo ingest`` (no paths) that completes the vectors; its output goes to the log folder."""
    argv = [sys.executable, "-c", "import sys; from assistant.cli import main; sys.exit(main())",
            "--data-dir", str(ctx.settings.data_dir)]
    if getattr(args, "config", None):
        argv += ["--config", str(args.config)]
    ctx.settings.log_dir.mkdir(parents=True, exist_ok=True)
    with (ctx.settings.log_dir / "vectors.log").open("ab") as log:
        process = subprocess.Popen([*argv, "ingest"], stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                   start_new_session=True)
    return process.pid


def _ingest_status(ctx: Context) -> int:
    status = ctx.services.vector_status()
    status["working"] = ctx.services.index.vector_worker_running()
    ctx.emit(status, _vector_line(status))
    return 0


def _complete_vectors(ctx: Context, args: argparse.Namespace) -> int:
    services = ctx.services
    if args.rebuild:
        services.index.reset_vectors()
    done = services.complete_vectors(progress=ProgressBar(not ctx.json))
    status = services.vector_status()
    ctx.emit({**status, "embedded_now": done}, f"Đã tính {done} vector. " + _vector_line(status))
    return 0


def _ingest(ctx: Context, args: argparse.Namespace) -> int:
    if args.status:
        return _ingest_status(ctx)
    paths = [Path(p) for p in args.paths]
    if args.sync:
        paths.append(Path(args.sync))
    if not paths:
        # No files: finish what an earlier run left (vectors of a --background run, a crash).
        return _complete_vectors(ctx, args)
    if args.rebuild:
        ctx.services.index.reset_vectors()
    report = ctx.services.ingest(paths, sync=bool(args.sync), restricted=args.restricted,
                                 progress=ProgressBar(not ctx.json), vectors="later" if args.background else "wait")
    worker = _spawn_vector_worker(ctx, args) if args.background and report.pending_vectors else 0
    lines = []
    for r in report.results:
        if r.status in ("unchanged",) and not args.verbose:
            continue
        detail = f" — {r.reason}" if r.reason else (f" ({r.chunks} đoạn)" if r.chunks else "")
        lines.append(f"  {STATUS_VI.get(r.status, r.status):12} {Path(r.path).name}{detail}")
        lines.extend(f"      ! {w}" for w in r.warnings)
    c = report.counts
    lines.append(f"Kết quả: nạp {c['ingested']}, không đổi {c['unchanged']}, bỏ qua {c['skipped']}, "
                 f"lỗi {c['failed']}, gỡ {c['removed']} — {report.seconds:.1f} giây")
    if report.embedded:
        lines.append(f"Tìm theo từ khóa sẵn sàng sau {report.searchable_seconds:.1f} giây; "
                     f"đã tính {report.embedded} vector.")
    if worker:
        lines.append(f"Tìm theo từ khóa đã sẵn sàng; {report.pending_vectors} vector đang được tính nền "
                     f"(PID {worker}). Xem tiến độ: chibo ingest --status")
    ctx.emit({**report.to_dict(), "vector_worker": worker}, "\n".join(lines))
    return 1 if c["failed"] and not (c["ingested"] or c["unchanged"]) else 0


def _docs(ctx: Context, args: argparse.Namespace) -> int:
    services = ctx.services
    if args.action == "remove":
        if not args.doc_ids:
            raise ValidationFailed("Cần mã tài liệu để gỡ: chibo docs remove DOC_ID")
        for doc_id in args.doc_ids:
            if not services.remove_document(doc_id):
                raise NotFound(f"Không có tài liệu '{doc_id}'")
        ctx.emit({"removed": args.doc_ids}, f"Đã gỡ: {', '.join(args.doc_ids)}")
        return 0
    metas = services.documents()
    if args.action == "show":
        wanted = {m.doc_id: m for m in metas}
        missing = [d for d in args.doc_ids if d not in wanted]
        if missing:
            raise NotFound(f"Không có tài liệu: {', '.join(missing)}")
        ctx.emit([wanted[d].to_dict() for d in args.doc_ids],
                 "\n\n".join(json.dumps(wanted[d].to_dict(), ensure_ascii=False, indent=2) for d in args.doc_ids))
        return 0
    rows = [{"doc_id": m.doc_id, "title": m.title, "number": m.number, "type": m.doc_type, "issuer": m.issuer,
             "date": m.date, "pages": m.pages, "articles": m.articles, "chunks": m.chunks, "warnings": m.warnings,
             "superseded_by": m.superseded_by, "format": m.format} for m in metas]
    text = [f"{'mã':38} {'số hiệu':16} {'loại':12} {'ngày':10} trang điều đoạn"]
    for r in rows:
        text.append(f"{r['doc_id'][:38]:38} {r['number'][:16]:16} {r['type'][:12]:12} {r['date'][:10]:10} "
                    f"{r['pages']:5} {r['articles']:4} {r['chunks']:5}"
                    + (f"  ⚠ {len(r['warnings'])} cảnh báo" if r["warnings"] else "")
                    + (f"  (đã bị thay thế bởi {r['superseded_by']})" if r["superseded_by"] else ""))
    text.append(f"{len(rows)} tài liệu")
    ctx.emit(rows, "\n".join(text))
    return 0


def _filters(args: argparse.Namespace) -> dict[str, Any]:
    return {"doc_ids": args.doc or [], "doc_types": args.type or [], "issuer": args.issuer or "",
            "date_from": args.date_from or "", "date_to": args.date_to or ""}


def _search(ctx: Context, args: argparse.Namespace) -> int:
    services = ctx.services
    if args.batch:
        return _search_batch(ctx, args)
    if not args.query:
        raise ValidationFailed("Cần câu hỏi: chibo search \"...\" hoặc --batch FILE.jsonl")
    hits = services.search(" ".join(args.query), k=args.k, **_filters(args))
    lines = []
    for i, hit in enumerate(hits, 1):
        page = f", trang {hit.page}" if hit.page else ""
        lines.append(f"{i}. {hit.citation}{page}  [{hit.score:.4f}]")
        if hit.superseded_note:
            lines.append(f"   ⚠ {hit.superseded_note}")
        lines.append("   " + hit.text[:300].replace("\n", " ") + ("…" if len(hit.text) > 300 else ""))
    if not hits:
        lines.append("Không tìm thấy đoạn văn bản nào phù hợp.")
    ctx.emit({"query": " ".join(args.query), "hits": [h.to_dict() for h in hits]}, "\n".join(lines))
    return 0


def _search_batch(ctx: Context, args: argparse.Namespace) -> int:
    from assistant.retrieval.search import query_text

    path = Path(args.batch)
    if not path.is_file():
        raise NotFound(f"Không có tệp {path}")
    out = sys.stdout
    with path.open(encoding="utf-8") as handle:
        for n, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
                qid = item["id"]
                question = query_text(item)
            except (json.JSONDecodeError, KeyError, TypeError, AttributeError) as exc:
                raise ValidationFailed(f"Dòng {n} của {path} không hợp lệ (cần 'id' và 'question')") from exc
            hits = ctx.services.search(question, k=args.k, **_filters(args))
            out.write(json.dumps({"id": qid, "hits": [h.to_dict() for h in hits]}, ensure_ascii=False) + "\n")
    out.flush()
    return 0


class StreamPreview:
    """The answer as the model streams it, on one stderr line that is erased at the end (terminals only).

    Streamed text is not the answer: the verifier may still remove sentences or refuse, so only progress is shown
    while it arrives and the verified answer is printed afterwards.
    """

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty()
        self._text = ""

    def add(self, piece: str) -> None:
        """Show the latest streamed text, cut to the terminal width."""
        if not self.enabled:
            return
        self._text = (self._text + piece)[-500:]
        width = max(shutil.get_terminal_size().columns - 1, 20)
        label = "Đang soạn… "
        tail = " ".join(self._text.split())[-(width - len(label)):]
        self.stream.write(f"\r{label}{tail}\x1b[K")
        self.stream.flush()

    def clear(self) -> None:
        """Erase the preview line."""
        if self.enabled and self._text:
            self.stream.write("\r\x1b[K")
            self.stream.flush()


def _ask(ctx: Context, args: argparse.Namespace) -> int:
    question = " ".join(args.question)
    if not question.strip():
        raise ValidationFailed("Cần câu hỏi")
    chat = ctx.services.chat
    if ctx.json:
        answer = chat.ask(question, k=args.k, doc_ids=args.doc or [])
        ctx.emit(answer.to_dict())
        return 0
    preview = StreamPreview()
    answer = None
    try:
        for event in chat.ask_stream(question, k=args.k, doc_ids=args.doc or []):
            if event.kind == "token":
                preview.add(event.text)
            elif event.kind == "answer":
                answer = event.answer
    finally:
        preview.clear()
    if answer is None:
        return 0
    # Exactly what --json gives as "answer": the verified text, or the refusal.
    print(answer.text)
    if answer.sources:
        print("\nNguồn trích dẫn:")
        for source in answer.sources:
            print(f"  [{source.marker}] {source.hit.citation}" + (f", trang {source.hit.page}" if source.hit.page else ""))
    return 0


def _quiz(ctx: Context, args: argparse.Namespace) -> int:
    from assistant.study.quiz import build_quiz

    items = build_quiz(ctx.services, args.doc_id, count=args.count, seed=args.seed)
    lines = []
    for i, item in enumerate(items, 1):
        lines.append(f"{i}. {item.question}")
        for key, choice in item.choices.items():
            lines.append(f"   {key}. {choice}")
        lines.append(f"   → Đáp án: {item.answer} ({item.citation})")
    ctx.emit([item.to_dict() for item in items], "\n".join(lines))
    return 0


def _add_filters(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--doc", action="append", help="chỉ tìm trong tài liệu này (lặp lại được)")
    parser.add_argument("--type", action="append", help="loại văn bản: nghị quyết, quy định, NQ, QĐ...")
    parser.add_argument("--issuer", help="cơ quan ban hành")
    parser.add_argument("--date-from", help="từ ngày (YYYY-MM-DD)")
    parser.add_argument("--date-to", help="đến ngày (YYYY-MM-DD)")


def register(subparsers: Any) -> None:
    """Add the knowledge verbs: ingest, docs, search, ask, quiz."""
    p = add_verb(subparsers, "ingest", "Nạp văn bản (PDF, DOCX, TXT, MD, HTML) vào chỉ mục tra cứu; không có tệp: "
                 "tính nốt các vector còn thiếu", "chibo ingest corpus/ tai-lieu-moi.pdf --background", _ingest)
    p.add_argument("paths", nargs="*", help="tệp hoặc thư mục (bỏ trống: hoàn tất vector còn thiếu)")
    p.add_argument("--background", action="store_true",
                   help="trả về ngay khi tìm được theo từ khóa; vector được tính nền (xem --status)")
    p.add_argument("--status", action="store_true", help="tiến độ tính vector")
    p.add_argument("--rebuild", action="store_true", help="xóa mọi vector rồi tính lại (đổi mô hình nhúng)")
    p.add_argument("--sync", metavar="DIR", help="đồng bộ với thư mục: gỡ tài liệu có tệp đã bị xóa")
    p.add_argument("--restricted", action="store_true", help="nạp tài liệu mật vào kho hạn chế (nếu được phép)")
    p.add_argument("-v", "--verbose", action="store_true", help="liệt kê cả tệp không đổi")

    p = add_verb(subparsers, "docs", "Liệt kê, xem hoặc gỡ tài liệu đã nạp", "chibo docs list --json", _docs)
    p.add_argument("action", nargs="?", default="list", choices=["list", "show", "remove"], help="thao tác")
    p.add_argument("doc_ids", nargs="*", help="mã tài liệu")

    p = add_verb(subparsers, "search", "Tìm đoạn văn bản liên quan, kèm trích dẫn",
                 'chibo search "đảng viên phải cài ứng dụng khi nào" -k 5 --json', _search)
    p.add_argument("query", nargs="*", help="câu hỏi hoặc từ khóa")
    p.add_argument("-k", type=int, default=None, help="số đoạn trả về")
    p.add_argument("--batch", metavar="FILE.jsonl", help="mỗi dòng {\"id\", \"question\"}; kết quả mỗi dòng một JSON")
    _add_filters(p)

    p = add_verb(subparsers, "ask", "Hỏi đáp về nghị quyết, quy định: trả lời có trích dẫn nguyên văn",
                 'chibo ask "Quy định 339-QĐ/TW áp dụng cho ai?"', _ask)
    p.add_argument("question", nargs="*", help="câu hỏi")
    p.add_argument("-k", type=int, default=None, help="số đoạn dùng làm căn cứ")
    p.add_argument("--doc", action="append", help="chỉ dùng tài liệu này")

    p = add_verb(subparsers, "quiz", "Tạo câu hỏi ôn tập (đúng/sai, trắc nghiệm) từ một văn bản",
                 "chibo quiz 339-qd-tw-so-tay-dang-vien --count 10", _quiz)
    p.add_argument("doc_id", help="mã tài liệu")
    p.add_argument("--count", type=int, default=10, help="số câu hỏi")
    p.add_argument("--seed", type=int, default=0, help="hạt ngẫu nhiên (cùng hạt cho cùng bộ câu hỏi)")
