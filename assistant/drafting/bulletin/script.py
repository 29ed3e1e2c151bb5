"""Audio bulletin script: greeting, one item per document, closing.

Each item says what the document is and who issued it, gives its key points
and what members should do. Without a model that writes Vietnamese, points are the
document's own sentences, chosen by simple cues and trimmed to the target
length, so the script is always correct. A model that writes Vietnamese may rewrite an item
into smoother speech; its text is kept only if every number in it comes from the item and every
sentence passes the sentence verifier against the item (:func:`verify_rewrite`), otherwise the
extractive item stays.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from assistant.drafting.bulletin.body import body_paragraphs, document_title, is_capitals, issuer_of
from assistant.drafting.bulletin.speech import count_words, normalize_for_speech
from assistant.drafting.templates import Texts
from assistant.errors import AssistantError
from assistant.llm.base import LLM
from assistant.llm.capabilities import writes
from assistant.records import Chunk, DocumentMeta
from assistant.text.quantities import figures
from assistant.text.references import normalize_number, type_name_for
from assistant.text.support import check_restatement
from assistant.text.vietnamese import has_diacritics, search_key, sentence_spans

_POINT_CUES = ("phải", "yêu cầu", "nhiệm vụ", "mục tiêu", "đến năm", "bảo đảm", "có trách nhiệm", "thực hiện",
               "triển khai", "áp dụng", "hiệu lực", "chậm nhất", "trước ngày", "thời hạn", "không được", "tuyệt đối",
               "đảng viên", "chi bộ", "tổ chức đảng", "sử dụng", "cài đặt", "đăng nhập", "hướng dẫn", "tập trung")
_ACTION_SUBJECT = ("đảng viên", "chi bộ", "tổ chức đảng", "cấp ủy")
_ACTION_VERB = ("phải", "có trách nhiệm", "cần", "yêu cầu", "cài đặt", "kích hoạt", "đăng nhập", "tham gia",
                "nghiên cứu", "thực hiện nghiêm", "chậm nhất", "tải ứng dụng")
_SKIP_START = ("căn cứ", "nơi nhận", "t/m", "k/t", "số ", "xét đề nghị", "đảng cộng sản", "[tài liệu mẫu", "lưu ",
               "như ", "các đồng chí", "các ban")
_LIST_MARK = re.compile(r"^\s*(?:[IVX]+[-.)]|\d+(?:\.\d+)*[.)](?!\d)|[a-zđ][)]|[-+•])\s*")


@dataclass
class BulletinSource:
    """One document for the bulletin, as the index hands it over."""

    meta: DocumentMeta
    chunks: list[Chunk]


@dataclass
class ScriptItem:
    """One document's part of the bulletin: introduction, key points, what members should do."""

    doc_id: str
    label: str
    intro: str
    points: list[str]
    action: str
    smooth: str = ""  # model-written item, kept only after verification
    candidates: list[str] = field(default_factory=list, repr=False)

    def text(self, texts: Texts) -> str:
        """The item as written: the verified model rewrite, else the extractive text."""
        if self.smooth:
            return self.smooth
        body = [self.intro]
        if self.points:
            body.append(texts("points"))
            body += [p if p.endswith((".", "!", "?")) else p + "." for p in self.points]
        if self.action:
            body.append(self.action)
        return " ".join(body)


@dataclass
class BulletinScript:
    """The whole bulletin: greeting, one item per document, closing, and how it was fitted."""

    greeting: str
    items: list[ScriptItem]
    closing: str
    texts: Texts = field(repr=False)
    target_words: int | None = None
    dropped_points: int = 0
    dropped_documents: list[str] = field(default_factory=list)
    used_llm: bool = False
    words_per_minute: int = 150

    def text(self) -> str:
        """The script as written (document numbers and dates in figures)."""
        return "\n\n".join([self.greeting, *(i.text(self.texts) for i in self.items), self.closing])

    def spoken(self) -> str:
        """The script as read: numbers, dates and abbreviations in words."""
        return "\n\n".join(normalize_for_speech(part) for part in self.text().split("\n\n"))

    @property
    def words(self) -> int:
        """Spoken words of the script (numbers and dates read out)."""
        return count_words(self.spoken())

    @property
    def estimated_minutes(self) -> float:
        """How long reading the script takes at the configured pace."""
        return self.words / self.words_per_minute


def doc_label(meta: DocumentMeta, title: str | None = None) -> str:
    """"Quy định số 339-QĐ/TW" (or the document's own title when it has no number)."""
    kind = meta.doc_type or _type_of(meta) or "văn bản"
    kind = kind[:1].upper() + kind[1:]
    if meta.number:
        return f"{kind} số {meta.number}"
    title = meta.title if title is None else title
    return f"{kind} {title}".strip() if title else kind


def _type_of(meta: DocumentMeta) -> str:
    """The type its number names: "05-TT/TW" a thông tri, "01/2021/TT-BNV" a thông tư."""
    parsed = normalize_number(meta.number) if meta.number else None
    return parsed.doc_type if parsed is not None else type_name_for(meta.type_code)


# Bodies whose usual written form keeps more than the first capital (header capitals -> running text).
BODY_NAMES = {
    "BAN CHẤP HÀNH TRUNG ƯƠNG": "Ban Chấp hành Trung ương", "BỘ CHÍNH TRỊ": "Bộ Chính trị",
    "BAN BÍ THƯ": "Ban Bí thư", "VĂN PHÒNG TRUNG ƯƠNG ĐẢNG": "Văn phòng Trung ương Đảng",
    "VĂN PHÒNG TRUNG ƯƠNG": "Văn phòng Trung ương", "BAN TỔ CHỨC TRUNG ƯƠNG": "Ban Tổ chức Trung ương",
    "BAN TUYÊN GIÁO TRUNG ƯƠNG": "Ban Tuyên giáo Trung ương", "ỦY BAN KIỂM TRA TRUNG ƯƠNG": "Ủy ban Kiểm tra Trung ương",
    "QUỐC HỘI": "Quốc hội", "CHÍNH PHỦ": "Chính phủ",
}
_PLACE_WORDS = {"xã", "phường", "thị trấn", "tỉnh", "thành phố", "ấp", "thôn", "bản", "khu phố"}


def body_name(name: str) -> str:
    """An issuing body as it is read aloud and written in running text, not in header capitals.

    "ĐẢNG ỦY XÃ GÒ QUAO" -> "Đảng ủy xã Gò Quao": sentence case, with the place name after
    "xã"/"tỉnh"/... keeping its capitals.
    """
    if not name or not name.isupper():
        return name
    if name in BODY_NAMES:
        return BODY_NAMES[name]
    words = name.lower().split()
    out = [words[0].capitalize()]
    place = False
    for i, word in enumerate(words[1:], 1):
        out.append(word.capitalize() if place else word)
        two = " ".join(words[i - 1:i + 1])
        place = place or word in _PLACE_WORDS or two in _PLACE_WORDS
    return " ".join(out)


def _sentences(chunks: list[Chunk]) -> list[tuple[int, str]]:
    """The body's sentences worth reading, in document order: no header, heading, signature or debris."""
    out: list[tuple[int, str]] = []
    seen: set[str] = set()
    for paragraph in body_paragraphs(chunks):
        for start, stop in sentence_spans(paragraph):
            raw = paragraph[start:stop].strip()
            sentence = _LIST_MARK.sub("", raw.strip("\"“”'")).strip(" ;\"“”")
            sentence = re.sub(r"\s*\((?:\d+|[a-zđ]|[ivx]+)\)\s*", " ", sentence).strip()  # footnote marks "(1)"
            key = search_key(sentence)
            words = count_words(sentence)
            if words < 6 or words > 70 or key in seen or key.startswith(_SKIP_START):
                continue
            if is_capitals(sentence):
                continue  # headings in capitals
            if sentence.endswith(":") or (words < 10 and not sentence.endswith((".", ";", "!", "?"))):
                continue  # lead-ins and sub-headings ("1.2. Sử dụng trong kỳ sinh hoạt")
            if sentence.endswith(";"):
                sentence = sentence[:-1].rstrip() + "."
            seen.add(key)
            out.append((len(out), sentence[:1].upper() + sentence[1:]))
    return out


def _score(sentence: str, position: int) -> float:
    key = search_key(sentence)
    score = sum(1.0 for cue in _POINT_CUES if cue in key)
    score += 0.5 if re.search(r"\d", sentence) else 0
    score += 1.0 / (1 + 0.15 * position)
    words = count_words(sentence)
    return score - (0.5 if words > 45 else 0)


def _is_action(sentence: str) -> bool:
    key = search_key(sentence)
    return any(s in key for s in _ACTION_SUBJECT) and any(v in key for v in _ACTION_VERB)


def _title(meta: DocumentMeta, chunks: list[Chunk]) -> str:
    title = document_title(meta, chunks).strip().rstrip(".")
    if title and title.upper() == title:
        title = title.lower()
    for prefix in ("về việc ", "về "):
        if title.lower().startswith(prefix):
            title = title[len(prefix):]
    return title


def _date(iso: str) -> str:
    try:
        return dt.date.fromisoformat(iso).strftime("%d/%m/%Y")
    except ValueError:
        return ""


def plan_item(source: BulletinSource, ordinal: str, texts: Texts) -> ScriptItem:
    """The item for one document: its introduction, action and ranked candidate points."""
    meta = source.meta
    title = _title(meta, source.chunks)
    label = doc_label(meta, title)
    date = _date(meta.date) if meta.date else ""
    issuer = issuer_of(meta, BODY_NAMES, body_name)
    intro = texts("intro", ordinal=ordinal, label=label,
                  date=texts("intro_date", date=date) if date else "",
                  issuer=texts("intro_issuer", issuer=issuer) if issuer else "",
                  about=texts("intro_about", title=title) if title and title.lower() not in label.lower() else "")
    header_keys = {search_key(x) for x in (meta.title, meta.summary, title) if x}
    sentences = [(i, s) for i, s in _sentences(source.chunks) if search_key(s.rstrip(".")) not in header_keys]
    actions = [s for _, s in sentences if _is_action(s)]
    action_sentence = max(actions, key=lambda s: _score(s, 0), default="")
    action = (texts("action_prefix") + action_sentence[:1].lower() + action_sentence[1:] if action_sentence
              else texts("action_default", label=label))
    ranked = sorted((s for s in sentences if s[1] != action_sentence), key=lambda s: -_score(s[1], s[0]))
    return ScriptItem(meta.doc_id, label, intro, [], action, candidates=[s for _, s in ranked])


def build_script(sources: list[BulletinSource], texts: Texts, *, minutes: float | None = None,
                 words_per_minute: int = 150, cell: str = "", today: dt.date | None = None,
                 llm: LLM | None = None, smooth_prompt: object = None, max_points: int = 4) -> BulletinScript:
    """Assemble the script; with ``minutes`` the spoken length is kept within that target."""
    today = today or dt.date.today()
    ordinals = texts.list("ordinals")
    items = [plan_item(src, ordinals[i] if i < len(ordinals) else texts("ordinal_other", n=i + 1), texts)
             for i, src in enumerate(sources)]

    def greeting_for(n: int) -> str:
        return texts("greeting_one" if n == 1 else "greeting", cell=cell or texts("default_cell"),
                     date=today.strftime("%d/%m/%Y"), count=n)

    script = BulletinScript(greeting_for(len(items)), items, texts("closing"), texts,
                            words_per_minute=words_per_minute)
    budget = round(minutes * words_per_minute) if minutes else None
    script.target_words = budget

    def spoken_words(text: str) -> int:
        return count_words(normalize_for_speech(text))

    lead_in = spoken_words(texts("points"))

    def fixed_words() -> int:
        return spoken_words(script.greeting) + spoken_words(script.closing) + sum(
            spoken_words(i.intro) + spoken_words(i.action) for i in items)

    if budget is not None:
        # Too long even without key points: drop documents from the end, then shorten what members should do.
        while len(items) > 1 and fixed_words() > budget:
            script.dropped_documents.append(items.pop().doc_id)
        script.greeting = greeting_for(len(items))
        for item in items:
            if fixed_words() > budget:
                item.action = min(item.action, texts("action_default", label=item.label), key=spoken_words)
        for item in items:
            if fixed_words() > budget:
                item.action = ""
    remaining = (budget - fixed_words()) if budget is not None else None
    # Round-robin over the documents so each gets its best point before any gets a second one.
    ranks = max((len(i.candidates) for i in items), default=0) if budget is not None else max_points
    for rank in range(ranks):
        for item in items:
            if rank >= len(item.candidates):
                continue
            cost = spoken_words(item.candidates[rank]) + (0 if item.points else lead_in)
            if remaining is not None and cost > remaining:
                continue
            item.points.append(item.candidates[rank])
            if remaining is not None:
                remaining -= cost
    for item in items:
        order = {s: n for n, s in enumerate(item.candidates)}
        chosen = set(item.points)
        item.points = [s for s in _document_order(sources, item.doc_id) if s in chosen] or \
            sorted(item.points, key=order.__getitem__)
        script.dropped_points += len(item.candidates) - len(item.points) if budget is not None else 0
    if llm is not None and writes(llm) and smooth_prompt is not None:
        script.used_llm = _smooth(script, sources, llm, smooth_prompt, words_per_minute)
    return script


def _document_order(sources: list[BulletinSource], doc_id: str) -> list[str]:
    for src in sources:
        if src.meta.doc_id == doc_id:
            return [s for _, s in _sentences(src.chunks)]
    return []


def verify_rewrite(new: str, source_text: str, max_words: int) -> bool:
    """A model rewrite is usable when it is Vietnamese, short enough, adds no number (in figures or in words:
    "mười ngày" restates "10 ngày") and every sentence of it is held to ``source_text`` by the study chat's
    verifier: negation and duty, named bodies, documents, dates, articles, foreign words and content."""
    if not new.strip() or not has_diacritics(new):
        return False
    if count_words(normalize_for_speech(new)) > max_words:
        return False
    if not figures(new) <= figures(source_text):
        return False
    return all(check.supported for check in check_restatement(new, source_text))


def _smooth(script: BulletinScript, sources: list[BulletinSource], llm: LLM, prompt: object,
            words_per_minute: int) -> bool:
    by_id = {s.meta.doc_id: s for s in sources}
    used = False
    for item in script.items:
        src = by_id[item.doc_id]
        extractive = item.text(script.texts)
        # The rewrite restates the item it was given (the chosen clauses, framed by the document's name):
        # a fact from elsewhere in the document is as new to the listener as an invented one.
        source_text = "\n".join([extractive, src.meta.number, src.meta.title])
        limit = round(count_words(normalize_for_speech(extractive)) * 1.15) + 5
        rendered = prompt.render(item=extractive, words=limit)  # type: ignore[attr-defined]
        try:
            answer = llm.generate(rendered, max_tokens=min(1024, limit * 3)).strip()
        except AssistantError:  # a failing model must not break the bulletin: keep the extractive item
            continue
        if verify_rewrite(answer, source_text, limit):
            item.smooth = answer
            used = True
    return used
