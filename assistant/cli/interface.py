"""Web interface and users: ``chibo ui`` and ``chibo users``."""

from __future__ import annotations

import argparse
import getpass
import os
import signal
import sys
from typing import Any

from assistant.cli.base import Context, add_verb
from assistant.cli.knowledge import STATUS_VI
from assistant.errors import AssistantError, ValidationFailed

ROLE_CHOICES = ("member", "secretary", "admin")


def _stores(ctx: Context) -> tuple[Any, Any]:
    from assistant.ui.audit import AuditLog
    from assistant.ui.auth import UserStore

    return UserStore(ctx.settings.data_dir), AuditLog(ctx.settings.log_dir)


def announce_first_admin(users: Any, audit: Any) -> None:
    """With no users yet, create ``admin`` and print its password once, on stderr only."""
    from assistant.ui.auth import FIRST_ADMIN

    password = users.ensure_admin()
    if password is None:
        return
    audit.record("chibo", "user_add", FIRST_ADMIN, role="admin", reason="first start")
    bar = "=" * 64
    print(f"{bar}\nChưa có người dùng nào: đã tạo tài khoản quản trị.\n"
          f"  Tên đăng nhập: {FIRST_ADMIN}\n  Mật khẩu:      {password}\n"
          f"Mật khẩu chỉ hiện MỘT LẦN này; hãy ghi lại và đổi sau khi đăng nhập\n"
          f"(chibo users passwd {FIRST_ADMIN}).\n{bar}", file=sys.stderr, flush=True)


def _prepare(ctx: Context) -> None:
    """Check what is installed, then index the corpus when it is new or changed."""
    from assistant.doctor import run_checks

    services = ctx.services
    for check in run_checks(ctx.settings, services, load_models=False):
        mark = "✔" if check.ok else ("✘" if check.required else "!")
        ctx.log(f"{mark} {check.name}: {check.detail}" + (f" → {check.hint}" if not check.ok and check.hint else ""))

    def progress(event: str, info: dict[str, Any]) -> None:
        if event == "start":
            ctx.log(f"Nạp kho tài liệu: {info['files']} tệp")
        elif event == "file":
            result = info["result"]
            status = STATUS_VI.get(result.status, result.status)
            ctx.log(f"  [{info['index']}/{info['files']}] {status}: {os.path.basename(result.path)}"
                    + (f" — {result.reason}" if result.reason else ""))

    # Keyword search first; the web interface completes the vectors in the background (see _ui).
    report = services.prepare_corpus(progress=progress, vectors="later")
    if report is None:
        ctx.log("Kho tài liệu đã được lập chỉ mục, không có thay đổi.")
    else:
        c = report.counts
        ctx.log(f"Đã nạp {c['ingested']}, không đổi {c['unchanged']}, bỏ qua {c['skipped']}, lỗi {c['failed']}.")
    from assistant.backup import reindex_outdated

    # After an upgrade: uploaded documents an older pipeline indexed are re-indexed too (the corpus is above),
    # keyword search first like the corpus; _resume_vectors then completes their vectors in the background.
    again = reindex_outdated(services, progress=progress, vectors="later")
    if again is not None:
        ctx.log(f"Lập chỉ mục lại {again.counts['ingested']} tài liệu đã nạp theo quy trình mới.")


def _resume_vectors(ctx: Context) -> None:
    """Vectors left pending (an upload, --prepare, a crash) are completed in the background while the UI serves."""
    try:
        if ctx.services.resume_vectors():
            status = ctx.services.vector_status()
            ctx.log(f"Tìm theo từ khóa đã sẵn sàng; đang tính nền {status['pending']} vector còn thiếu.")
    except AssistantError as exc:  # no embedding model yet: keyword search still serves; the doctor says why
        ctx.log(f"Chưa tính được vector: {exc}")


def _ui(ctx: Context, args: argparse.Namespace) -> int:
    settings = ctx.settings
    host = args.host or settings.ui.host
    port = args.port or settings.ui.port
    # Uploads stay under the data dir, not in a shared /tmp; gradio reads this at import.
    os.environ.setdefault("GRADIO_TEMP_DIR", str(settings.cache_dir / "gradio"))
    users, audit = _stores(ctx)
    if args.prepare:
        _prepare(ctx)
    _resume_vectors(ctx)
    try:
        ctx.services.warm_up_llm_in_background()  # the first question need not wait for the model to load
    except AssistantError as exc:  # no usable model: answers stay extractive, the doctor says why
        ctx.log(f"Chưa nạp được mô hình viết: {exc}")
    announce_first_admin(users, audit)
    from assistant.ui.app import build_app, launch

    app = build_app(ctx.services, users, audit)
    # A server started in the background ignores SIGINT; stop cleanly on TERM too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    ctx.log(f"Giao diện web: http://{host}:{port} (Ctrl+C để dừng)")
    launch(app, host=host, port=port, quiet=True)
    return 0


def _read_password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        if not sys.stdin.isatty():
            raise ValidationFailed("Không có terminal để nhập mật khẩu", hint="dùng --password-stdin")
        password = getpass.getpass("Mật khẩu: ")
        if getpass.getpass("Nhập lại mật khẩu: ") != password:
            raise ValidationFailed("Hai lần nhập mật khẩu không khớp")
    return password


def _users(ctx: Context, args: argparse.Namespace) -> int:
    users, audit = _stores(ctx)
    action = args.action
    ctx.json = ctx.json or args.users_json
    if action == "list":
        rows = [u.to_dict() for u in users.list()]
        from assistant.ui.auth import ROLE_LABELS

        text = "\n".join(f"{u['name']:24} {u['role']:10} {ROLE_LABELS.get(u['role'], '')}" for u in rows)
        ctx.emit(rows, text or "Chưa có người dùng.")
        return 0
    if action == "unlock":
        from assistant.cli.system import unlock

        return unlock(ctx, args.name, args.address)
    if not args.name:
        raise ValidationFailed(f"Cần tên người dùng: chibo users {action} TÊN")
    if action == "add":
        user = users.add(args.name, args.role or "member", _read_password(args))
        audit.record("chibo", "user_add", user.name, role=user.role, via="cli")
        ctx.emit(user.to_dict(), f"Đã thêm người dùng '{user.name}' ({user.role}).")
    elif action == "remove":
        users.remove(args.name)
        audit.record("chibo", "user_remove", args.name, via="cli")
        ctx.emit({"removed": args.name}, f"Đã xóa người dùng '{args.name}'.")
    elif action == "passwd":
        users.set_password(args.name, _read_password(args))
        audit.record("chibo", "user_password", args.name, via="cli")
        ctx.emit({"name": args.name}, f"Đã đổi mật khẩu của '{args.name}'.")
    elif action == "role":
        if not args.role:
            raise ValidationFailed("Cần --role member|secretary|admin")
        users.set_role(args.name, args.role)
        audit.record("chibo", "user_role", args.name, role=args.role, via="cli")
        ctx.emit({"name": args.name, "role": args.role}, f"'{args.name}' giờ là {args.role}.")
    return 0


def register(subparsers: Any) -> None:
    """Add the ``ui`` verb (serve the web app) and the ``users`` verb (manage its users and roles)."""
    p = add_verb(subparsers, "ui", "Mở giao diện web (mặc định http://127.0.0.1:7860), cần đăng nhập",
                 "chibo ui --port 7860 --prepare", _ui)
    p.add_argument("--host", help="địa chỉ lắng nghe (mặc định ui.host = 127.0.0.1)")
    p.add_argument("--port", type=int, help="cổng (mặc định ui.port = 7860)")
    p.add_argument("--prepare", action="store_true",
                   help="kiểm tra thành phần, lập chỉ mục kho tài liệu nếu mới/đổi, tạo quản trị viên đầu tiên")

    p = add_verb(subparsers, "users", "Quản lý người dùng giao diện web và vai trò (member < secretary < admin)",
                 "echo 'mat-khau-manh' | chibo users add bithu --role secretary --password-stdin", _users)
    p.add_argument("action", choices=["add", "remove", "list", "passwd", "role", "unlock"],
                   help="add: thêm; remove: xóa; list: liệt kê; passwd: đổi mật khẩu; role: đổi vai trò; "
                        "unlock: mở khóa đăng nhập (sau nhiều lần nhập sai)")
    p.add_argument("name", nargs="?", help="tên đăng nhập")
    p.add_argument("--role", choices=ROLE_CHOICES, default=None, help="vai trò (add: mặc định member)")
    p.add_argument("--password-stdin", action="store_true", help="đọc mật khẩu từ dòng đầu của stdin")
    p.add_argument("--address", help="unlock: mở khóa cho một địa chỉ máy (IP) bị khóa")
    p.add_argument("--json", dest="users_json", action="store_true", help="kết quả JSON trên stdout")
