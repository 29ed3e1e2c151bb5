"""People in notes: references ("đ/c Hà Văn Long", "anh Bình", "BS Trần Quang Diện") and the roster.

A reference is a marker — "đồng chí", "đ/c", "dc", "đc", a kinship word ("anh",
"chị"), a title or rank ("Bí thư", "BS", "Thiếu tá") — followed by a name. A
name is a run of capitalised words ("Y Khuê Êban", "H'Lim Mlô", "Nguyễn Thị Bé
Ba"); in notes typed all in lower case, a known surname followed by up to three
words ("nguyen duc thang"), or a single given name ("dc hue"). The roster is
every full name the notes write; a given name ("đ/c Quân", "chị Sa Pha", "đ/c Y
Ngông") resolves to the one full name it ends (or, for Ê Đê and Jrai names, starts)
with, and stays as written when there is none or more than one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.drafting.notes.lines import NoteLine
from assistant.drafting.notes.numbers import fold

# Family names (folded), Kinh and of the ethnic minorities the notes name; used only for names typed in lower case
# and for transcript turns that start with a bare name.
SURNAMES = frozenset((
    "nguyen", "tran", "le", "pham", "hoang", "huynh", "phan", "vu", "vo", "dang", "bui", "do", "ho", "ngo", "duong",
    "ly", "luong", "luu", "trinh", "dao", "doan", "dinh", "lam", "mai", "truong", "ha", "cao", "quach", "ta", "to",
    "ton", "kieu", "kha", "kim", "thach", "son", "danh", "lo", "cam", "quang", "giang", "vang", "thao", "sung",
    "mua", "trieu", "hua", "lac", "man", "hau", "tieu", "au", "quan", "chu", "nong", "be", "ma", "luc", "vi", "ban",
    "loc", "tong", "tang", "khuc", "mach", "cu", "thai", "nghiem", "can", "han", "nhan", "vuong", "lai", "bach",
    "ninh", "phung", "diep", "tu", "la", "lu", "chau", "khuu", "ong", "dong", "giap", "diem", "lieu", "tra", "y",
    "ksor", "nay", "siu", "rmah", "rcom", "kpa", "nie", "ro", "rah", "kpuih", "puih", "rahlan", "ayun", "adrong",
    "hdok", "knul", "kbuor", "eban", "bkrong", "chang", "lau", "tho", "hang",
))
COMRADE = r"(?:dong chi|d/c|d\.c|d/ c|dc)(?![a-z/])"
_COMRADE_RE = re.compile(rf"(?<![a-z/]){COMRADE}")
# Titles and ranks that may stand before a name (folded, longest first).
TITLES = (
    "pho bi thu thuong truc dang uy", "pho bi thu chi bo", "pho bi thu", "bi thu chi bo", "bi thu", "chi uy vien",
    "dang uy vien", "chinh tri vien", "pho hieu truong", "hieu truong", "pho chu tich", "chu tich", "chu nhiem",
    "truong khu pho", "truong thon", "truong ap", "truong ban", "to truong", "bac si", "bs", "dieu duong", "dd",
    "thieu ta", "trung ta", "thuong ta", "dai ta", "thieu uy", "trung uy", "thuong uy", "dai uy",
    "quan chung", "giao vien", "pbt cb", "bt cb", "pbt", "bt", "cuv", "duv",
)
# Capitalised words that start the name of a body, not of a person ("Phó Bí thư Đảng ủy phường").
_INSTITUTIONS = frozenset((
    "Đảng", "Ủy", "Chi", "Hội", "Trường", "Phường", "Xã", "Thôn", "Ấp", "Nhà", "Tổ", "Mặt", "Sở", "Phòng", "Trạm",
    "Công", "Huyện", "Tỉnh", "Thành", "Khu", "Văn", "Bộ", "Viện", "Chủ", "Thường",
))
_RANKS = frozenset(("bs", "bac si", "dd", "dieu duong", "thieu ta", "trung ta", "thuong ta", "dai ta", "thieu uy",
                    "trung uy", "thuong uy", "dai uy"))
_TITLE_RE = re.compile(r"(?:" + "|".join(re.escape(t) for t in TITLES) + r")(?![a-z])")
_TITLE_NAMES = {"bt": "Bí thư", "pbt": "Phó Bí thư", "cuv": "Chi ủy viên", "duv": "Đảng ủy viên", "bs": "BS",
                "dd": "ĐD"}
# Kinship words used as "Mr/Ms" before a given name: with their diacritics (the folded forms are other words).
_KIN_RE = re.compile(r"(?<![^\W\d_])(?:anh|chị|chú|cô|Anh|Chị|Chú|Cô|ANH|CHỊ|chi|Chi)(?=\s)")
_NOT_AFTER_CHI = {"bo", "hoi", "uy", "doan", "quy", "cuc", "phi", "tiet", "nhanh", "tieu"}
_WORD_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
# Words that end a name typed in lower case ("dc dao van tuyen de nghi …").
_STOP_WORDS = frozenset((
    "de", "hoi", "xay", "thong", "phoi", "khao", "hoan", "theo", "lo", "gui", "nop", "mua", "sua", "di", "va",
    "voi", "cung", "da", "se", "can", "nen", "ghi", "doc", "neu", "gop", "bo", "kien", "y", "co", "khong", "duoc",
    "tai", "ve", "o", "vi", "do", "trong", "truoc", "sau", "xong", "la", "cua", "cho", "ma", "nhung", "cac", "moi",
    "vao", "nao", "dang", "dan", "huong", "lap",
))
_STOP_PAIRS = {("phu", "trach"), ("bao", "cao"), ("to", "chuc"), ("lam", "viec"), ("van", "dong"), ("tham", "gia"),
               ("chiu", "trach"), ("thu", "ky"), ("chu", "tri"), ("lap", "danh"), ("ket", "luan"), ("tong", "hop")}
_GIVEN_STOP = _STOP_WORDS | {"bi", "chu", "tri", "nay", "ay", "kia", "ban", "anh", "em", "ta", "ca", "tat"}


@dataclass(frozen=True)
class Ref:
    """A person named in a line: span of the whole reference, the name as written, and a title written with it."""

    start: int
    end: int
    name: str
    title: str = ""
    marker: str = "comrade"  # comrade | kin | title | bare

    @property
    def full(self) -> bool:
        """Two words or more: a full name rather than a given name."""
        return len(self.name.split()) >= 2


def title_case(name: str) -> str:
    """A name typed in lower case, capitalised word by word ("nguyen duc thang" → "Nguyen Duc Thang")."""
    return " ".join(w[:1].upper() + w[1:] for w in name.split()) if name == name.lower() else name


def title_at(key: str, pos: int) -> re.Match[str] | None:
    """A title or rank starting at ``pos`` of the folded key."""
    return _TITLE_RE.match(key, pos)


def title_label(text: str) -> str:
    """A title as the minutes write it: abbreviations spelt out ("BT" → "Bí thư"), first letter capital."""
    text = text.strip(" ,.;:-–()")
    text = _TITLE_NAMES.get(fold(text), text)
    text = re.sub(r"(?i)^phó\s+bt$|^pho\s+bt$", "Phó Bí thư", text)
    return text[:1].upper() + text[1:] if text else ""


def read_name(text: str, key: str, pos: int, *, lower: bool = False) -> tuple[int, int] | None:
    """The span of a name starting at ``pos`` (after spaces), capitalised or, with ``lower``, typed in lower case."""
    while pos < len(text) and text[pos] in " \t":
        pos += 1
    first = _WORD_RE.match(text, pos)
    if not first:
        return None
    word = first.group(0)
    if word[:1].isupper():
        end, count = pos, 0
        m: re.Match[str] | None = first
        while m and count < 5:
            w = m.group(0)
            if not w[:1].isupper():
                break
            if len(w) >= 2 and w.isupper():
                if count:
                    break
                return None  # "ĐV", "BT": an abbreviation, not a name
            if count and _TITLE_RE.match(key, m.start()):
                break  # "Nguyễn Văn Hùng Bí thư"
            end, count = m.end(), count + 1
            nxt = m.end()
            m = _WORD_RE.match(text, nxt + 1) if nxt < len(text) and text[nxt] == " " else None
        return (pos, end) if count else None
    if not lower:
        return None
    words: list[re.Match[str]] = []
    m = first
    while m and len(words) < 4:
        k = key[m.start():m.end()]
        if words:
            if k in _STOP_WORDS or (fold(words[-1].group(0)), k) in _STOP_PAIRS:
                break
            nxt_word = _WORD_RE.match(text, m.end() + 1) if m.end() < len(text) and text[m.end()] == " " else None
            if nxt_word and (k, key[nxt_word.start():nxt_word.end()]) in _STOP_PAIRS:
                break
        words.append(m)
        if m.end() < len(text) and text[m.end()] == " ":
            m = _WORD_RE.match(text, m.end() + 1)
            if m and not m.group(0).islower():
                break
        else:
            break
    head = key[first.start():first.end()]
    if len(words) >= 2 and head in SURNAMES:
        return pos, words[-1].end()
    after = _WORD_RE.match(text, first.end() + 1) if text[first.end():first.end() + 1] == " " else None
    if head in _GIVEN_STOP or len(head) < 2 or (after and (head, key[after.start():after.end()]) in _STOP_PAIRS):
        return None
    return pos, first.end()


def ref_at(line: NoteLine, pos: int, *, lower: bool = False, bare: bool = False) -> Ref | None:
    """A person reference starting at ``pos`` of ``line.text``: marker (or title), then a name."""
    text, key = line.text, line.key
    while pos < len(text) and text[pos] in " \t":
        pos += 1
    start = pos
    marker = ""
    m = _COMRADE_RE.match(key, pos)
    if m:
        marker, pos = "comrade", m.end()
    else:
        k = _KIN_RE.match(text, pos)
        if k and not (k.group(0).lower() == "chi" and _next_key(key, k.end()) in _NOT_AFTER_CHI):
            marker, pos = "kin", k.end()
    title = ""
    t = title_at(key, _skip(text, pos))
    if t and (marker or _title_written(text, t)):
        title, pos = text[t.start():t.end()], t.end()
        marker = marker or "title"
    span = read_name(text, key, pos, lower=lower and marker == "comrade")
    if span is None:
        if marker == "comrade" and title:
            return Ref(start, pos, title_label(title), "", "role")  # "đồng chí Bí thư"
        return None
    if not marker:
        if not bare:
            return None
        marker = "bare"
    if marker == "kin" and not text[span[0]:span[1]][:1].isupper():
        return None
    words = text[span[0]:span[1]].split()
    loose = marker in ("title", "bare")  # no "đồng chí" before it: a body's name is likelier
    if words[0] in _INSTITUTIONS or (loose and words[0] == "Ban") or \
            (loose and len(words) < 2 and not (title and fold(title) in _RANKS)):
        return None
    name = title_case(text[span[0]:span[1]])
    return Ref(start, span[1], name, title_label(title) if title else "", marker)


def _skip(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t":
        pos += 1
    return pos


def _next_key(key: str, pos: int) -> str:
    m = re.match(r"\s*([a-z']+)", key[pos:])
    return m.group(1) if m else ""


def _title_written(text: str, m: re.Match[str]) -> bool:
    """A title standing alone before a name must look like one: capitalised ("Bí thư X") or an abbreviation."""
    word = text[m.start():m.end()]
    return word[:1].isupper()


def find_refs(line: NoteLine, *, lower: bool = False) -> list[Ref]:
    """Every person reference of ``line`` introduced by a marker or a title, left to right, not overlapping."""
    out: list[Ref] = []
    pos = 0
    text, key = line.text, line.key
    while pos < len(text):
        if (pos == 0 or not (text[pos - 1].isalnum() or text[pos - 1] in "/'")) and \
                (ref := ref_at(line, pos, lower=lower)) is not None and ref.marker != "role":
            if ref.marker == "kin" and pos > 0 and _previous_capitalised(text, pos):
                pos += 1
                continue
            if ref.marker == "title" and not _TITLE_RE.match(key, pos):
                pos += 1
                continue
            out.append(ref)
            pos = ref.end
            continue
        pos += 1
    return out


def _previous_capitalised(text: str, pos: int) -> bool:
    """Whether the word before ``pos`` is capitalised (so "Anh" there is part of a name: "Mai Anh")."""
    m = re.search(r"([^\W\d_]+)\s+$", text[:pos])
    return bool(m and m.group(1)[:1].isupper())


class Roster:
    """Full names written in the notes, by folded form; resolves given names to them."""

    def __init__(self) -> None:
        self.names: dict[str, str] = {}

    def add(self, name: str) -> None:
        """Remember a full name (two words or more), preferring a spelling with diacritics and capitals."""
        name = " ".join(name.split())
        if len(name.split()) < 2:
            return
        key = fold(name)
        old = self.names.get(key)
        if old is None or _better(name, old):
            self.names[key] = name

    def resolve(self, name: str) -> str:
        """The full name ``name`` stands for, or ``name`` itself (capitalised) when it is not unique."""
        name = title_case(" ".join(name.split()))
        words = fold(name).split()
        if not words:
            return name
        n = len(words)
        longer = [full for key, full in self.names.items()
                  if len(key.split()) > n and (key.split()[-n:] == words or
                                               (key.split()[:n] == words and (words[0] == "y" or
                                                                             words[0].startswith("h'"))))]
        if len(longer) == 1:
            return longer[0]
        return self.names.get(fold(name), name)


def _better(new: str, old: str) -> bool:
    diacritics_new, diacritics_old = fold(new) != new.lower(), fold(old) != old.lower()
    if diacritics_new != diacritics_old:
        return diacritics_new
    return old == old.lower() and new != new.lower()
