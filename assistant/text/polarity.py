"""Negation and modality: a generated sentence must not flip what its source forbids, requires or allows.

Read on accented, lower-case text (folded, "chứa" would read as "chưa"). Three kinds of slip:

- a flipped negation: "đảng viên được cho người khác dùng tài khoản" for "không được cho …"
  (also under a heading that forbids: "Các hành vi bị nghiêm cấm" governs the items below it);
- a changed duty: "nên" or "có thể" for "phải", "phải" for "được";
- a flipped qualifier: "có lý do" for "không có lý do".
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.text.clauses import aligned, clauses, content_words, enough_overlap
from assistant.text.vietnamese import nfc, normalize_tone

# Phrases with "không" that bound a quantity ("không quá", "chưa đủ 06 tháng") or name a category rather than
# negate an action; "miễn" (exempt) negates what follows ("miễn viết bài thu hoạch") except in the members'
# status "miễn công tác và sinh hoạt".
_NEUTRAL = re.compile(r"không (?:được )?(?:quá|vượt quá|chậm hơn|ít hơn|dưới|nhiều hơn|sớm hơn|muộn hơn)|"
                      r"(?:không|chưa) (?:đủ|tới|đến|quá) (?=\d|(?:một|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười)(?!\w))|"
                      r"không (?:trăm|phẩy)|"  # a digit read out: "hai nghìn không trăm hai mươi lăm"
                      r"không kể|hay không|hoặc không|có hay không|không chỉ|không ngừng|không phân biệt|"
                      r"không tán thành|không đồng ý|(?:nhận|đạt|có) được|"
                      r"(?:được )?miễn (?:công tác và )?sinh hoạt(?: đảng)?|(?:được )?miễn công tác")
# Named categories: a sentence that files something under one must find that very category in the passage
# ("hoàn thành tốt nhiệm vụ" is not "hoàn thành xuất sắc nhiệm vụ"; "dự bị" is not "chính thức"): grades,
# members' status, the Party's disciplinary measures (and striking from the list), how a vote is taken.
_CATEGORIES = re.compile(r"hoàn thành xuất sắc nhiệm vụ|hoàn thành tốt nhiệm vụ|(?<!không )hoàn thành nhiệm vụ|"
                         r"đảng viên chính thức|đảng viên dự bị|"
                         r"(?<![^\W_])(?:khiển trách|cảnh cáo|cách chức|khai trừ|xóa tên|xoá tên|đình chỉ sinh hoạt|giải tán|"
                         r"giơ tay|bỏ phiếu kín|phiếu kín)(?![^\W_])")
# Saying "all" of what the passage qualifies: "tất cả đảng viên" where it makes an exception ("trừ", "trường hợp").
_ALL = re.compile(r"(?<![^\W_])(?:tất cả|toàn bộ|toàn thể|mọi|hết thảy)(?![^\W_])")
_EVERY = re.compile(r"(?<![^\W_])(?:tất cả|toàn bộ|toàn thể|mọi|hết thảy)(?![^\W_])|100%")
_EXCEPTION = re.compile(r"(?<![^\W_])(?:trừ|ngoại trừ|riêng|trường hợp|không áp dụng)(?![^\W_])")
# Words that restrict or widen what they govern: "chỉ", "duy nhất" where the passage restricts nothing, "kể cả"
# where it includes nothing, "mọi" where it restricts ("chỉ người có thẩm quyền mới được").
_RESTRICT = re.compile(r"(?<![^\W_])(?:(?<!đình )(?<!địa )chỉ(?! (?:thị|đạo|tiêu|định|số|ra|rõ|huy|dẫn)(?![^\W_]))|duy nhất|mới được)(?![^\W_])")
# Some, not all: "không ít nơi", "một số chi bộ", "phần lớn", "có nơi".
_SOME = re.compile(r"(?<![^\W_])(?:không ít|một số|một bộ phận|phần lớn|đa số|nhiều nơi|có nơi|một vài)(?![^\W_])")
# "chỉ … tối đa một lần" restates "không quá một lần": a bound is a restriction.
_UPPER_BOUND = re.compile(r"(?<![^\W_])(?:không quá|không vượt quá|tối đa)(?![^\W_])")
_ANY = re.compile(r"(?<![^\W_])(?:bất kỳ|bất kì|bất cứ)(?![^\W_])")
_SHARE = re.compile(r"(?<![^\W_])(một|hai|ba|bốn|năm|\d+)\s+trong\s+(?:số\s+)?(hai|ba|bốn|năm|sáu|\d+)(?![^\W_])")
_WIDEN = re.compile(r"(?<![^\W_])(?:kể cả|bao gồm cả|cả … lẫn)(?![^\W_])")
# Opposites: a sentence saying one where the passage says the other (and not the first) turns it around.
_OPPOSITES = (("sau khi", "trước khi"), ("trước khi", "sau khi"), ("hết hiệu lực", "giữ nguyên hiệu lực"),
              ("hết hiệu lực", "còn hiệu lực"), ("kể cả", "trừ"), ("nhiều lần", "một lần"), ("một lần", "nhiều lần"),
              ("tăng", "giảm"), ("giảm", "tăng"), ("chuyển đến", "chuyển đi"), ("chuyển đi", "chuyển đến"),
              ("nơi đến", "nơi đi"), ("nơi đi", "nơi đến"))
# Compounds whose first syllable is one of the words above but not its meaning: "tăng cường" (strengthen).
_COMPOUND_AFTER = {"tăng": "cường"}
_LEVEL = re.compile(r"(?:mức|loại)\s+(tốt|khá|trung bình|kém|yếu|xuất sắc)")
# Qualifiers whose two forms mean different things: both sides must use the same one.
_QUALIFIERS = (("không có lý do", "có lý do"), ("không lý do", "có lý do"),
               ("không hoàn thành nhiệm vụ", "hoàn thành nhiệm vụ"), ("không thuộc", "thuộc"))
_NEG_RE = re.compile(r"(?<![^\W\d_])(không được|không phải|nghiêm cấm|cấm|không|chưa|miễn|ngừng|dừng|chấm dứt|chẳng|đừng|chớ)"
                     r"(?![^\W\d_])")
_STRONG = ("phải", "có trách nhiệm", "bắt buộc", "có nghĩa vụ", "cần có", "cần phải", "cần được")
_WEAK = ("có thể", "nếu cần", "nếu thấy cần thiết", "nếu có điều kiện", "tùy theo", "tuỳ theo", "tùy ý", "tuỳ ý",
         "tùy tình hình", "tuỳ tình hình", "tự chọn", "tùy chọn", "tuỳ chọn", "tự nguyện", "không bắt buộc",
         "có nhu cầu", "nếu muốn")
# Options that also name a kind of thing ("cai nghiện tự nguyện", "môn tự chọn"): in the passage too, not a shift.
_DESCRIBING = ("tự nguyện", "tự chọn", "tùy chọn", "tuỳ chọn", "không bắt buộc", "có nhu cầu")
_DEADLINE = re.compile(r"(?<![^\W_])(?:chậm nhất|trong thời hạn|trước ngày|trong vòng|hạn chót|trước \d+)(?![^\W_])")
_ADVICE = ("nên", "khuyến khích", "khuyến cáo")
_PROPOSAL = ("xem xét", "đề nghị", "kiến nghị")
# A decision taken ("chi bộ đã quyết định …") where the passage only records a proposal ("đồng chí A đề nghị …").
_DECISION = re.compile(r"(?<![^\W_])(?:quyết định|quyết nghị|thống nhất|chấp thuận|phê duyệt|thông qua)(?![^\W_])")
_PROPOSED = re.compile(r"(?<![^\W_])(?:đề nghị|kiến nghị|đề xuất|xem xét)(?![^\W_])")
_POLARITY_WORDS = {"không", "được", "phải", "nghiêm", "cấm", "chưa", "trách", "nhiệm", "bắt", "buộc", "nghĩa",
                   "vụ", "nên", "thể", "khuyến", "khích", "tùy", "tuỳ", "chỉ"}
_ITEM_START = re.compile(r"^\s*(?:\d+(?:\.\d+)*[.)]|[a-zđ]\)|[-–+•])?\s*")


def _has(words: str, phrases: Sequence[str]) -> bool:
    padded = f" {words} "
    return any(f" {p} " in padded for p in phrases)


def _words(text: str) -> str:
    return " ".join(re.findall(r"[^\W_]+", text))


def _strength(clause: str) -> str:
    """"strong" (a duty), "advice" ("nên"), "weak" (an option), "only" ("chỉ được"), "may" ("được"), or ""."""
    words = _words(_NEG_RE.sub(" ", _NEUTRAL.sub(" ", clause)))
    for name, phrases in (("strong", _STRONG), ("advice", _ADVICE), ("weak", _WEAK), ("only", ("chỉ được",)),
                          ("may", ("được", "có quyền"))):
        if _has(words, phrases):
            return name
    return ""


def _strength_conflict(clause: str, other: str, sentence: str = "", source: str = "") -> bool:
    """Whether ``clause`` states a different duty than the passage clause ``other`` (``sentence``: the whole
    sentence the clause is from, which may name the proposal step in another clause; ``source``: the whole
    passage, which may give the alternatives in another clause)."""
    mine, theirs = _strength(clause), _strength(other)
    if theirs == "may" and _DEADLINE.search(other):
        theirs = "strong"  # "được đăng chậm nhất 03 ngày trước": a passive with a deadline is a duty
    if mine == "advice":
        return theirs != "advice"  # "nên" / "khuyến khích" where the text requires, allows or restricts
    if mine == "strong":
        if theirs in ("weak", "may", "only", "advice"):  # "bắt buộc" for "khuyến khích" or "có nhu cầu"
            return not (theirs in ("may", "only") and "phải được" in clause)  # "phải được duyệt" restates "được"
        # a proposal step ("chi bộ xem xét, đề nghị …") turned into a plain duty
        return any(p in other for p in _PROPOSAL) and not any(p in (sentence or clause) for p in _PROPOSAL)
    if mine == "may" and theirs == "only":
        return not re.search(r"(?<![^\W_])(?:chỉ|mới|duy nhất)(?![^\W_])", sentence or clause)  # "chỉ được" → "được"
    if mine == "weak":
        if any(_has(_words(source or other), [w]) for w in _DESCRIBING if _has(_words(clause), [w])):
            return False  # "cai nghiện tự nguyện" restating "cai nghiện tự nguyện": a name, not an option
        if _has(_words(clause), ["xem xét"]) and _DECISION.search(other) and "xem xét" not in other:
            return True  # "có thể xem xét" where the passage has the body decide
        # "có thể gửi … hoặc …" restates a plain "gửi … hoặc …": the alternatives are the option
        return theirs == "strong" or (theirs == "" and not (" hoặc " in (sentence or clause)
                                                              and " hoặc " in (source or other)))
    return False


def _prepared(text: str) -> str:
    """Lower-case NFC text, tone marks placed one way ("hoà" / "hòa"), with quantity bounds neutralised; a list
    under a heading that forbids ("Các hành vi bị nghiêm cấm") has the prohibition carried into each item."""
    text = _NEUTRAL.sub(" ", normalize_tone(nfc(text).lower()))
    lines = text.split("\n")
    if len(lines) > 1 and _heading(lines[0]) and _NEG_RE.search(lines[0]) and not _NEG_RE.search(lines[1]):
        text = "\n".join([lines[0], *(_ITEM_START.sub(r"\g<0>cấm ", line, count=1) if line.strip() else line
                                       for line in lines[1:])])
    return text


def _heading(line: str) -> bool:
    """A line that heads what follows ("Điều 8. Các hành vi bị nghiêm cấm", "… không được:"), not a sentence
    of its own ("… trường hợp hồ sơ chưa đầy đủ thì phải …")."""
    line = line.rstrip()
    return line.endswith(":") or (not line.endswith((".", ";")) and len(line.split()) <= 15)


def _word_in(phrase: str, text: str) -> bool:
    after = rf"(?!\s+{_COMPOUND_AFTER[phrase]})" if phrase in _COMPOUND_AFTER else ""
    return bool(re.search(rf"(?<![^\W_]){re.escape(phrase)}(?![^\W_]){after}", text))


def _negated(clause: str) -> bool:
    return bool(_NEG_RE.search(clause))


def _scopes(text: str) -> list[str]:
    """What each negation applies to: the first two content words after it, in its clause."""
    out = []
    for clause in clauses(text):
        for m in _NEG_RE.finditer(clause):
            after = [w for w in re.findall(r"[^\W_]+", clause[m.end():]) if w not in _POLARITY_WORDS][:2]
            if len(after) == 2:
                out.append(" ".join(after))
    return out


def _negated_occurrences(text: str, phrase: str) -> list[bool]:
    """For each occurrence of ``phrase``, whether a negation precedes it in its clause."""
    out = []
    for clause in clauses(text):
        for m in re.finditer(rf"(?<![^\W_]){re.escape(phrase)}(?![^\W_])", clause):
            out.append(_negated(clause[:m.start()]))
    return out


def _qualifier_conflicts(mine: str, theirs: str) -> list[str]:
    mine, theirs = (re.sub(r"không có lý do", "không lý do", t) for t in (mine, theirs))
    out = []
    for negative, positive in _QUALIFIERS:
        said_positive = re.search(rf"(?<!không )(?<![^\W_]){positive}", mine) and negative not in mine
        if negative in theirs and said_positive and not re.search(rf"(?<!không )(?<![^\W_]){positive}", theirs):
            out.append(positive)
        elif negative in mine and positive in theirs and negative not in theirs:
            out.append(negative)
    return out


_GOVERNED = re.compile(r"(?<![^\W_])(?:tất cả|toàn bộ|toàn thể|mọi|hết thảy)\s+([^\W\d_]+\s+[^\W\d_]+)\s+([^\W\d_]+)")
# Words after a noun that do not narrow it: "mọi đảng viên đều phải …", "đảng viên được …".
_NOT_QUALIFIER = _POLARITY_WORDS | {"đều", "cũng", "sẽ", "đã", "đang", "có", "và", "hoặc", "của", "trong", "thì", "là",
                                    "cần", "vẫn", "tự", "bị"}


def _dropped_qualifiers(mine: str, joined: str) -> list[str]:
    """"Mọi đảng viên đều được đánh giá …" where the passage speaks only of "đảng viên giữ chức vụ lãnh đạo": "all"
    put before a noun that the passage always narrows with words of its own."""
    if _EVERY.search(joined):
        return []
    out = []
    for m in _GOVERNED.finditer(mine):
        noun, after = m.group(1), m.group(2)
        if after not in _NOT_QUALIFIER:
            continue
        followers = [f.group(1) for f in re.finditer(rf"(?<![^\W_]){re.escape(noun)}\s+([^\W\d_]+)", joined)]
        if followers and all(f not in _NOT_QUALIFIER for f in followers):
            out.append(m.group(0))
    return out


def polarity_conflicts(sentence: str, passages: Sequence[str]) -> list[str]:
    """What the sentence states with a negation or duty the passages do not give it, or vice versa."""
    mine = _prepared(sentence)
    theirs = [_prepared(p) for p in passages]
    joined = "\n".join(theirs)
    passage_clauses = [c for t in theirs for c in clauses(t)]
    sentence_negates = _negated(_NEUTRAL.sub(" ", mine))
    conflicts = _qualifier_conflicts(mine, joined)
    conflicts += [c for c in dict.fromkeys(_CATEGORIES.findall(mine)) if c not in joined]
    universal = _ALL.search(mine)
    if universal and (_EXCEPTION.search(joined) or _RESTRICT.search(joined) or _SOME.search(joined)) \
            and not _EVERY.search(joined):
        conflicts.append(universal.group(0))  # "ở tất cả các nơi" for "ở không ít nơi"
    conflicts += _dropped_qualifiers(mine, joined)
    restricted = _RESTRICT.search(mine)
    if restricted and not _RESTRICT.search(joined) and not _NEG_RE.search(joined) \
            and not _UPPER_BOUND.search("\n".join(passages).lower()):
        # "chỉ" where the passage neither restricts nor forbids the alternatives ("không cài đặt từ …")
        conflicts.append(restricted.group(0))
    anything = _ANY.search(mine)
    if anything and not _ANY.search(joined) and not _EVERY.search(joined):
        conflicts.append(anything.group(0))  # "bất kỳ chữ ký điện tử nào" where the passage names one kind
    share = _SHARE.search(joined)
    if share and re.search(rf"(?<![^\W_])(?:cả|đủ cả|tất cả)\s+{share.group(2)}(?![^\W_])", mine):
        conflicts.append(f"cả {share.group(2)}")  # "cả ba" where the passage asks "hai trong ba"
    decided = _DECISION.search(mine)
    if decided and _PROPOSED.search(joined) and not _DECISION.search(joined):
        conflicts.append(decided.group(0))
    widened = _WIDEN.search(mine)
    if widened and not _WIDEN.search(joined) and "bao gồm" not in joined:
        conflicts.append(widened.group(0))
    conflicts += [said for said, other in _OPPOSITES if _word_in(said, mine) and _word_in(other, joined)
                  and not _word_in(said, joined)]
    conflicts += [f"mức {level}" for level in dict.fromkeys(_LEVEL.findall(mine))
                  if not re.search(rf"(?<![^\W_]){level}(?![^\W_])", joined)]
    # What a passage negates must not be stated positively ...
    if not sentence_negates:
        for scope in {s for t in theirs for s in _scopes(t)}:
            found = [neg for t in theirs for neg in _negated_occurrences(t, scope)]
            stated = _negated_occurrences(mine, scope)
            if found and all(found) and stated and not any(stated):
                conflicts.append(scope)
        # ... nor the words only a negated passage clause has.
        everything = [content_words(c) for c in passage_clauses]
        words = content_words(mine)
        for clause, own in zip(passage_clauses, everything, strict=True):
            if not _negated(clause):
                continue
            distinctive = own - set().union(*(o for o in everything if o is not own))
            if len(words & distinctive) >= 2:
                conflicts.append(" ".join(clause.split()[:8]))
    for clause in clauses(mine, split_and=True):
        best, shared = aligned(clause, passage_clauses)
        if not enough_overlap(clause, shared):
            continue
        near = [c for c in passage_clauses if enough_overlap(clause, len(content_words(clause) & content_words(c)))]
        scope_occurrences = [neg for scope in _scopes(clause) for t in theirs for neg in _negated_occurrences(t, scope)]
        if scope_occurrences and not any(scope_occurrences):
            conflicts.append(" ".join(clause.split()[:8]))  # negates what the passage states positively
        elif _negated(clause) and not scope_occurrences and not any(_negated(c) for c in near):
            conflicts.append(" ".join(clause.split()[:8]))  # a negation the passage does not have
        elif not sentence_negates and all(_negated(c.split(" thì ")[-1]) for c in best):
            conflicts.append(" ".join(clause.split()[:8]))  # the passage's negation dropped
        elif all(_strength_conflict(clause, c, mine, joined) for c in [c for c in best if _strength(c)] or best):
            conflicts.append(" ".join(clause.split()[:8]))
    return list(dict.fromkeys(conflicts))
