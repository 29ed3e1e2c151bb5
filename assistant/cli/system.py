"""System verbs: config, doctor, backup and restore, and unlocking logins."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import yaml

from assistant.cli.base import Context, add_verb
from assistant.settings import describe_fields


def _config(ctx: Context, args: argparse.Namespace) -> int:
    if args.describe:
        rows = describe_fields()
        ctx.emit(dict(rows), "\n".join(f"{name:34} {desc}" for name, desc in rows))
        return 0
    data = json.loads(ctx.settings.model_dump_json())
    ctx.emit(data, yaml.safe_dump(data, allow_unicode=True, sort_keys=False).rstrip())
    return 0


def _doctor(ctx: Context, args: argparse.Namespace) -> int:
    from assistant.doctor import run_checks

    checks = run_checks(ctx.settings, ctx.services, load_models=not args.quick)
    lines = []
    for check in checks:
        mark = "✔" if check.ok else ("✘" if check.required else "!")
        lines.append(f"{mark} {check.name}: {check.detail}")
        if not check.ok and check.hint:
            lines.append(f"    → cách sửa: {check.hint}")
    failed = [c for c in checks if not c.ok and c.required]
    lines.append("Tất cả thành phần cần thiết đều sẵn sàng." if not failed
                 else f"{len(failed)} thành phần cần thiết chưa sẵn sàng.")
    ctx.emit({"ok": not failed, "checks": [c.to_dict() for c in checks]}, "\n".join(lines))
    return 1 if failed else 0


def _backup(ctx: Context, args: argparse.Namespace) -> int:
    from assistant.backup import create_backup

    report = create_backup(ctx.settings, args.file)
    _audit(ctx, "backup", report.archive, files=report.files, documents=report.documents)
    ctx.emit(report.to_dict(), f"Đã sao lưu {report.files} tệp ({report.bytes / 1024 / 1024:.1f} MB, "
                               f"{report.documents} tài liệu) vào {report.archive}.")
    return 0


def _restore(ctx: Context, args: argparse.Namespace) -> int:
    from assistant.backup import reindex_outdated, restore_backup

    report = restore_backup(ctx.settings, args.file, force=args.force)
    lines = [f"Đã khôi phục {report.files} tệp vào {report.data_dir} (bản sao lưu lúc {report.backup_created})."]
    if report.moved_aside:
        lines.append(f"Dữ liệu cũ được giữ ở {report.moved_aside}.")
    if not args.no_reindex:
        reindexed = reindex_outdated(ctx.services)
        if reindexed is not None:
            lines.append(f"Lập chỉ mục lại {reindexed.counts['ingested']} tài liệu theo quy trình mới.")
    _audit(ctx, "restore", str(args.file), files=report.files, moved_aside=report.moved_aside)
    ctx.emit(report.to_dict(), "\n".join(lines))
    return 0


def _audit(ctx: Context, action: str, what: str, **details: Any) -> None:
    from assistant.ui.audit import AuditLog

    AuditLog(ctx.settings.log_dir).record("chibo", action, what, via="cli", **details)


def unlock(ctx: Context, name: str | None, address: str | None) -> int:
    """``chibo users unlock NAME [--address A]``: lift login lock-outs at once, also in a running server."""
    from assistant.errors import ValidationFailed
    from assistant.ui.lockout import LoginGuard

    if not name and not address:
        raise ValidationFailed("Cần tên người dùng hoặc --address: chibo users unlock TÊN")
    lifted = LoginGuard(ctx.settings.data_dir).unlock(name or None, address or None)
    _audit(ctx, "unlock", name or address or "", address=address)
    what = " và ".join(x for x in (f"'{name}'" if name else "", f"máy {address}" if address else "") if x)
    ctx.emit({"name": name, "address": address, "lifted": lifted},
             f"Đã mở khóa đăng nhập cho {what}." if lifted else f"{what} không bị khóa; đã xóa các lần nhập sai.")
    return 0


def register(subparsers: Any) -> None:
    """Add the ``config``, ``doctor``, ``backup`` and ``restore`` verbs."""
    p = add_verb(subparsers, "config", "In cấu hình đang dùng (tệp YAML + biến CHIBO_* + tùy chọn)",
                 "chibo config --describe", _config)
    p.add_argument("--describe", action="store_true", help="mô tả từng trường cấu hình")
    p = add_verb(subparsers, "doctor", "Kiểm tra từng thành phần và gợi ý cách sửa", "chibo doctor", _doctor)
    p.add_argument("--quick", action="store_true", help="không nạp mô hình")
    p = add_verb(subparsers, "backup", "Sao lưu thư mục dữ liệu (chỉ mục, người dùng, biên bản, nhật ký, tệp đã tạo) "
                 "vào một tệp .tar.gz", "chibo backup /media/usb/chibo-2026-03-05.tar.gz", _backup)
    p.add_argument("file", type=Path, help="tệp sao lưu sẽ ghi (.tar.gz)")
    p = add_verb(subparsers, "restore", "Khôi phục thư mục dữ liệu từ bản sao lưu (vào thư mục trống, hoặc --force)",
                 "chibo --data-dir ~/.local/share/chibo restore /media/usb/chibo-2026-03-05.tar.gz", _restore)
    p.add_argument("file", type=Path, help="tệp sao lưu (.tar.gz) do 'chibo backup' tạo")
    p.add_argument("--force", action="store_true",
                   help="thư mục dữ liệu không trống: giữ bản cũ bên cạnh (<thư mục>.before-restore-…) rồi thay")
    p.add_argument("--no-reindex", action="store_true",
                   help="không lập chỉ mục lại tài liệu do phiên bản cũ lập")
