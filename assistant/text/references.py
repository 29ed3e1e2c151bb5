"""Document numbers and citations in Vietnamese Party and state texts.

People write the same number many ways ("Số 57-NQ/TW", "57 - NQ/TW", "NQ 57",
"nghi quyet 57", "339/QĐ-TW") and cite units smallest first or the other way
round ("điểm a khoản 2 Điều 5", "Điều 5, khoản 2"). Everything here matches on
a *folded* copy of the text (lower case, no diacritics, ``đ`` -> ``d``) that
has exactly one character per character of the NFC text, so a span found in
the folded copy is also the span of the original spelling. Spans always index
the NFC form of the input.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Protocol

from assistant.text.vietnamese import has_diacritics, nfc

# Vietnamese points run a b c d đ e g h i k ... (no f, j, w, z).
POINT_LETTERS: tuple[str, ...] = tuple("abcdđeghiklmnopqrstuvxy")

# Party type symbols (Hướng dẫn 36-HD/VPTW) and the state's common ones. "QĐ"
# is both quy định and quyết định: the title word decides (see type_name_for).
TYPE_CODES: dict[str, str] = {
    "NQ": "nghị quyết",
    "CT": "chỉ thị",
    "QĐ": "quy định",
    "KL": "kết luận",
    "HD": "hướng dẫn",
    "KH": "kế hoạch",
    "BC": "báo cáo",
    "TB": "thông báo",
    "BB": "biên bản",
    "CV": "công văn",
    "TTr": "tờ trình",
    "QC": "quy chế",
    "CTr": "chương trình",
    "ĐA": "đề án",
    "BS": "bản sao",
    "TT": "thông tri",  # Party "05-TT/TW"; a state "01/2021/TT-BNV" is a thông tư
    "NĐ": "nghị định",
    "TTLT": "thông tư liên tịch",
    "PL": "pháp lệnh",
}
QD_NAMES: tuple[str, str] = ("quy định", "quyết định")

# Type name -> code. Laws, codes and the constitution carry no type symbol in
# their number ("58/2010/QH12"), hence the empty codes.
TYPE_NAMES: dict[str, str] = {
    "nghị quyết": "NQ",
    "chỉ thị": "CT",
    "quy định": "QĐ",
    "quyết định": "QĐ",
    "kết luận": "KL",
    "hướng dẫn": "HD",
    "kế hoạch": "KH",
    "báo cáo": "BC",
    "thông báo": "TB",
    "biên bản": "BB",
    "công văn": "CV",
    "tờ trình": "TTr",
    "quy chế": "QC",
    "chương trình": "CTr",
    "đề án": "ĐA",
    "thông tri": "TT",
    "nghị định": "NĐ",
    "thông tư liên tịch": "TTLT",
    "thông tư": "TT",
    "pháp lệnh": "PL",
    "luật": "",
    "bộ luật": "",
    "hiến pháp": "",
}
STATE_TYPES: frozenset[str] = frozenset({"luật", "bộ luật", "hiến pháp", "nghị định", "thông tư",
                                         "thông tư liên tịch", "pháp lệnh"})

# Symbols as typed without diacritics or in odd case -> canonical spelling.
_CODE_FIXES = {"qd": "QĐ", "nd": "NĐ", "da": "ĐA", "ttr": "TTr", "ctr": "CTr", "qyd": "QyĐ"}
_ISSUER_FIXES = {"du": "ĐU", "duk": "ĐUK", "thu": "ThU", "ttg": "TTg", "bcsd": "BCSĐ", "hdnd": "HĐND"}
PARTY_ISSUERS: frozenset[str] = frozenset({"TW", "VPTW", "BTCTW", "UBKTTW", "BTGTW", "BTGDVTW", "BDVTW", "BNCTW",
                                           "TU", "ThU", "HU", "QU", "ĐU", "ĐUK", "CB", "BCSĐ"})


@lru_cache(maxsize=8192)
def _fold_char(ch: str) -> str:
    low = ch.lower()
    if len(low) != 1:  # "İ".lower() has two characters: keep the length
        low = ch
    if low == "đ":
        return "d"
    base = unicodedata.normalize("NFD", low)[0]
    return low if unicodedata.combining(base) else base


def fold(text: str) -> str:
    """Lower case, accent-free, one character per input character (spans carry over)."""
    return "".join(map(_fold_char, text))


def type_name_for(code: str, style: str = "party") -> str:
    """Vietnamese type name for a symbol; "TT" is thông tư in state numbers."""
    if style == "state" and code == "TT":
        return "thông tư"
    if style == "state" and code == "QĐ":
        return "quyết định"  # the state writes its quy định as "QyĐ"
    return TYPE_CODES.get(code, "")


def _canon_code(raw: str) -> str:
    key = fold(raw).replace(" ", "")
    if key in _CODE_FIXES:
        return _CODE_FIXES[key]
    upper = raw.replace(" ", "").upper()
    for code in TYPE_CODES:
        if code.upper() == upper:
            return code
    return upper


def _canon_issuer(raw: str) -> str:
    raw = re.sub(r"\s+", "", raw)
    parts = [p for p in re.split(r"[-–]", raw) if p]
    return "-".join(_ISSUER_FIXES.get(fold(p), p.upper()) for p in parts)


@dataclass(frozen=True)
class DocNumber:
    """A document number split into its parts.

    ``style`` is "party" ("57-NQ/TW": number-code/issuer) or "state"
    ("12/2025/NĐ-CP": number/year/code-issuer, "58/2010/QH12" for laws).
    ``type_name`` is the word the text used ("quyết định"), when it said one.
    """

    number: str
    type_code: str = ""
    issuer: str = ""
    style: str = "party"
    type_name: str = field(default="", compare=False)

    @property
    def canonical(self) -> str:
        """The number as written officially: "57-NQ/TW", "45/2019/QH14"."""
        if self.style == "state":
            tail = "-".join(p for p in (self.type_code, self.issuer) if p)
            return f"{self.number}/{tail}" if tail else self.number
        head = f"{self.number}-{self.type_code}" if self.type_code else self.number
        return f"{head}/{self.issuer}" if self.issuer else head

    @property
    def doc_type(self) -> str:
        """The type name ("quy định"), from the title word or the type code."""
        return self.type_name or type_name_for(self.type_code, self.style)

    @property
    def label(self) -> str:
        """"Quy định 339-QĐ/TW"."""
        name = self.doc_type
        return f"{name[:1].upper()}{name[1:]} {self.canonical}" if name else self.canonical

    def matches(self, other: DocNumber | str) -> bool:
        """Same document, tolerating a missing issuer and zero padding ("5" == "05")."""
        if isinstance(other, str):
            parsed = normalize_number(other)
            if parsed is None:
                return False
            other = parsed
        if _num_key(self.number) != _num_key(other.number):
            return False
        if self.type_code and other.type_code and fold(self.type_code) != fold(other.type_code):
            return False
        return not (self.issuer and other.issuer and fold(self.issuer) != fold(other.issuer))

    def __str__(self) -> str:
        return self.canonical


def _num_key(number: str) -> str:
    return "/".join(p.lstrip("0") or "0" for p in number.split("/"))


# -- patterns over folded text ---------------------------------------------
_WORDS = {
    "nghi quyet": "nghị quyết", "chi thi": "chỉ thị", "quy dinh": "quy định", "quyet dinh": "quyết định",
    "ket luan": "kết luận", "huong dan": "hướng dẫn", "ke hoach": "kế hoạch", "bao cao": "báo cáo",
    "thong bao": "thông báo", "bien ban": "biên bản", "cong van": "công văn", "to trinh": "tờ trình",
    "quy che": "quy chế", "chuong trinh": "chương trình", "de an": "đề án", "thong tri": "thông tri",
    "nghi dinh": "nghị định", "thong tu lien tich": "thông tư liên tịch", "thong tu": "thông tư",
    "phap lenh": "pháp lệnh", "bo luat": "bộ luật", "luat": "luật", "hien phap": "hiến pháp",
}
# Longest first so "thong tu lien tich" wins over "thong tu", "bo luat" over "luat".
_WORD_ALT = "|".join(sorted((w.replace(" ", r"\s+") for w in _WORDS), key=len, reverse=True))
_BARE_WORD_ALT = "|".join(sorted((w.replace(" ", r"\s+") for w, n in _WORDS.items() if TYPE_NAMES[n]),
                                 key=len, reverse=True))
_BARE_CODES = "nq|ct|qd|kl|hd|kh|bc|tb|bb|cv|ttr|qc|ctr|nd"
_DASH = r"[-‐–—]"
_LB = r"(?<![a-z0-9])"
_RB = r"(?![a-z0-9])"
_PARTY = (rf"(?P<pn>\d{{1,4}})\s*(?:{_DASH}\s*)?(?P<pc>[a-z]{{1,4}})\s*/\s*"
          rf"(?P<pi>[a-z][a-z0-9]{{0,9}}){_RB}")
_STATE = (rf"(?P<sn>\d{{1,5}})\s*/\s*(?:(?P<sy>(?:19|20)\d\d)\s*/\s*)?(?P<sc>[a-z]{{1,8}}\d{{0,2}})"
          rf"(?:\s*{_DASH}\s*(?P<si>[a-z][a-z0-9]{{0,11}}(?:\s*{_DASH}\s*[a-z][a-z0-9]{{0,11}})*))?{_RB}")
_FULL_RE = re.compile(rf"{_LB}(?:(?P<w>{_WORD_ALT})\s+(?:so\s*[:.]?\s*)?)?(?:{_PARTY}|{_STATE})")
# A bare "Nghị quyết 57": not a quantity ("kế hoạch 5 năm", "báo cáo 6 tháng").
_UNITS = (r"nam|thang|ngay|tuan|gio|phut|%|phan tram|nguoi|lan|dang vien|ty|trieu|nghin|ngan|km|ha"
          r"|tan|kg|noi dung|van ban|buoc|nhiem vu|giai doan|chi bo|dong chi")
_BARE_RE = re.compile(
    rf"{_LB}(?P<bw>{_BARE_WORD_ALT}|{_BARE_CODES})[ \t]*(?:(?P<so>so)[ \t]*[:.]?[ \t]*)?(?P<bn>\d{{1,4}})"
    rf"(?![\d])(?![.,/]\d)(?!\s*{_DASH}\s*[a-z])(?P<unit>\s*(?:{_UNITS}){_RB})?"
)


def _from_full(m: re.Match[str], original: str) -> DocNumber | None:
    word = _WORDS.get(re.sub(r"\s+", " ", m.group("w"))) if m.group("w") else None
    if m.group("pn"):
        code = _canon_code(original[m.start("pc"):m.end("pc")])
        if not re.search(_DASH, m.string[m.end("pn"):m.start("pc")]) and code not in TYPE_CODES:
            return None  # "5 km/h", "2 lần/tuần": without the hyphen only a known symbol will do
        issuer = _canon_issuer(original[m.start("pi"):m.end("pi")])
        return DocNumber(m.group("pn"), code, issuer, "party", word or "")
    raw_code = original[m.start("sc"):m.end("sc")]
    if m.group("si"):
        code = _canon_code(raw_code)
        issuer = _canon_issuer(original[m.start("si"):m.end("si")])
    elif m.group("sy"):
        code, issuer = "", _canon_issuer(raw_code)  # "58/2010/QH12": no type symbol
    else:
        return None  # "10/CP" alone is too weak; dates never reach here (letters required)
    number = f"{m.group('sn')}/{m.group('sy')}" if m.group("sy") else m.group("sn")
    if not m.group("sy") and issuer in PARTY_ISSUERS:
        # "339/QĐ-TW" is a Party number written state-style.
        return DocNumber(number, code, issuer, "party", word or "")
    return DocNumber(number, code, issuer, "state", word or "")


def _from_bare(m: re.Match[str], original: str, strict: bool) -> DocNumber | None:
    if m.group("unit") and not m.group("so"):
        return None
    if strict and not m.group("so") and not original[m.start()].isupper():
        return None  # running text: "hoặc thông báo 1 lần" names no document
    key = re.sub(r"\s+", " ", m.group("bw"))
    if key in _WORDS:
        name = _WORDS[key]
        return DocNumber(m.group("bn"), TYPE_NAMES[name], "", "party", name)
    return DocNumber(m.group("bn"), _canon_code(key), "", "party")


def find_numbers(text: str, *, strict: bool = False) -> list[tuple[tuple[int, int], DocNumber]]:
    """Every document number in ``text`` with its span (over the NFC text).

    A type word in front ("Nghị quyết số 57-NQ/TW") is part of the span.
    ``strict`` (for document bodies rather than typed questions): a number
    without its symbol counts only after a capitalised type word or "số"
    ("Nghị quyết 57", "nghị quyết số 57", not "thông báo 1").
    """
    text = nfc(text)
    folded = fold(text)
    found: list[tuple[tuple[int, int], DocNumber]] = []
    for m in _FULL_RE.finditer(folded):
        doc = _from_full(m, text)
        if doc is not None:
            found.append(((m.start(), m.end()), doc))
    taken = [span for span, _ in found]
    for m in _BARE_RE.finditer(folded):
        end = m.end("bn")
        if any(s < end and m.start() < e for s, e in taken):
            continue
        doc = _from_bare(m, text, strict)
        if doc is not None:
            found.append(((m.start(), end), doc))
    found.sort(key=lambda item: item[0])
    return found


def normalize_number(text: str) -> DocNumber | None:
    """Parse one document number written any usual way; None when there is none."""
    found = find_numbers(text.strip())
    return found[0][1] if found else None


# -- citations -------------------------------------------------------------
@dataclass(frozen=True)
class CitationRef:
    """A reference to a document and optionally an article / clause / point in it."""

    doc: DocNumber | None = None
    doc_name: str = ""  # "Luật Viên chức" when the document is named by title
    article: str = ""
    clause: str = ""
    point: str = ""
    span: tuple[int, int] = field(default=(0, 0), compare=False)

    @property
    def doc_label(self) -> str:
        """The cited document's name or number, or empty."""
        return self.doc_name or (self.doc.label if self.doc else "")

    def format(self) -> str:
        """The citation as words: "khoản 2 Điều 5 Quy định 339-QĐ/TW"."""
        return format_citation(self.article, self.clause, self.point, self.doc_label)


_PT = r"(?:[a-z](?![a-z0-9.])|\d+(?:\.\d+)+(?![\d]))"
_CL = r"\d+(?:\.\d+)*(?![\d])"
_LIST_SEP = r"\s*(?:,|\bva\b|\bhoac\b)\s*"
_POINTS = rf"(?:cac\s+)?diem\s+(?P<p>{_PT}(?:{_LIST_SEP}(?:diem\s+)?{_PT})*)"
_CLAUSES = rf"(?:cac\s+)?khoan\s+(?P<c>{_CL}(?:{_LIST_SEP}(?:khoan\s+)?{_CL})*)"
_LINK = r"\s*,?\s*(?:(?:cua|thuoc|tai)\s+)?"
_ARTICLE_RE = re.compile(rf"{_LB}dieu\s+(?P<a>\d{{1,4}}[a-z]?){_RB}")
_PREFIX_RE = re.compile(rf"{_LB}(?:{_POINTS}{_LINK})?(?:{_CLAUSES}{_LINK})?\Z")
_SUFFIX_C_RE = re.compile(rf"\s*,?\s*{_CLAUSES}")
_SUFFIX_P_RE = re.compile(rf"\s*,?\s*{_POINTS}")
_NEXT_ARTICLE_RE = re.compile(rf"{_LINK}dieu\s+\d")
_DOC_LINK_RE = re.compile(r"\s*,?\s*(?:(?:cua|thuoc|tai|theo)\s+)?")
_ITEM_RE = re.compile(r"(?<![a-z0-9.])(?:[a-z](?![a-z0-9.])|\d+(?:\.\d+)*)")

# Named documents. The name runs until a word that cannot be part of a title.
_NAME_HEAD_RE = re.compile(rf"{_LB}(?P<h>bo\s+luat|luat|phap\s+lenh|hien\s+phap|dieu\s+le\s+dang){_RB}")
_STOP_TEXT = (
    "thì khi là có được không đúng sai quy số năm của về đối trong nếu mà phải bị cho với do như hay hoặc tại "
    "theo thuộc điều khoản điểm này nhưng để ở sẽ đã cần gì nào thế sau trước mới các hiện ngày tháng đang vẫn "
    "chỉ cũng gồm bao nêu ghi nói đó đây những một ai sửa ban khác nhau giữa so ra rằng bằng từ đến tới qua "
    "hết"
)
_STOP_WORDS = frozenset(_STOP_TEXT.split())
# Typed without accents "thi" may be "thì": only then does it end a name.
_ASCII_STOP_WORDS = frozenset(fold(w) for w in _STOP_WORDS) - {"hien", "dang", "ban"}
_NOT_A_NAME = frozenset({"sư", "pháp", "lệ", "khác", "này", "đó", "chung", "học", "gia", "định", "sửa"})
_CONNECTORS = frozenset({"và", "va", ","})
_PROPER = {"việt nam": "Việt Nam", "tổ quốc": "Tổ quốc", "nhà nước": "Nhà nước"}


def law_title(text: str) -> str:
    """Sentence-case a law's name: "LUẬT VIÊN CHỨC" -> "Luật Viên chức", "bộ luật dân sự" -> "Bộ luật Dân sự"."""
    words = nfc(text).split()
    if not words:
        return ""
    low = [w.lower() for w in words]
    head = 1
    if len(low) > 1 and (low[:2] in (["bộ", "luật"], ["hiến", "pháp"], ["pháp", "lệnh"])):
        head = 2
    elif low[:3] == ["điều", "lệ", "đảng"]:
        return "Điều lệ Đảng"
    parts = [low[0].capitalize(), *low[1:head]]
    rest = low[head:]
    if rest:
        rest[0] = rest[0].capitalize()
    out = " ".join(parts + rest)
    for key, value in _PROPER.items():
        out = re.sub(rf"(?<=\s){key}\b", value, out)
    return out


@dataclass(frozen=True)
class _Source:
    """A text prepared once for matching: NFC, folded copy, catalogue titles."""

    text: str
    folded: str
    known: tuple[tuple[str, str], ...]  # (folded title, title), longest first
    accented: bool

    @classmethod
    def of(cls, text: str, known_titles: Iterable[str] = ()) -> _Source:
        text = nfc(text)
        known = sorted(((fold(t).strip(), nfc(t).strip()) for t in known_titles if t.strip()),
                       key=lambda kt: len(kt[0]), reverse=True)
        return cls(text, fold(text), tuple(known), has_diacritics(text))


def _law_name_at(src: _Source, m: re.Match[str]) -> tuple[str, int] | None:
    """The law named at ``m`` and where its name ends, or None ("Luật này", "luật sư")."""
    text, folded = src.text, src.folded
    start = m.start()
    for key, title in src.known:  # longest catalogue title first
        end = start + len(key)
        if folded.startswith(key, start) and (end == len(folded) or not folded[end].isalnum()):
            return title, end
    head = re.sub(r"\s+", " ", m.group("h"))
    if head in ("hien phap", "dieu le dang"):
        return law_title(text[start:m.end()]), m.end()
    if src.accented and text[start].islower():
        return None  # "áp dụng luật quốc tế", "luật áp dụng": a named law is written "Luật ..."
    stops = _STOP_WORDS if src.accented else _ASCII_STOP_WORDS
    words: list[tuple[str, int]] = []
    for w in re.finditer(r"[^\W\d_]+|,", text[m.end():m.end() + 120]):
        word = w.group(0).lower()
        between = text[m.end() + (words[-1][1] if words else 0):m.end() + w.start()]
        if any(ch in between for ch in ".;:?!()\"“”\n") or any(ch.isdigit() for ch in between):
            break
        if word == "," and not re.match(r",\s*chống\b", text[m.end() + w.start():].lower()):
            break
        if not words and word in _NOT_A_NAME:
            return None
        if word in stops or word in ("luật", "luat") or len(words) >= 8:  # "... và Luật Viên chức"
            break
        words.append((word, w.end()))
    while words and words[-1][0] in _CONNECTORS:
        words.pop()
    if not words:
        return None
    end = m.end() + words[-1][1]
    return law_title(text[start:end]), end


def _expand(items: str | None, original: str, offset: int) -> list[str]:
    if not items:
        return []
    # Letters come from the original so "đ" is not read as "d".
    return [original[offset + i.start():offset + i.end()].lower() for i in _ITEM_RE.finditer(items)
            if not re.fullmatch(r"va|hoac|cac|diem|khoan", i.group(0))]


def _doc_after(src: _Source, pos: int,
               numbers: dict[int, tuple[int, DocNumber]]) -> tuple[DocNumber | None, str, int]:
    folded = src.folded
    link = _DOC_LINK_RE.match(folded, pos)
    at = link.end() if link else pos
    if at in numbers:
        end, doc = numbers[at]
        return doc, "", end
    head = _NAME_HEAD_RE.match(folded, at)
    if head:
        named = _law_name_at(src, head)
        if named:
            return None, named[0], named[1]
    return None, "", pos


def parse_citation(text: str, known_titles: Iterable[str] = ()) -> list[CitationRef]:
    """Every article citation in ``text``: "điểm a khoản 2 Điều 5 Quy định 339-QĐ/TW", "Điều 5, khoản 2",
    "dieu 5 khoan 2 quy dinh 339", "Điều 4 Luật Viên chức", "điểm 9.3.2, Điều 9".

    A list ("các khoản 1, 2 và 3 Điều 7") gives one reference per item. ``known_titles`` (e.g. the
    catalogue's law titles) lets a named law be matched exactly instead of by heuristics.
    """
    return _citations(_Source.of(text, known_titles))


def _citations(src: _Source) -> list[CitationRef]:
    text, folded = src.text, src.folded
    numbers = {span[0]: (span[1], doc) for span, doc in find_numbers(text)}
    refs: list[CitationRef] = []
    prev_end = 0
    for am in _ARTICLE_RE.finditer(folded):
        if am.start() < prev_end:
            continue
        window_start = max(prev_end, am.start() - 200)
        pre = _PREFIX_RE.search(folded, window_start, am.start())
        points: list[str] = []
        clauses: list[str] = []
        start = am.start()
        if pre and pre.end() > pre.start():
            points = _expand(pre.group("p"), text, pre.start("p")) if pre.group("p") else []
            clauses = _expand(pre.group("c"), text, pre.start("c")) if pre.group("c") else []
            start = pre.start()
        end = am.end()
        if not points and not clauses:
            # Reverse order: "Điều 5, khoản 2, điểm a" — unless the clause belongs to the next article.
            cm = _SUFFIX_C_RE.match(folded, end)
            if cm and not _NEXT_ARTICLE_RE.match(folded, cm.end()):
                clauses = _expand(cm.group("c"), text, cm.start("c"))
                end = cm.end()
            pm = _SUFFIX_P_RE.match(folded, end)
            if pm and not _NEXT_ARTICLE_RE.match(folded, pm.end()):
                points = _expand(pm.group("p"), text, pm.start("p"))
                end = pm.end()
        doc, name, doc_end = _doc_after(src, end, numbers)
        if doc is not None or name:
            end = doc_end
        article = text[am.start("a"):am.end("a")].lower()
        for clause, point in _combine(clauses, points):
            if not clause and point.count(".") >= 2:
                clause = point.rsplit(".", 1)[0]  # "điểm 9.3.2" sits in clause "9.3"
            refs.append(CitationRef(doc, name, article, clause, point, (start, end)))
        prev_end = end
    return refs


def _combine(clauses: list[str], points: list[str]) -> list[tuple[str, str]]:
    if points:
        clause = clauses[0] if clauses else ""
        return [(clause, p) for p in points]
    if clauses:
        return [(c, "") for c in clauses]
    return [("", "")]


def parse_query_refs(question: str, known_titles: Iterable[str] = ()) -> list[CitationRef]:
    """References in a user's question, to steer retrieval.

    Article citations first (as :func:`parse_citation`), then documents named
    without an article: by number ("Nghị quyết 57") or by title ("theo Luật
    Viên chức", "Bộ luật dân sự" -> "Bộ luật Dân sự", or the matching entry of
    ``known_titles``). "Luật này" and generic "luật" name nothing.
    """
    src = _Source.of(question, known_titles)
    text, folded = src.text, src.folded
    refs = _citations(src)
    covered = [r.span for r in refs]

    def free(start: int) -> bool:
        return not any(s <= start < e for s, e in covered)

    extra: list[tuple[int, CitationRef]] = []
    for (start, end), doc in find_numbers(text):
        if free(start):
            extra.append((start, CitationRef(doc=doc, span=(start, end))))
    for head in _NAME_HEAD_RE.finditer(folded):
        if not free(head.start()) or any(s <= head.start() < e for _, r in extra for s, e in [r.span]):
            continue
        named = _law_name_at(src, head)
        if named:
            extra.append((head.start(), CitationRef(doc_name=named[0], span=(head.start(), named[1]))))
    seen = {(r.doc, r.doc_name) for r in refs}
    for _, ref in sorted(extra, key=lambda item: item[0]):
        if (ref.doc, ref.doc_name) not in seen:
            seen.add((ref.doc, ref.doc_name))
            refs.append(ref)
    return refs


def format_citation(article: str = "", clause: str = "", point: str = "", doc_label: str = "", *,
                    section: str = "", has_articles: bool = True) -> str:
    """"điểm a khoản 2 Điều 5 Quy định 339-QĐ/TW", smallest unit first, only the parts given.

    A Party decimal point already names its clause ("điểm 9.3.2 Điều 9"), so the
    clause is not repeated; a decimal clause on its own is a "điểm" ("điểm 9.3").
    Documents without "Điều" are cited by item ("mục 1.1") or section ("phần II").
    """
    parts: list[str] = []
    if point:
        parts.append(f"điểm {point}")
    if clause and not (point and point.startswith(f"{clause}.")):
        parts.append(f"khoản {clause}" if has_articles and "." not in clause else f"điểm {clause}")
    if article:
        parts.append(f"Điều {article}" if has_articles else f"mục {article}")
    elif section:
        parts.append(f"phần {section}")
    if doc_label:
        parts.append(doc_label)
    return " ".join(parts)


def next_point_letter(letter: str) -> str:
    """The letter after ``letter`` in Vietnamese point order ("d" -> "đ"), "" after "y"."""
    try:
        index = POINT_LETTERS.index(letter)
    except ValueError:
        return ""
    return POINT_LETTERS[index + 1] if index + 1 < len(POINT_LETTERS) else ""


# Laws are named by title ("Luật Viên chức"), Party texts by type + number.
TITLE_NAMED_TYPES = {"luật", "bộ luật", "hiến pháp", "pháp lệnh"}


class LabelledDocument(Protocol):
    """The fields of a document that name it in a citation (``records.DocumentMeta`` has them)."""

    doc_id: str
    title: str
    number: str
    doc_type: str


def document_label(meta: LabelledDocument) -> str:
    """"Quy định 339-QĐ/TW", "Luật Viên chức", or the title / id as a fallback."""
    doc_type = (meta.doc_type or "").strip().lower()
    if doc_type in TITLE_NAMED_TYPES and meta.title:
        return meta.title
    if meta.number:
        return f"{doc_type[:1].upper() + doc_type[1:]} {meta.number}".strip() if doc_type else meta.number
    return meta.title or meta.doc_id


# -- issuing bodies (drafting: bulletins read them aloud) --------------------
# Issuer symbol of a number ("57-NQ/TW", "123/2020/NĐ-CP") -> the body as it is read and written in text.
ISSUER_NAMES: dict[str, str] = {
    "TW": "Trung ương", "VPTW": "Văn phòng Trung ương", "BTCTW": "Ban Tổ chức Trung ương",
    "BTGTW": "Ban Tuyên giáo Trung ương", "BTGDVTW": "Ban Tuyên giáo và Dân vận Trung ương",
    "UBKTTW": "Ủy ban Kiểm tra Trung ương", "BDVTW": "Ban Dân vận Trung ương", "BCT": "Bộ Chính trị",
    "TU": "Tỉnh ủy", "ĐU": "Đảng ủy", "ĐUX": "Đảng ủy xã", "CB": "Chi bộ", "CP": "Chính phủ",
    "TTg": "Thủ tướng Chính phủ", "UBND": "Ủy ban nhân dân", "QH": "Quốc hội",
}
