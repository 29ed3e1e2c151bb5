"""Decode the bytes of a plain-text file whose encoding nobody declared.

Vietnamese files in the wild come as UTF-8 (with or without BOM), UTF-16
(Windows Notepad's "Unicode", with or without BOM) and, from older Windows
systems, Windows-1258, which stores tone marks as separate combining
characters. Anything else (TCVN3/ABC, VNI fonts) needs converting first.
"""

from __future__ import annotations

import codecs
import unicodedata
from dataclasses import dataclass

from assistant.errors import IngestError
from assistant.text.vietnamese import nfc

# UTF-32 first: its little-endian BOM starts with UTF-16's.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_SNIFF_BYTES = 8192
_VIETNAMESE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323\u0302\u0306\u031b")

ENCODING_HINT = "hãy lưu lại tệp với bảng mã Unicode UTF-8 (ví dụ chuyển mã bằng Unikey nếu là TCVN3/VNI)"


@dataclass(frozen=True)
class Decoded:
    """Decoded text and the encoding it was read in."""

    text: str
    encoding: str


def decode_text(data: bytes) -> Decoded:
    """Decode ``data`` as text, trying BOMs, UTF-16, UTF-8 then Windows-1258.

    Raises :class:`IngestError` for binary data or an encoding we cannot
    recognise. The result is NFC.
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return Decoded(_strict(data[len(bom):], codec), codec)
    utf16 = _guess_utf16(data[:_SNIFF_BYTES])
    if utf16:
        return Decoded(_strict(data, utf16), utf16)
    if b"\x00" in data:
        raise binary_error()
    try:
        return Decoded(_checked(data.decode("utf-8")), "utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = nfc(data.decode("cp1258"))
    except UnicodeDecodeError:
        raise encoding_error() from None
    if not plausible_vietnamese(text):
        raise encoding_error()
    return Decoded(_checked(text), "cp1258")


def decode_declared(data: bytes, charset: str) -> Decoded | None:
    """Decode with a declared charset (HTML meta); None if it does not fit."""
    try:
        codec = codecs.lookup(charset).name
        return Decoded(_checked(nfc(data.decode(codec))), codec)
    except (LookupError, UnicodeDecodeError, IngestError):
        return None


def binary_error() -> IngestError:
    """The error for a file that is not text."""
    return IngestError("Tệp không phải văn bản (chứa dữ liệu nhị phân)", hint="kiểm tra lại đuôi tệp")


def encoding_error() -> IngestError:
    """The error for text in an encoding we cannot tell."""
    return IngestError("Không nhận ra bảng mã của tệp văn bản", hint=ENCODING_HINT)


def _vietnamese_letter(ch: str) -> bool:
    if ch in "đĐ":
        return True
    decomposed = unicodedata.normalize("NFD", ch)
    base, marks = decomposed[0], decomposed[1:]
    return base.lower() in "aeiouy" and bool(marks) and all(mark in _VIETNAMESE_MARKS for mark in marks)


def _strict(data: bytes, codec: str) -> str:
    try:
        return _checked(nfc(data.decode(codec)))
    except UnicodeDecodeError:
        raise encoding_error() from None


def _guess_utf16(sample: bytes) -> str | None:
    """UTF-16 without a BOM: ASCII letters, digits and spaces (most of any
    Vietnamese text) put a NUL in every other byte, on one side only."""
    sample = sample[: len(sample) - len(sample) % 2]
    if len(sample) < 4:
        return None
    pairs = len(sample) // 2
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    if odd_nuls >= 0.3 * pairs and even_nuls <= 0.05 * pairs:
        return "utf-16-le"
    if even_nuls >= 0.3 * pairs and odd_nuls <= 0.05 * pairs:
        return "utf-16-be"
    return None


def _checked(text: str) -> str:
    """Refuse text that is mostly control characters: a binary file that
    happened to decode."""
    sample = text[:_SNIFF_BYTES]
    controls = sum(1 for ch in sample if ch not in "\t\n\r\f\v" and unicodedata.category(ch) == "Cc")
    if controls > max(2, len(sample) // 100):
        raise binary_error()
    return text


def plausible_vietnamese(text: str) -> bool:
    """Sanity check for a Windows-1258 reading: cp1258 maps almost every byte
    to something, so a wrong guess still "decodes". Real Vietnamese has
    accented letters, all of them Vietnamese ones; TCVN3/VNI text read this
    way is full of "ß", "Ü", "ñ", "µ" instead."""
    accented = [ch for ch in text if not ch.isascii() and (ch.isalpha() or unicodedata.combining(ch))]
    if not accented:
        return False
    foreign = sum(1 for ch in accented if not _vietnamese_letter(ch))
    return foreign <= len(accented) // 50
