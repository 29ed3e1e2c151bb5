"""What a question asks, without the exam frame: its stem, its answer options, its kind.

Members and question sets wrap the words that matter in a frame: "… đúng hay sai?",
"Nhận định nào sau đây đúng?", "Chọn câu trả lời đúng nhất", option letters and
meta options ("Cả A, B, C đều đúng"). The frame matches passages at random, so search
drops it and scores each real option on its own. Matching is done on the folded text
(:func:`assistant.text.references.fold`: one character per character), so removed
spans map back onto the original spelling; accent-free questions are handled alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from assistant.text.references import fold
from assistant.text.vietnamese import nfc, search_key

TRUE_FALSE = "true_false"
MULTIPLE_CHOICE = "multiple_choice"
OPEN = "open"

# Options written inline after the question: "… A. 15 ngày B. 30 ngày" or one per line.
_OPTION = re.compile(r"(?:^|(?<=\s))([A-D])[.)]\s*(.+?)(?=\s+[A-D][.)]\s|\s*$)", re.S)
_TRUE_FALSE = re.compile(r"\bdung\s*(?:hay|hoac|/)\s*sai\b|\bsai\s*(?:hay|hoac|/)\s*dung\b")
# Frame phrases, on folded text. Longest first; each removal leaves a space.
_FRAME = re.compile(
    r"(?:\bla\s+|,\s*)?\bdung\s*(?:hay|hoac|/)\s*sai\b"
    r"|\bchon\s+(?:cau\s+tra\s+loi|dap\s+an|phuong\s+an|y)(?:\s+dung)?(?:\s+nhat)?\b"
    r"|\b(?:nhan\s+dinh|phat\s+bieu|khang\s+dinh|cau|y|dap\s+an|phuong\s+an)\s+nao(?:\s+sau\s+day|\s+duoi\s+day)?"
    r"(?:\s+(?:la\s+)?(?:dung|sai|chinh\s+xac)(?:\s+nhat)?)?\b"
    r"|\bnao\s+(?:sau\s+day|duoi\s+day)\b"
    r"|\btheo\s+quy\s+dinh\s+(?:cua\s+)?phap\s+luat(?:\s+hien\s+hanh)?\b"
    r"|\bhay\s+cho\s+biet\b|\bxin\s+cho\s+biet\b"
)
# Options that point at other options rather than saying anything.
_META_OPTION = re.compile(
    r"^\s*(?:(?:ca|tat\s+ca)\b.*\b(?:dung|sai|tren|dap\s+an|phuong\s+an)\b"
    r"|khong\s+(?:co\s+)?(?:dap\s+an|phuong\s+an|cau)\b.*"
    r"|[a-d](?:\s*(?:,|va|&)\s*[a-d])+\s*(?:deu\s+)?(?:dung|sai)?)\W*$")


# Question words and glue, with their tone marks: accented matching keeps "đảng" (not "đang") and "tử" ≠ "tự".
STOPWORDS_ACCENTED = frozenset(search_key(
    "là gì nào ai đâu khi bao nhiêu như thế nào có không được của và các những cho theo với về trong tại "
    "thì mà để do từ đến này đó hay hoặc hãy xin cho biết đúng sai hỏi câu quy định văn bản bị bởi một "
    "phải cần nếu sao gồm những việc người còn thế nữa ra vào lên đã sẽ đang rằng cũng nhau mỗi lâu"
).split())
# Questions asking for a figure: a deadline, an amount, a date, a count.
_ASKS_FIGURE = re.compile(r"\b(bao nhieu|bao lau|khi nao|luc nao|ngay nao|thang nao|nam nao|may (?:ngay|thang|nam|lan"
                          r"|nguoi|gio|phut)|thoi han|toi da|toi thieu|it nhat|cham nhat|muc nao|ty le)\b")


def asks_figure(text: str) -> bool:
    """True when the question asks for a figure ("bao lâu", "bao nhiêu", "khi nào", "thời hạn")."""
    return bool(_ASKS_FIGURE.search(fold(text)))


@dataclass
class ParsedQuestion:
    """A question split into its stem (frame removed) and its real answer options."""

    text: str
    stem: str
    options: dict[str, str] = field(default_factory=dict)
    kind: str = OPEN

    @property
    def search_text(self) -> str:
        """The stem followed by every real option: what one keyword query should look for."""
        return " ".join([self.stem, *self.options.values()]).strip()


def _strip_frame(text: str) -> str:
    folded = fold(text)
    out, pos = [], 0
    for match in _FRAME.finditer(folded):
        out.append(text[pos:match.start()])
        out.append(" ")
        pos = match.end()
    out.append(text[pos:])
    stripped = re.sub(r"\s+", " ", "".join(out))
    stripped = re.sub(r"\s+([?.,;:])", r"\1", stripped)
    return stripped.strip(" ,;:")


def split_options(text: str) -> tuple[str, dict[str, str]]:
    """(question before the options, {letter: option}) when at least two lettered options follow it."""
    found = list(_OPTION.finditer(text))
    letters = [m.group(1) for m in found]
    if len(found) < 2 or letters != sorted(letters) or letters[0] != "A":
        return text, {}
    return text[:found[0].start()].strip(), {m.group(1): " ".join(m.group(2).split()) for m in found}


def is_meta_option(option: str) -> bool:
    """True for "Cả A, B, C đều đúng", "Cả 3 phương án trên", "A và B": options naming other options."""
    return bool(_META_OPTION.match(fold(option)))


def is_true_false(text: str) -> bool:
    """True for "… đúng hay sai?", typed with or without accents."""
    return bool(_TRUE_FALSE.search(fold(text)))


def parse_question(text: str, choices: dict[str, str] | None = None) -> ParsedQuestion:
    """Stem, real options and kind of a question; ``choices`` when given, else options found inline."""
    question, inline = split_options(text)
    options = dict(choices) if choices else inline
    if not choices and not inline:
        question = text
    real = {k: " ".join(str(v).split()) for k, v in options.items() if str(v).strip() and not is_meta_option(str(v))}
    kind = MULTIPLE_CHOICE if options else TRUE_FALSE if is_true_false(question) else OPEN
    stem = _strip_frame(question) or question.strip()
    return ParsedQuestion(text, stem, real, kind)


def query_text(item: dict[str, Any]) -> str:
    """Search text for a question record: the question, then its answer choices as "A. …" lines.

    A multiple-choice question often says little by itself ("Hành vi nào sau
    đây bị cấm?"); its options carry the words of the article. Search splits
    the lettered lines off again and scores each option on its own.
    """
    question = str(item.get("question", "")).strip()
    choices = item.get("choices") or {}
    if isinstance(choices, list):
        choices = dict(zip("ABCDEFGH", choices, strict=False))
    lines = [f"{key}. {' '.join(str(value).split())}" for key, value in choices.items() if str(value).strip()]
    return "\n".join([question, *lines]) if lines else question


_LOOSE_UNIT = re.compile(r"\b(khoan|diem)\s+(\d+(?:\.\d+)*|[a-z])(?![\w.])")


def loose_units(text: str, taken: list[tuple[int, int]]) -> tuple[str, str]:
    """(clause, point) a follow-up names outside any full citation: "còn khoản 3 thì sao?" → ("3", "")."""
    clause = point = ""
    text = nfc(text)
    for match in _LOOSE_UNIT.finditer(fold(text)):
        if any(s <= match.start() < e for s, e in taken):
            continue
        if match.group(1) == "khoan" and not clause and match.group(2)[0].isdigit():
            clause = match.group(2)
        elif match.group(1) == "diem" and not point:
            point = text[match.start(2):match.end(2)].lower()
    return clause, point
