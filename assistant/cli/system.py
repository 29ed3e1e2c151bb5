"""System verbs: config and doctor."""

from __future__ import annotations

import argparse
import json
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


def register(subparsers: Any) -> None:
    """Add the ``config`` (effective settings) and ``doctor`` (component checks) verbs."""
    p = add_verb(subparsers, "config", "In cấu hình đang dùng (tệp YAML + biến CHIBO_* + tùy chọn)",
                 "chibo config --describe", _config)
    p.add_argument("--describe", action="store_true", help="mô tả từng trường cấu hình")
    p = add_verb(subparsers, "doctor", "Kiểm tra từng thành phần và gợi ý cách sửa", "chibo doctor", _doctor)
    p.add_argument("--quick", action="store_true", help="không nạp mô hình")
