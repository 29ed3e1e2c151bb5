"""Drafting verbs: summarize, minutes, report, bulletin, records.

Every verb goes through ``Services.drafting``; ``--no-llm`` asks the service
for its deterministic path (no model is created).
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import Any

from assistant.cli.base import Context, add_verb
from assistant.errors import ValidationFailed


def _service(ctx: Context) -> Any:
    return ctx.services.drafting


def _log_remarks(ctx: Context, remarks: list[str]) -> None:
    for remark in remarks:
        ctx.log(f"Lưu ý: {remark}")


def _issues_text(issues: list[Any]) -> list[str]:
    return [f"  {'✗' if i.level == 'error' else '!'} {i}" for i in issues]


def _hm(value: Any) -> str:
    return value.strftime("%H:%M") if value else "—"


def _record_text(record: Any) -> str:
    att = record.attendance
    lines = [
        f"Chi bộ: {record.cell or '—'}   Loại: {record.kind}   Số: {record.number or '—'}",
        f"Ngày: {record.date or '—'}   Giờ: {_hm(record.start_time)} – {_hm(record.end_time)}"
        f"   Địa điểm: {record.place or '—'}",
        f"Chủ trì: {record.chair.label() if record.chair else '—'}   "
        f"Thư ký: {record.secretary.label() if record.secretary else '—'}",
        f"Đảng viên: {att.total if att.total is not None else '—'}   Có mặt: "
        f"{att.present if att.present is not None else '—'}   Vắng có lý do: {att.excused}   "
        f"Vắng không lý do: {att.unexcused}",
    ]
    for a in att.absent_excused:
        lines.append(f"  - vắng có lý do: {a.name}" + (f" ({a.reason})" if a.reason else "") + f"  [dòng {a.line}]")
    for a in att.absent_unexcused:
        lines.append(f"  - vắng không lý do: {a.name}  [dòng {a.line}]")
    if record.opinions:
        lines.append("Ý kiến:")
        lines += [f"  - {o.speaker}: {o.content}  [dòng {o.line}]" for o in record.opinions]
    if record.conclusions:
        lines.append("Kết luận:")
        lines += [f"  - {c.text}  [dòng {c.line}]" for c in record.conclusions]
    if record.votes:
        lines.append("Biểu quyết:")
        for v in record.votes:
            lines.append(f"  - {v.question or '(chưa rõ nội dung)'}: tán thành {v.in_favour}, không tán thành "
                         f"{v.against}, không biểu quyết {v.abstain}, trên {v.out_of}  [dòng {v.line}]")
    if record.tasks:
        lines.append("Nhiệm vụ:")
        for t in record.tasks:
            due = t.deadline.strftime("%d/%m/%Y") if t.deadline else (t.deadline_text or "—")
            lines.append(f"  - {t.what} — {t.owner or '?'} — hạn {due}  [dòng {t.line}]")
    return "\n".join(lines)


# -- summarize -------------------------------------------------------------------
def _summarize(ctx: Context, args: argparse.Namespace) -> int:
    from assistant.drafting.notes.record import dump_record

    service = _service(ctx)
    summary = service.summarize_file(args.notes, refine=not args.no_llm)
    _log_remarks(ctx, summary.remarks)
    if not args.no_save:
        summary.record_id = service.save_record(summary.record)
        ctx.log(f"Đã lưu biên bản {summary.record_id}")
    if args.output:
        fmt = "json" if Path(args.output).suffix.lower() == ".json" else "yaml"
        Path(args.output).write_text(dump_record(summary.record, fmt), encoding="utf-8")
        ctx.log(f"Đã ghi {args.output}")
    text = _record_text(summary.record)
    if summary.issues:
        text += "\nKiểm tra:\n" + "\n".join(_issues_text(summary.issues))
    if summary.refined is not None:
        text += f"\nMô hình: nhận {summary.refined.accepted} câu viết lại, bỏ {summary.refined.rejected}"
    ctx.emit(summary.to_dict(), text)
    return 0


# -- minutes ---------------------------------------------------------------------
def _minutes(ctx: Context, args: argparse.Namespace) -> int:
    service = _service(ctx)
    if args.list or not args.source:
        return _records_list(ctx, argparse.Namespace(month=None))
    record, summary = service.open_record(args.source, refine=not args.no_llm)
    if summary is not None:
        _log_remarks(ctx, summary.remarks)
    issues = service.check(record)
    if args.strict and any(i.level == "error" for i in issues):
        raise ValidationFailed("Biên bản chưa nhất quán", [str(i) for i in issues if i.level == "error"])
    if not args.no_save and (summary is not None or Path(args.source).suffix.lower() in (".yaml", ".yml", ".json")):
        record_id = service.save_record(record)
        ctx.log(f"Đã lưu biên bản {record_id}")
    out = Path(args.output) if args.output else None
    md_only = bool(out and out.suffix.lower() == ".md")
    result = service.minutes(record, None if md_only else out, markdown_only=md_only)
    if md_only or args.md:
        md_path = out if md_only else (result.path.with_suffix(".md") if result.path else None)
        if md_path:
            md_path.parent.mkdir(parents=True, exist_ok=True)
            md_path.write_text(result.markdown, encoding="utf-8")
            ctx.log(f"Đã ghi {md_path}")
    for warning in result.warnings:
        ctx.log(f"Cảnh báo: {warning}")
    text = f"Đã soạn biên bản: {result.path}" if result.path else result.markdown
    ctx.emit(result.to_dict(), text)
    return 0


# -- report ----------------------------------------------------------------------
def _report(ctx: Context, args: argparse.Namespace) -> int:
    service = _service(ctx)
    report_date = _parse_date(args.date) if args.date else None
    out = Path(args.output) if args.output else None
    md_only = bool(out and out.suffix.lower() == ".md")
    result = service.monthly_report(args.month, None if md_only else out, number=args.number or "",
                                    report_date=report_date, markdown_only=md_only)
    md_path = out if md_only else (result.path.with_suffix(".md") if args.md and result.path else None)
    if md_path is not None:
        md_path.parent.mkdir(parents=True, exist_ok=True)
        md_path.write_text(result.markdown, encoding="utf-8")
        ctx.log(f"Đã ghi {md_path}")
    for warning in result.warnings:
        ctx.log(f"Cảnh báo: {warning}")
    ctx.emit(result.to_dict(), f"Đã soạn báo cáo tháng {args.month}: {result.path}" if result.path
             else result.markdown)
    return 0


def _parse_date(text: str) -> dt.date:
    from assistant.drafting.notes.record import parse_date

    try:
        value = parse_date(text)
    except ValueError as exc:
        raise ValidationFailed(f"Ngày '{text}' không hợp lệ", hint="viết YYYY-MM-DD hoặc DD/MM/YYYY") from exc
    if value is None:
        raise ValidationFailed("Thiếu ngày")
    return value


# -- bulletin --------------------------------------------------------------------
def _bulletin(ctx: Context, args: argparse.Namespace) -> int:
    from assistant.drafting.bulletin.sources import file_provider

    service = _service(ctx)
    since = _parse_date(args.since) if args.since else None
    # Without --from-files the service's own provider (the document index) is used.
    provider = file_provider([Path(p) for p in args.from_files]) if args.from_files else None
    sources = service.bulletin_sources(args.docs or None, since, provider=provider)
    ctx.log(f"Soạn bản tin từ {len(sources)} văn bản…")
    result = service.bulletin(sources, args.output, minutes=args.minutes, script_only=args.script_only,
                              mp3=not args.no_mp3, use_llm=not args.no_llm)
    _log_remarks(ctx, result.remarks)
    for warning in result.warnings:
        ctx.log(f"Cảnh báo: {warning}")
    if args.script_out:
        Path(args.script_out).write_text(result.script.spoken() + "\n", encoding="utf-8")
    script = result.script
    summary = (f"{len(script.items)} văn bản, {script.words} từ, khoảng {script.estimated_minutes:.1f} phút"
               + (f"; âm thanh: {', '.join(map(str, result.audio))} ({result.seconds} giây)" if result.audio else ""))
    text = script.spoken() if args.script_only else summary
    if args.script_only:
        ctx.log(summary)
    ctx.emit(result.to_dict(), text)
    return 0


# -- records ---------------------------------------------------------------------
def _records_list(ctx: Context, args: argparse.Namespace) -> int:
    rows = _service(ctx).list_records(args.month)
    payload = [row.__dict__ for row in rows]
    lines = [f"{r.id:<20} {r.date or '—':<10} {r.kind:<13} số {r.number or '—':<4} {r.tasks} nhiệm vụ  {r.cell}"
             for r in rows]
    ctx.emit(payload, "\n".join(lines) if lines else "Chưa có biên bản nào được lưu.")
    return 0


def _records_show(ctx: Context, args: argparse.Namespace) -> int:
    from assistant.drafting.notes.record import dump_record

    service = _service(ctx)
    record = service.get_record(args.id)
    text = dump_record(record) if args.yaml else _record_text(record)
    issues = service.check(record)
    if issues and not args.yaml:
        text += "\nKiểm tra:\n" + "\n".join(_issues_text(issues))
    ctx.emit({"id": args.id, "record": record.to_data()}, text)
    return 0


def _records_delete(ctx: Context, args: argparse.Namespace) -> int:
    _service(ctx).delete_record(args.id)
    ctx.emit({"deleted": args.id}, f"Đã xóa biên bản {args.id}")
    return 0


def _records_import(ctx: Context, args: argparse.Namespace) -> int:
    service = _service(ctx)
    record, _ = service.open_record(args.file, refine=False)
    record_id = service.save_record(record)
    issues = service.check(record)
    text = f"Đã lưu biên bản {record_id}" + ("\nKiểm tra:\n" + "\n".join(_issues_text(issues)) if issues else "")
    ctx.emit({"id": record_id, "issues": [str(i) for i in issues]}, text)
    return 0


def _records_tasks(ctx: Context, args: argparse.Namespace) -> int:
    tasks = _service(ctx).list_tasks(args.month, args.status)
    lines = [f"#{t.id:<4} [{'x' if t.status == 'done' else ' '}] {t.what} — {t.owner or '?'} — hạn "
             f"{t.deadline or t.deadline_text or '—'}  ({t.record_id})" for t in tasks]
    ctx.emit([t.__dict__ for t in tasks], "\n".join(lines) if lines else "Không có nhiệm vụ nào.")
    return 0


def _records_status(status: str) -> Any:
    def handler(ctx: Context, args: argparse.Namespace) -> int:
        _service(ctx).set_task_status(args.task_id, status)
        ctx.emit({"task": args.task_id, "status": status}, f"Nhiệm vụ #{args.task_id}: {status}")
        return 0

    return handler


def _records(ctx: Context, args: argparse.Namespace) -> int:
    handler = getattr(args, "records_handler", None)
    if handler is None:
        return _records_list(ctx, argparse.Namespace(month=getattr(args, "month", None)))
    return int(handler(ctx, args) or 0)


def register(subparsers: Any) -> None:
    """Add the drafting verbs (summarize, minutes, report, bulletin, records) to the parser."""
    p = add_verb(subparsers, "summarize", "Tóm tắt ghi chép cuộc họp thành biên bản có cấu trúc (lưu vào kho)",
                 "chibo summarize ghichep.txt --json", _summarize)
    p.add_argument("notes", type=Path, help="ghi chép hoặc bản gỡ băng (.txt, .md, .docx)")
    p.add_argument("-o", "--output", help="ghi biên bản có cấu trúc ra tệp .yaml/.json để sửa")
    p.add_argument("--no-save", action="store_true", help="không lưu vào kho biên bản")
    p.add_argument("--no-llm", action="store_true", help="chỉ trích xuất cố định, không dùng mô hình")

    p = add_verb(subparsers, "minutes", "Soạn biên bản sinh hoạt chi bộ (DOCX theo Hướng dẫn 36-HD/VPTW)",
                 "chibo minutes hop-thang-3.yaml -o bienban.docx", _minutes)
    p.add_argument("source", nargs="?", help="biên bản .yaml/.json, ghi chép .txt/.md/.docx hoặc mã biên bản đã lưu")
    p.add_argument("-o", "--output", help="tệp .docx (hoặc .md); mặc định trong thư mục outputs")
    p.add_argument("--md", action="store_true", help="ghi thêm bản Markdown cạnh tệp DOCX")
    p.add_argument("--list", action="store_true", help="liệt kê các biên bản đã lưu")
    p.add_argument("--no-save", action="store_true", help="không lưu biên bản vào kho")
    p.add_argument("--strict", action="store_true", help="dừng nếu biên bản có lỗi nhất quán")
    p.add_argument("--no-llm", action="store_true", help="chỉ trích xuất cố định, không dùng mô hình")

    p = add_verb(subparsers, "report", "Soạn báo cáo tháng của chi bộ (DOCX) từ các biên bản đã lưu",
                 "chibo report --month 2026-03 -o baocao.docx", _report)
    p.add_argument("--month", required=True, help="tháng YYYY-MM")
    p.add_argument("-o", "--output", help="tệp .docx (hoặc .md)")
    p.add_argument("--md", action="store_true", help="ghi thêm bản Markdown")
    p.add_argument("--number", help="số báo cáo (ví dụ 12)")
    p.add_argument("--date", help="ngày ký báo cáo (mặc định hôm nay)")

    p = add_verb(subparsers, "bulletin", "Soạn và đọc bản tin âm thanh từ văn bản mới",
                 "chibo bulletin --docs 339-qd-tw --minutes 3 -o bantin.wav", _bulletin)
    p.add_argument("--docs", nargs="+", metavar="ID", help="mã văn bản trong kho")
    p.add_argument("--since", help="văn bản ban hành từ ngày (YYYY-MM-DD)")
    p.add_argument("--from-files", nargs="+", metavar="PATH", help="đọc văn bản .txt/.md trực tiếp từ tệp")
    p.add_argument("-o", "--output", help="tệp .wav hoặc .mp3")
    p.add_argument("--minutes", type=float, help="độ dài mong muốn (phút)")
    p.add_argument("--script-only", action="store_true", help="chỉ in kịch bản, không đọc thành âm thanh")
    p.add_argument("--script-out", help="ghi kịch bản (dạng đọc) ra tệp")
    p.add_argument("--no-mp3", action="store_true", help="không ghi thêm bản MP3")
    p.add_argument("--no-llm", action="store_true", help="không dùng mô hình để biên tập lời đọc")

    p = add_verb(subparsers, "records", "Quản lý biên bản đã lưu: xem, xóa, nhiệm vụ",
                 "chibo records list --month 2026-03", _records)
    actions = p.add_subparsers(dest="records_action", metavar="ACTION")
    a = actions.add_parser("list", help="liệt kê biên bản")
    a.add_argument("--month", help="tháng YYYY-MM")
    a.set_defaults(records_handler=_records_list)
    a = actions.add_parser("show", help="xem một biên bản")
    a.add_argument("id")
    a.add_argument("--yaml", action="store_true", help="in dạng YAML để sửa")
    a.set_defaults(records_handler=_records_show)
    a = actions.add_parser("delete", help="xóa một biên bản")
    a.add_argument("id")
    a.set_defaults(records_handler=_records_delete)
    a = actions.add_parser("import", help="lưu biên bản từ tệp .yaml/.json hoặc ghi chép")
    a.add_argument("file")
    a.set_defaults(records_handler=_records_import)
    a = actions.add_parser("tasks", help="liệt kê nhiệm vụ đã phân công")
    a.add_argument("--month", help="tháng YYYY-MM (giao hoặc đến hạn trong tháng)")
    a.add_argument("--status", choices=["open", "done"])
    a.set_defaults(records_handler=_records_tasks)
    for name, status, help_text in (("done", "done", "đánh dấu nhiệm vụ đã xong"),
                                    ("reopen", "open", "mở lại nhiệm vụ")):
        a = actions.add_parser(name, help=help_text)
        a.add_argument("task_id", type=int)
        a.set_defaults(records_handler=_records_status(status))
