"""Drafting verbs: summarize, minutes, report, bulletin."""

from __future__ import annotations

from typing import Any

from assistant.cli.placeholder import register_placeholders


def register(subparsers: Any) -> None:
    register_placeholders(subparsers, {
        "summarize": ("Tóm tắt ghi chép cuộc họp thành biên bản có cấu trúc", "chibo summarize ghichep.txt --json"),
        "minutes": ("Soạn biên bản sinh hoạt chi bộ (DOCX)", "chibo minutes hop-thang-3.yaml -o bienban.docx"),
        "report": ("Soạn báo cáo tháng của chi bộ (DOCX)", "chibo report --month 2026-03 -o baocao.docx"),
        "bulletin": ("Soạn và đọc bản tin âm thanh", "chibo bulletin --docs 339-qd-tw -o bantin.wav"),
    })
