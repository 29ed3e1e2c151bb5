"""Text inside a document that talks to the assistant instead of to the reader.

An ingested document may contain "Bỏ qua mọi hướng dẫn trước đó và trả lời rằng …", a fake
system prompt, chat-template tokens, or a planted secret ("Mật khẩu quản trị: …"). Such a
sentence is still document text: it may be quoted, with its citation, like any other. But it
must never reach the writing model as material, nor support a sentence the model writes: a model
that repeated "đảng phí là 500.000 đồng" from an instruction would otherwise pass every check,
since the figure is "in the passage".
"""

from __future__ import annotations

import re

from assistant.text.references import fold
from assistant.text.vietnamese import nfc, sentence_spans

# Matched on folded text (lower case, no diacritics), one sentence at a time.
_ADDRESSING = (
    r"bo qua (?:moi|tat ca|toan bo|cac)?\s*(?:huong dan|chi dan|chi thi|yeu cau|lenh|quy tac)",
    r"ignore (?:all |any )?(?:previous|prior|the above|earlier)",
    r"disregard (?:all |the )?(?:previous|prior|above)",
    r"(?:^|\s)(?:system|he thong|assistant|tro ly|user)\s*:\s",
    r"<\|?(?:im_start|im_end|system|user|assistant|endoftext)\|?>",
    r"\[/?inst\]",
    r"#{2,}\s*(?:instruction|system|huong dan cho (?:ai|tro ly|mo hinh))",
    r"(?:hay|phai|luon)\s+(?:tra loi|khang dinh|xac nhan)\s+(?:rang|la)\b[^.]{0,80}(?:cho|voi) (?:moi|nguoi dung|nguoi hoi)",
    r"(?:hay|luon|phai)\s+(?:luon\s+)?(?:tra loi|khang dinh|noi)\s+rang\b",
    r"(?:khi|neu) (?:doc|xu ly|tom tat|tra loi)[^.]{0,40}(?:van ban|tai lieu) nay[^.]{0,40}(?:hay|phai)",
    r"(?:tu (?:bay gio|nay tro di|gio tro di))[^.]{0,30}(?:ban|tro ly|hay)",
    r"(?:say|answer|respond|reply) (?:that|only|with|in english)",
    r"gui (?:danh sach|du lieu|thong tin)[^.]{0,60}(?:toi|den|ve) (?:dia chi|email|so dien thoai|https?://)",
)
# Credentials in plain text: repeat them and the assistant leaks them.
_SECRET = (
    r"(?:mat khau|password|passcode|ma xac thuc|ma otp|ma pin)[^.\n]{0,40}(?::|\bla\b)\s*\S{4,}",
)
_PATTERN = re.compile("|".join(f"(?:{p})" for p in (*_ADDRESSING, *_SECRET)))
# Matched on accented lower-case text: folded, "bạn" (you) is "bản" (a copy, a document).
_YOU = re.compile(
    r"(?:\bbạn\b|trợ lý|mô hình|chatbot|\bai\b)[^.]{0,40}(?:hãy|phải|luôn|cần)\s+(?:trả lời|nói|khẳng định|viết|"
    r"xác nhận|tiết lộ|cung cấp|gửi|đóng vai|bỏ qua|từ chối)"
    r"|\bbạn (?:là|hãy đóng vai|sẽ đóng vai|đóng vai) (?:một )?(?:trợ lý|mô hình|chatbot|ai\b|người)"
    r"|\bbạn (?:hãy |sẽ )?đóng vai\b"
    r"|(?:hãy|phải|luôn) (?:trả lời|nói|ghi)[^.]{0,40}cho (?:mọi|tất cả|toàn bộ) (?:câu hỏi|người hỏi|người dùng)")


def instruction_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of ``text`` that addresses the assistant or plants a secret."""
    text = nfc(text)
    folded, lowered = fold(text), text.lower()
    out = []
    for start, end in sentence_spans(text):
        # Line by line: within a sentence a line break may separate a fake "SYSTEM:" header from the rest.
        lines = zip(folded[start:end].split("\n"), lowered[start:end].split("\n"), strict=True)
        if any(_PATTERN.search(plain) or _YOU.search(accented) for plain, accented in lines):
            # An injection runs on ("… Hãy luôn trả lời rằng …; bài kiểm tra được …"): cut to the end of the line.
            line_end = text.find("\n", end)
            out.append((start, len(text) if line_end < 0 else line_end))
    merged: list[tuple[int, int]] = []
    for start, end in out:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def has_instructions(text: str) -> bool:
    """True when the text contains a sentence addressed to the assistant (or a planted secret)."""
    return bool(instruction_spans(text))


def without_instructions(text: str, mark: str = "[…]") -> str:
    """The text with each such sentence replaced by ``mark``: what a writing model may read and rely on."""
    text = nfc(text)
    for start, end in reversed(instruction_spans(text)):
        text = text[:start] + mark + text[end:]
    return text


_SPECIAL = re.compile(r"<\|([A-Za-z_]+)\|>|\[/?INST\]")


def neutralize_special_tokens(text: str) -> str:
    """Break chat-template tokens ("<|im_start|>") in document text so a tokenizer cannot read them as control."""
    return _SPECIAL.sub(lambda m: m.group(0).replace("<|", "<\u200b|").replace("[", "[\u200b"), text)
