"""Text for listening, and offline speech with espeak-ng.

:func:`normalize_for_speech` turns what a listener cannot parse into words:
numbers ("21" → "hai mươi mốt"), dates ("10/7/2025" → "ngày mười tháng bảy
năm hai nghìn không trăm hai mươi lăm"), times, percentages, Party and state
document numbers ("57-NQ/TW" → "Nghị quyết số năm mươi bảy, Trung ương") and
abbreviations (TW, BCH, UBND, HĐND, MTTQ ...). :func:`synthesize` runs
``espeak-ng`` and writes WAV, or MP3 through the ``lame`` binary or the
``lameenc`` package.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import wave
from pathlib import Path

from assistant.errors import BackendUnavailable
from assistant.text.references import ISSUER_NAMES, TYPE_NAMES, normalize_number, type_name_for

DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
SCALES = ("", "nghìn", "triệu", "tỷ")

ABBREVIATIONS = {
    "BCH": "Ban Chấp hành", "BCHTW": "Ban Chấp hành Trung ương", "BCT": "Bộ Chính trị", "BTV": "Ban Thường vụ",
    "UBND": "Ủy ban nhân dân", "HĐND": "Hội đồng nhân dân", "MTTQ": "Mặt trận Tổ quốc", "TW": "Trung ương",
    "UBKT": "Ủy ban Kiểm tra", "BCĐ": "Ban Chỉ đạo", "CNTT": "công nghệ thông tin", "CĐS": "chuyển đổi số",
    "KT-XH": "kinh tế - xã hội", "QP-AN": "quốc phòng - an ninh", "ANQP": "an ninh quốc phòng",
    "XHCN": "xã hội chủ nghĩa", "CNXH": "chủ nghĩa xã hội", "ĐCSVN": "Đảng Cộng sản Việt Nam",
    "HTX": "hợp tác xã", "THCS": "trung học cơ sở", "THPT": "trung học phổ thông", "ĐV": "đảng viên",
    "TP.": "thành phố", "tấn/ha": "tấn trên héc ta", "ha": "héc ta", "km": "ki lô mét", "kg": "ki lô gam",
    "m2": "mét vuông", "m²": "mét vuông", "v.v.": "vân vân", "đ/c": "đồng chí", "Đ/c": "Đồng chí", "NTM": "nông thôn mới",
}


def number_to_words(n: int) -> str:
    """Vietnamese reading of a non-negative integer (northern style: "linh", "nghìn")."""
    if n < 0:
        return "âm " + number_to_words(-n)
    if n < 10:
        return DIGITS[n]
    groups: list[int] = []
    while n:
        groups.append(n % 1000)
        n //= 1000
    words: list[str] = []
    top = len(groups) - 1
    for i in range(top, -1, -1):
        group = groups[i]
        if group == 0:
            continue
        words.append(_three(group, full=i != top))
        scale = SCALES[i % 3] if i % 3 else ""
        if i and i % 3 == 0:
            scale = "tỷ" + " tỷ" * (i // 3 - 1)
        if scale:
            words.append(scale)
    return " ".join(words)


def _three(n: int, full: bool) -> str:
    """A group of three digits; ``full`` reads leading zeros ("không trăm linh năm")."""
    hundreds, tens, units = n // 100, n // 10 % 10, n % 10
    out: list[str] = []
    if hundreds or full:
        out += [DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units and out:
            out.append("linh")
        if units:
            out.append(DIGITS[units])
    elif tens == 1:
        out.append("mười")
        if units:
            out.append("lăm" if units == 5 else DIGITS[units])
    else:
        out += [DIGITS[tens], "mươi"]
        if units == 1:
            out.append("mốt")
        elif units == 4:
            out.append("tư")
        elif units == 5:
            out.append("lăm")
        elif units:
            out.append(DIGITS[units])
    return " ".join(out)


def decimal_to_words(text: str) -> str:
    """"6,2" → "sáu phẩy hai"; Vietnamese uses the comma as decimal mark."""
    whole, _, frac = text.partition(",")
    out = number_to_words(int(whole.replace(".", "")))
    if frac:
        out += " phẩy " + (number_to_words(int(frac)) if not frac.startswith("0") else
                           " ".join(DIGITS[int(d)] for d in frac))
    return out


def date_to_words(day: int, month: int, year: int | None = None) -> str:
    """"ngày mười tháng tư năm hai nghìn không trăm hai mươi sáu" (April is "tư")."""
    text = f"ngày {number_to_words(day)} tháng {'tư' if month == 4 else number_to_words(month)}"
    if year is not None:
        text += f" năm {number_to_words(year)}"
    return text


# Type words come from the citation vocabulary, longest first ("Thông tư liên tịch" before "Thông tư").
_KINDS = "|".join(sorted((n[:1].upper() + n[1:] for n in TYPE_NAMES), key=len, reverse=True))
_DOC_RE = re.compile(rf"(?:(?P<kind>{_KINDS})\s+)?(?:[Ss]ố\s*:?\s*)?"
                     r"(?P<num>\d{1,4})(?:/(?P<year>\d{4}))?-(?P<type>[A-ZĐa-z]{1,4})/(?P<issuer>[A-ZĐa-z]{1,8})\b"
                     r"(?P<named>(?=,?\s+(?:ban hành|của|do)\b))?")
# A law's number names its legislature: "Luật số 20/2023/QH15" is read with "Quốc hội khóa mười lăm".
_LAW_RE = re.compile(rf"(?:(?P<kind>{_KINDS})\s+)?(?:[Ss]ố\s*)?(?P<num>\d{{1,4}})/(?P<year>\d{{4}})/QH(?P<term>\d{{1,2}})\b")
_STATE_DOC_RE = re.compile(rf"(?:(?P<kind>{_KINDS})\s+)?(?:[Ss]ố\s*)?"
                           r"(?P<num>\d{1,4})/(?P<year>\d{4})/(?P<type>[A-ZĐ]{1,4})-(?P<issuer>[A-ZĐa-z]{1,6})\b")
_DATE_RE = re.compile(r"(?P<pre>[Nn]gày\s+)?(?<![\d/])(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})(?:[/.-](?P<y>\d{4}))?(?![\d/])")
_DATE_WORDS_RE = re.compile(r"ngày\s+(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})(?:\s+năm\s+(?P<y>\d{4}))?")
_TIME_RE = re.compile(r"(?<![\d,.])(?P<h>[01]?\d|2[0-3])\s*(?:h|giờ|:)\s*(?P<m>[0-5]\d)(?:\s*phút)?(?![\d])")
_PERCENT_RE = re.compile(r"(?P<n>\d+(?:,\d+)?)\s*%")
_RANGE_RE = re.compile(r"(?<![\d/])(?P<a>\d{4})\s*[-–]\s*(?P<b>\d{4})(?![\d/])")
_NUMBER_RE = re.compile(r"(?<![\w])(?P<n>\d{1,3}(?:\.\d{3})+|\d+)(?:,(?P<f>\d+))?(?![\w])")
_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8, "IX": 9, "X": 10}


def _kind(m: re.Match[str], style: str) -> str:
    """The type word written before the number, else the name of its symbol ("TT": thông tri / thông tư)."""
    if m.group("kind"):
        return m.group("kind")
    code = m.group("type")
    name = type_name_for(code, style) or type_name_for(code.upper(), style)
    if not name:
        parsed = normalize_number(m.group(0))  # symbols typed without diacritics: "qd", "nd"
        name = parsed.doc_type if parsed is not None else ""
    return name[:1].upper() + name[1:] if name else code


def _issuer(code: str) -> str:
    return ISSUER_NAMES.get(code, ISSUER_NAMES.get(code.upper(), code))


def _doc_number(m: re.Match[str]) -> str:
    text = f"{_kind(m, 'party')} số {number_to_words(int(m.group('num')))}"
    if m.groupdict().get("year"):
        text += f" năm {number_to_words(int(m.group('year')))}"
    if m.group("named") is not None:  # "… của Ban Bí thư" follows: the symbol's issuer would be said twice
        return text
    return f"{text}, {_issuer(m.group('issuer'))}"


def _law(m: re.Match[str]) -> str:
    kind = m.group("kind") or "Luật"
    return (f"{kind} số {number_to_words(int(m.group('num')))} năm {number_to_words(int(m.group('year')))} "
            f"của Quốc hội khóa {number_to_words(int(m.group('term')))}")


def _state_doc(m: re.Match[str]) -> str:
    return (f"{_kind(m, 'state')} số {number_to_words(int(m.group('num')))} năm "
            f"{number_to_words(int(m.group('year')))}, {_issuer(m.group('issuer'))}")


def _date(m: re.Match[str]) -> str:
    day, month = int(m.group("d")), int(m.group("m"))
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return m.group(0)
    year = int(m.group("y")) if m.group("y") else None
    if year is None and not m.group("pre"):
        return m.group(0)  # "17/17" is a count; "ngày 5/3" is a date
    words = date_to_words(day, month, year)
    return m.group("pre") + words.removeprefix("ngày ") if m.group("pre") else words


def _number(m: re.Match[str]) -> str:
    digits = m.group("n")
    if digits.startswith("0") and len(digits) > 3 and not m.group("f"):
        return " ".join(DIGITS[int(d)] for d in digits)  # phone numbers, codes: digit by digit
    return decimal_to_words(digits + ("," + m.group("f") if m.group("f") else ""))


def normalize_for_speech(text: str) -> str:
    """Expand numbers, dates, times, percentages, document numbers and abbreviations into words."""
    text = _LAW_RE.sub(_law, text)
    text = _STATE_DOC_RE.sub(_state_doc, text)
    text = _DOC_RE.sub(_doc_number, text)
    text = _DATE_WORDS_RE.sub(lambda m: date_to_words(int(m.group("d")), int(m.group("m")),
                                                      int(m.group("y")) if m.group("y") else None), text)
    text = _DATE_RE.sub(_date, text)
    text = _TIME_RE.sub(lambda m: f"{number_to_words(int(m.group('h')))} giờ"
                        + (f" {number_to_words(int(m.group('m')))} phút" if int(m.group("m")) else ""), text)
    text = _RANGE_RE.sub(lambda m: f"{number_to_words(int(m.group('a')))} đến {number_to_words(int(m.group('b')))}",
                         text)
    text = _PERCENT_RE.sub(lambda m: f"{decimal_to_words(m.group('n'))} phần trăm", text)
    text = re.sub(r"(\d+)\s*/\s*(\d+)(?=\s*(?:đồng chí|đảng viên|phiếu|tán thành))",
                  lambda m: f"{number_to_words(int(m.group(1)))} trên {number_to_words(int(m.group(2)))}", text)
    text = re.sub(r"\b(Chương|Mục|Phần|Điều|khoản|điểm)\s+([IVX]{1,4})\b",
                  lambda m: f"{m.group(1)} {number_to_words(_ROMAN.get(m.group(2), 0)) or m.group(2)}", text)
    for short in sorted(ABBREVIATIONS, key=len, reverse=True):
        text = re.sub(rf"(?<![\w/]){re.escape(short)}(?![\w/])", ABBREVIATIONS[short], text)
    text = _NUMBER_RE.sub(_number, text)
    text = re.sub(r"(?<=\w)/(?=\w)", " trên ", text)
    text = text.replace("≥", " từ ").replace("≤", " đến ").replace("&", " và ").replace("%", " phần trăm")
    text = re.sub(r"[\"“”'*•_#|<>\[\]]", " ", text)
    text = re.sub(r"\s+[-–—]\s*(?=\w)|(?<=\w)\s*[–—]\s*(?=\w)", ", ", text)
    text = re.sub(r"[ \t]+", " ", text)
    return re.sub(r"\s+([,.;:!?])", r"\1", text).strip()


def count_words(text: str) -> int:
    """Number of words (syllables) in ``text``."""
    return len(re.findall(r"\w+", text))


# espeak-ng reads Vietnamese about 1.45x faster than its nominal "-s" words per minute (measured on
# this voice: -s 100 gave ~143 syllables/min, -s 150 ~220). Dividing keeps the real rate near the setting.
ESPEAK_RATE_FACTOR = 1.45


# Pauses chosen by benchmarks/bench_bulletin_speech.py (results/bulletin_speech.md).
WORD_GAP = 0  # espeak-ng -g: extra gap between words, in 10 ms units
CLAUSE_PAUSE_MS = 0  # extra pause after "," ";" ":" (SSML <break>)


def espeak_speed(words_per_minute: int) -> int:
    """espeak-ng's ``-s`` value that gives ``words_per_minute`` for its Vietnamese voice."""
    return max(80, min(450, round(words_per_minute / ESPEAK_RATE_FACTOR)))


def wav_duration(path: Path | str) -> float:
    """Length of a WAV file in seconds."""
    with wave.open(str(path), "rb") as w:
        return w.getnframes() / float(w.getframerate())


def mp3_encoder() -> str | None:
    """"lame" (binary), "lameenc" (package) or None."""
    if shutil.which("lame"):
        return "lame"
    try:
        import lameenc  # noqa: F401
    except ImportError:
        return None
    return "lameenc"


def encode_mp3(wav_path: Path, mp3_path: Path) -> Path:
    """Encode ``wav_path`` to ``mp3_path`` with lame or lameenc; BackendUnavailable without either."""
    encoder = mp3_encoder()
    if encoder == "lame":
        subprocess.run(["lame", "--quiet", "-V", "5", str(wav_path), str(mp3_path)], check=True, timeout=600)
    elif encoder == "lameenc":
        import lameenc

        with wave.open(str(wav_path), "rb") as w:
            enc = lameenc.Encoder()
            enc.set_bit_rate(64)
            enc.set_in_sample_rate(w.getframerate())
            enc.set_channels(w.getnchannels())
            enc.set_quality(5)
            data = enc.encode(w.readframes(w.getnframes())) + enc.flush()
        mp3_path.write_bytes(bytes(data))
    else:
        raise BackendUnavailable("Không có bộ mã hóa MP3", hint="apt-get install lame hoặc pip install lameenc")
    return mp3_path


def shape_for_espeak(text: str, clause_pause_ms: int = 0) -> tuple[str, bool]:
    """The text espeak-ng reads, and whether it is SSML: with ``clause_pause_ms`` a pause of that length follows
    every comma, semicolon and colon (espeak's own pause there is short at speed)."""
    if clause_pause_ms <= 0:
        return text, False
    marked = re.sub(r"([,;:])(\s)", "\\1\x00\\2", text)  # before escaping: "&amp;" has a ";" of its own
    escaped = marked.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return "<speak>" + escaped.replace("\x00", f'<break time="{clause_pause_ms}ms"/>') + "</speak>", True


def espeak_command(binary: str, script: Path, wav: Path, *, voice: str, speed: int, word_gap: int = 0,
                   ssml: bool = False) -> list[str]:
    """The espeak-ng command line: voice, speed (``-s``), gap between words (``-g``, 10 ms units), SSML input."""
    cmd = [binary, "-v", voice, "-s", str(speed), "-b", "1"]
    if word_gap > 0:
        cmd += ["-g", str(word_gap)]
    if ssml:
        cmd.append("-m")
    return [*cmd, "-f", str(script), "-w", str(wav)]


def synthesize(text: str, out_path: Path | str, *, voice: str = "vi", words_per_minute: int = 150,
               timeout: float = 900, speed: int | None = None, word_gap: int | None = None,
               clause_pause_ms: int | None = None) -> Path:
    """Speak ``text`` with espeak-ng into ``out_path`` (.wav, or .mp3 through an encoder).

    ``speed``, ``word_gap`` and ``clause_pause_ms`` default to what the round-trip benchmark chose
    (:data:`WORD_GAP`, :data:`CLAUSE_PAUSE_MS`; the speed from ``words_per_minute``).
    """
    binary = shutil.which("espeak-ng")
    if binary is None:
        raise BackendUnavailable("Chưa cài espeak-ng để đọc bản tin", hint="apt-get install espeak-ng")
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    spoken, ssml = shape_for_espeak(text, CLAUSE_PAUSE_MS if clause_pause_ms is None else clause_pause_ms)
    with tempfile.TemporaryDirectory(prefix="chibo-tts-") as tmp:
        script = Path(tmp) / "script.txt"
        script.write_text(spoken, encoding="utf-8")
        wav = out_path if out_path.suffix.lower() == ".wav" else Path(tmp) / "speech.wav"
        cmd = espeak_command(binary, script, wav, voice=voice,
                             speed=speed if speed is not None else espeak_speed(words_per_minute),
                             word_gap=WORD_GAP if word_gap is None else word_gap, ssml=ssml)
        try:
            result = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            raise BackendUnavailable("espeak-ng chạy quá lâu") from exc
        if result.returncode != 0 or not wav.exists():
            raise BackendUnavailable(f"espeak-ng lỗi: {result.stderr.strip()[:200] or result.returncode}",
                                     hint=f"kiểm tra giọng '{voice}': espeak-ng --voices=vi")
        if out_path.suffix.lower() == ".mp3":
            encode_mp3(wav, out_path)
    return out_path
