"""Named bodies and people in a sentence, and which of them its passages give.

A sentence may name the body that issued the document it cites (a chi bộ's report speaks for the chi bộ) and
the body a committee belongs to (a chi ủy is its chi bộ's); any other body or proper name must be in the cited
passages.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.text.references import find_numbers, fold, parse_citation
from assistant.text.vietnamese import nfc

# -- named bodies ----------------------------------------------------------------
BODIES: tuple[str, ...] = tuple(sorted({
    "bo chinh tri", "ban bi thu", "ban chap hanh trung uong", "trung uong", "van phong trung uong",
    "ban to chuc trung uong", "uy ban kiem tra trung uong", "uy ban kiem tra", "ban tuyen giao trung uong",
    "ban tuyen giao", "ban dan van", "ban noi chinh", "ban thuong vu", "ban chap hanh", "chinh phu",
    "quoc hoi", "thu tuong", "chu tich nuoc", "bo cong an", "bo noi vu", "bo quoc phong", "bo tai chinh",
    "bo thong tin va truyen thong", "bo khoa hoc va cong nghe", "bo giao duc va dao tao", "bo tu phap",
    "uy ban nhan dan", "hoi dong nhan dan", "mat tran to quoc", "doan thanh nien", "cong doan",
    "hoi lien hiep phu nu", "hoi phu nu", "hoi cuu chien binh", "hoi nong dan", "dang uy", "cap uy", "chi uy",
    "chi bo", "tinh uy", "thanh uy", "dang bo", "toa an", "vien kiem sat", "kiem toan nha nuoc",
    "ban to chuc", "uy ban kiem tra dang uy", "van phong dang uy", "tong bi thu", "bi thu",
    "cong an", "quan doi", "kho bac", "ngan hang", "buu dien", "ban chi dao", "to cong tac", "doan kiem tra",
    "ban quan ly", "hoi dong thi dua", "ban nhan dan", "to hoa giai", "ban cong tac mat tran", "chi doan",
    "chi hoi", "truong ap", "truong thon", "co quan",
}, key=len, reverse=True))
_BODY_RE = re.compile(r"(?<![a-z])(" + "|".join(re.escape(b) for b in BODIES) + r")(?![a-z])")


# Bodies every cell text speaks of: naming them adds no checkable fact.
GENERIC_BODIES = frozenset({"chi bo", "dang bo", "cap uy", "chi uy", "dang uy", "bi thu", "ban chap hanh"})


def bodies(text: str) -> list[str]:
    """Named bodies in ``text`` (folded), longest match first: "ban chap hanh trung uong", "chi bo"."""
    return [m.group(1) for m in _BODY_RE.finditer(fold(nfc(text)))]


def proper_names(text: str) -> list[str]:
    """Runs of two or more capitalised words not opening the sentence ("An Giang", "Hồ Chí Minh"), folded."""
    words = re.findall(r"[^\W\d_]+|[^\w\s]", nfc(text))
    out, run = [], []
    for i, word in enumerate(words + ["."]):
        if word[0].isupper() and i > 0:
            run.append(word)
            continue
        if len(run) >= 2:
            out.append(fold(" ".join(run)))
        run = []
    return out



# The body behind a Party document's issuer code: a chi bộ's report speaks for the chi bộ ("Chi bộ kiến nghị …"
# restating its "Đề nghị …"), a Party committee's notice for the committee.
_ISSUERS = {"cb": "chi bo", "du": "dang uy", "tw": "trung uong", "vptw": "van phong trung uong",
            "btctw": "ban to chuc trung uong", "ubkttw": "uy ban kiem tra trung uong", "tu": "tinh uy",
            "thu": "thanh uy", "hu": "huyen uy", "qu": "quan uy", "cu": "chi uy"}


# A committee's own body, which naming the committee names too: the chi ủy is the chi bộ's.
_OWNER = {"chi uy": "chi bo", "dang uy": "dang bo"}


def _issuer_bodies(citations: Sequence[str]) -> set[str]:
    """The bodies that issued the cited documents, folded."""
    return {_ISSUERS[fold(doc.issuer)] for c in citations for _, doc in find_numbers(c) if fold(doc.issuer) in _ISSUERS}


def missing_bodies(body: str, joined: str, citations: Sequence[str] = ()) -> list[str]:
    """Bodies and names the sentence gives that the passages (``joined``, folded, with their citations) and the
    issuers of the documents of ``citations`` do not."""
    mentioned = set(bodies(joined))
    implied = _issuer_bodies(citations) | {_OWNER[b] for b in mentioned if b in _OWNER}
    named = [b for b in dict.fromkeys(bodies(body)) if b not in implied]
    missing = [b for b in named if b not in joined and b not in GENERIC_BODIES]
    # A generic body ("đảng ủy") is wrong only when the passage names who acts and it is another one.
    if mentioned & GENERIC_BODIES:
        missing += [b for b in named if b in GENERIC_BODIES and b not in joined]
    return missing + [n for n in dict.fromkeys(proper_names(body)) if n not in joined]


_REPLACING = re.compile(r"(?<![^\W_])(?:thay thế|sửa đổi|bổ sung|bãi bỏ|hủy bỏ|huỷ bỏ|hết hiệu lực)(?![^\W_])")
_PASSAGE_PART = re.compile(r"\n|(?<=[.;])\s")


_ITSELF = re.compile(r"(?<![^\W_])(?:Quy định|Luật|Bộ luật|Nghị quyết|Quyết định|Chỉ thị|Hướng dẫn|Kế hoạch|Thông tư|"
                     r"Nghị định|Văn bản) này(?![^\W_])", re.IGNORECASE)


def _figures(text: str) -> set[str]:
    """Dates and figures of two digits or more (a lone "2" is as likely a list number)."""
    return {f for f in re.findall(r"\d+(?:[/.]\d+)*", text) if len(f) >= 2}


def misattributed_documents(sentence: str, cited: Sequence[tuple[str, str]]) -> list[str]:
    """Documents the sentence makes say what the cited passages (citation, text) say of another one: "Quy định
    338-QĐ/TW có hiệu lực … 01/01/2026" where the passage, of Quy định 372, says "Quy định này có hiệu lực …
    01/01/2026" and names 338 only in its next clause; and a document said to replace or amend itself."""
    found = find_numbers(sentence)
    names = [doc.canonical for _, doc in found]
    out = []
    repeated = [n for n in dict.fromkeys(names) if names.count(n) > 1]
    if repeated and _REPLACING.search(nfc(sentence).lower()):
        out.append(f"{repeated[0]} (chính nó)")
    own = {doc.canonical for c, _ in cited for _, doc in find_numbers(c)}
    spans = [span for span, _ in found] + [ref.span for ref in parse_citation(sentence)]
    rest = sentence
    for start, end in sorted(spans, reverse=True):  # overlapping cuts only blank more of a reference
        rest = rest[:start] + " " * (end - start) + rest[end:]
    figures = _figures(rest)
    if not figures:
        return out
    first_figure = min(m.start() for m in re.finditer(r"\d+(?:[/.]\d+)*", rest) if len(m.group(0)) >= 2)
    parts = [p for _, text in cited for p in _PASSAGE_PART.split(nfc(text)) if p.strip()]
    for (start, _), doc in found:
        if doc.canonical in own or start > first_figure:
            continue  # a document named after the figures is not what they are said of ("…, khi đó Luật số … hết hiệu lực")
        naming = [p for p in parts if any(d.canonical == doc.canonical for _, d in find_numbers(p))]
        # The clause with the sentence's figures speaks of the cited document itself ("Quy định này …").
        holding = [p for p in parts if figures <= _figures(p) and _ITSELF.search(p)]
        if naming and holding and not any(p in naming for p in holding):
            out.append(doc.canonical)
    return out


# A class a law names by a code: "nhãn K", "loại T13", "hạng A1", "nhóm B".
_CODE = re.compile(r"(?<![^\W_])(?:nhãn|loại|hạng|nhóm|mức)\s+([A-ZĐ][A-Z0-9]{0,3})(?![^\W_])")


def missing_codes(body: str, joined: str) -> list[str]:
    """Class codes the sentence names ("phim dán nhãn K") that no cited passage writes."""
    theirs = set(re.findall(r"[A-ZĐ][A-Z0-9]{0,3}", nfc(joined)))
    return [f"{m.group(0)}" for m in _CODE.finditer(nfc(body)) if m.group(1) not in theirs]
