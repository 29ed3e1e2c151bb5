"""Notes → meeting record, with deterministic patterns only.

Works on how secretaries actually write: free lines, bullet lists, "Label:
value" headers, pipe tables copied from Word, and transcripts with speaker
turns ("Bí thư Lê Thị Thu: ..."). Every extracted item records the 1-based
line it came from. Nothing is guessed: what the notes do not say stays empty
and the minutes show a placeholder for it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from assistant.drafting.notes import patterns as P
from assistant.drafting.notes.counts import complete_votes, parse_attendance, parse_vote
from assistant.drafting.notes.record import Item, MeetingRecord, Opinion, Person, Task, Vote
from assistant.text.vietnamese import clean_text, strip_accents

_HEADINGS = (
    ("agenda", r"nội dung(?: cuộc họp| sinh hoạt| chính)?|chương trình(?: làm việc| cuộc họp)?|nd"),
    ("opinions", r"ý kiến(?: thảo luận| phát biểu)?|thảo luận|phát biểu"),
    ("conclusions", r"kết luận(?: của (?:chủ trì|đồng chí bí thư|đ/c bí thư|bí thư|chi bộ))?"),
    ("tasks", r"phân công(?: nhiệm vụ)?|giao nhiệm vụ|nhiệm vụ(?: tháng tới| tháng \d+| được giao)?"),
    ("documents", r"tài liệu(?: sử dụng| học tập)?"),
    ("proceedings", r"diễn biến(?: cuộc họp)?"),
)
_HEADING_RE = re.compile(
    r"^(?:" + "|".join(f"(?P<{k}>{v})" for k, v in _HEADINGS) + r")\s*(?::\s*(?P<rest>.*)|$)", re.IGNORECASE
)
_OPINION_VERBS = (
    "đề nghị", "phát biểu", "ý kiến", "tham gia ý kiến", "cho rằng", "nêu", "kiến nghị", "đề xuất", "góp ý",
    "bổ sung", "báo cáo", "trao đổi", "phản ánh", "hỏi", "đánh giá", "chia sẻ", "thống nhất", "nhất trí",
    "đồng ý", "lưu ý", "đề cập", "cho biết", "bày tỏ", "nhận xét",
)
_VERB_RE = re.compile(r"(?P<verb>" + "|".join(sorted(map(re.escape, _OPINION_VERBS), key=len, reverse=True)) + r")\b",
                      re.IGNORECASE)
_SPEAKER_RE = re.compile(
    rf"^(?:{P.COMRADE}\s+|(?P<title>{'|'.join(map(re.escape, P.TITLES))})\s+)?(?P<name>{P.NAME})"
    r"\s*(?:\((?P<ptitle>[^)]*)\))?\s*(?P<sep>[:|])\s*(?P<content>.+)$"
)
_TIME_CUE = re.compile(r"hôm nay|vào lúc|\blúc\b|thời gian|ngày họp|bắt đầu|khai mạc|ghi âm|kết thúc|bế mạc|\btừ\b",
                       re.IGNORECASE)
_END_CUE = re.compile(r"kết thúc|bế mạc", re.IGNORECASE)
_TASK_LINE_CUE = re.compile(r"\bgiao\b|hạn|chậm nhất|\btrước\b", re.IGNORECASE)
_CELL_UNITS = r"(?:ấp|thôn|khu phố|tổ dân phố|xóm|bản|trường|khóm|buôn|làng|phố|cơ quan|công ty|khu)"
_CELL_RE = re.compile(
    rf"(?:(?i:chi bộ)|CB)\s+(?P<cell>(?:(?i:{_CELL_UNITS})\s+)?(?:{P.NAME_WORD}|\d+)(?:\s+(?:{P.NAME_WORD}|\d+))*)"
)


@dataclass
class ExtractionResult:
    """The record extracted from notes and the cleaned lines its items point at."""

    record: MeetingRecord
    lines: list[str]  # the cleaned notes; item ``line`` numbers index into these (1-based)


def _name_key(name: str) -> str:
    return strip_accents(name).strip()


class _Extractor:
    def __init__(self, text: str) -> None:
        self.lines = clean_text(text).split("\n")
        self.rec = MeetingRecord()
        self.roster: list[str] = []
        self.section: str | None = None
        self.inline_section = False
        self.unanimous: list[Vote] = []

    # -- people -------------------------------------------------------
    def _collect_roster(self) -> None:
        names: dict[str, str] = {}
        for line in self.lines:
            for regex in (P.PERSON_RE, P.TITLED_PERSON_RE):
                for m in regex.finditer(line):
                    name, _ = P.trim_name(m.group("name"))
                    if len(name.split()) >= 2:
                        names.setdefault(_name_key(name), name)
            speaker = _SPEAKER_RE.match(P.strip_bullet(line))
            if speaker:
                name, _ = P.trim_name(speaker.group("name"))
                if len(name.split()) >= 2:
                    names.setdefault(_name_key(name), name)
            for cell in line.split("|")[1:]:
                if re.fullmatch(rf"\s*{P.NAME}\s*", cell) and len(cell.split()) >= 2:
                    names.setdefault(_name_key(cell.strip()), cell.strip())
        self.roster = list(names.values())

    def resolve(self, name: str) -> str:
        """A given name alone ("Hằng") becomes the full name when the notes name exactly one such person."""
        name = name.strip()
        if not name or len(name.split()) > 1:
            return name
        key = _name_key(name)
        matches = [full for full in self.roster if _name_key(full.split()[-1]) == key]
        return matches[0] if len(matches) == 1 else name

    def person_at(self, text: str) -> tuple[str, str, int] | None:
        """The person that ``text`` starts with: (name or role, title, end offset)."""
        m = re.match(rf"\s*{P.COMRADE}\s+", text)
        start = m.end() if m else 0
        titled = re.match(rf"(?P<title>{'|'.join(map(re.escape, P.TITLES))})\b", text[start:], re.IGNORECASE)
        if titled:
            after = text[start + titled.end():]
            named = re.match(rf"\s+(?P<name>{P.NAME})", after)
            if named and not m:
                name, _ = P.trim_name(named.group("name"))
                return self.resolve(name), titled.group("title"), start + titled.end() + named.end()
            if m:
                return titled.group("title"), titled.group("title"), start + titled.end()
            return None
        if not m:
            return None
        named = re.match(P.NAME, text[start:])
        if not named:
            return None
        name, title = P.trim_name(named.group(0))
        end = start + named.end()
        if title:
            end = start + named.group(0).index(title) + len(title)
        return self.resolve(name), title, end

    # -- header facts -------------------------------------------------
    def _meeting_date(self) -> None:
        best: tuple[int, int, dt.date] | None = None
        for i, line in enumerate(self.lines):
            for _, _, value, _ in P.find_dates(line):
                if value is None:
                    continue
                score = (2 if _TIME_CUE.search(line) or re.search(r"sinh hoạt|họp", line, re.I) else 0)
                score += 1 if i < 5 else 0
                score -= 3 if _TASK_LINE_CUE.search(line) and not _TIME_CUE.search(line) else 0
                if best is None or score > best[0]:
                    best = (score, i, value)
                break
        if best and best[0] >= 0:
            self.rec.date = best[2]

    def _header(self, no: int, text: str) -> bool:
        """Cell, parent, number, kind, topic, times, place. True when the line is header-only."""
        rec, used = self.rec, False
        head = no <= 5
        upper = text.upper() == text and any(c.isalpha() for c in text)
        if head and re.match(r"^(?:ĐẢNG BỘ|Đảng bộ)\s+\S", text) and not rec.parent:
            rec.parent, used = text.split(" - ")[0].strip().upper(), True
        if head and not rec.cell:
            for part in text.split(" - "):
                if upper and part.strip().startswith("CHI BỘ"):
                    rec.cell, used = part.strip(), True
                    break
                m = _CELL_RE.search(part)
                if m and not upper:
                    rec.cell, used = ("CHI BỘ " + m.group("cell")).upper(), True
                    break
        m = re.match(r"^Số\s*:?\s*(\d{1,3})\b", text)
        if head and m and not rec.number:
            rec.number, used = m.group(1), True
        low = text.lower()
        if head and re.search(r"sinh hoạt|họp|biên bản|ghi chép|ghi âm", low):
            if "chuyên đề" in low and re.search(r"định kỳ|thường kỳ", low):
                rec.combined_thematic = True
            elif "chuyên đề" in low:
                rec.kind = "thematic"
            elif re.search(r"bất thường|đột xuất", low):
                rec.kind = "extraordinary"
            used = used or bool(re.match(r"^(?:\[?ghi âm|sinh hoạt|họp|ghi chép|biên bản)", low)) or upper
        m = re.match(r"^chuyên đề\s*:\s*(.+)$", text, re.IGNORECASE)
        if m:
            rec.topic, rec.kind, used = m.group(1).strip(" \"“”"), "thematic" if rec.kind == "regular" and \
                not rec.combined_thematic else rec.kind, True
        m = re.match(r"^địa điểm\s*:\s*(.+?)\s*$", text, re.IGNORECASE)
        if m and not rec.place:
            rec.place, used = m.group(1).rstrip(". "), True
        if self._times(text):
            used = True
            m = re.search(r"\btại\s+(.+?)(?=[,;|]|\.(?:\s|$)|$)", text)
            if m and not rec.place:
                rec.place = m.group(1).strip()
        if re.search(r"biên bản (?:đã )?(?:được )?(?:đọc lại|thông qua)", low):
            rec.minutes_approved, used = True, True
        return used

    def _times(self, text: str) -> bool:
        on_meeting_day = bool(self.rec.date) and any(d[2] == self.rec.date for d in P.find_dates(text))
        time_range = re.search(r"\d\s*(?:h|giờ|:)\s*\d*\s*(?:-|–|đến)\s*\d{1,2}\s*(?:h|giờ|:)", text, re.I)
        if not (_TIME_CUE.search(text) or (on_meeting_day and time_range)):
            return False
        times = P.find_times(text)
        dates = P.find_dates(text)
        if not times and not (dates and _TIME_CUE.search(text) and any(d[2] == self.rec.date for d in dates)):
            return False
        end_cue = _END_CUE.search(text)
        previous = None
        for pos, value in times:
            is_end = bool(end_cue and pos > end_cue.start())
            if previous is not None and re.fullmatch(r"\s*(?:-|–|đến)\s*", _between(text, previous, pos)):
                is_end = True
            if is_end:
                self.rec.end_time = self.rec.end_time or value
            elif self.rec.start_time is None:
                self.rec.start_time = value
            previous = pos
        return True

    def _roles(self, no: int, text: str) -> bool:
        rec, used = self.rec, False
        # "CT:" / "TK:" are the secretary's shorthand for chủ trì / thư ký when a comrade follows.
        comrade = r"(?=\s*:\s*(?i:đ/c|đồng chí))"
        labels = ((rf"(?i:chủ trì)|CT{comrade}", "chair"),
                  (rf"(?i:thư ký|ghi biên bản|người ghi biên bản)|TK{comrade}", "secretary"))
        for part in re.split(r"(?<=[.;|])\s*(?=(?i:chủ trì|thư ký|ghi biên bản)\s*:|(?:CT|TK)\s*:)", text):
            for label, attr in labels:
                m = re.match(rf"^(?:{label})\s*:\s*(.+?)[;.]?$", part.strip())
                if m and getattr(rec, attr) is None:
                    setattr(rec, attr, self._person_with_title(m.group(1), no))
                    used = True
        if "giao" not in text.lower():
            for attr, verb in (("chair", r"chủ trì(?:\s+(?:cuộc họp|buổi sinh hoạt|hội nghị))?"),
                               ("secretary", r"(?:ghi biên bản|làm thư ký)")):
                if getattr(rec, attr) is not None:
                    continue
                pattern = (rf"(?:{P.COMRADE}\s+|(?P<title>{'|'.join(map(re.escape, P.TITLES))})\s+)(?P<name>{P.NAME})"
                           rf"(?:\s*\((?P<ptitle>[^)]*)\)|\s*,\s*(?P<ctitle>[^,;]{{2,60}}?)\s*,)?\s*{verb}\s*(?:[,;.]|$)")
                m = re.search(pattern, text)
                if m:
                    name, extra = P.trim_name(m.group("name"))
                    title = (m.group("ptitle") or m.group("ctitle") or m.group("title") or extra or "").strip()
                    setattr(rec, attr, Person(name=self.resolve(name), title=_title_case(title), line=no))
                    used = True
        return used

    _TITLE_ABBREVIATIONS = {"bt": "Bí thư", "pbt": "Phó Bí thư", "cuv": "Chi ủy viên", "đuv": "Đảng ủy viên"}

    def _person_with_title(self, value: str, no: int) -> Person:
        value = value.strip().rstrip(".")
        found = self.person_at(value)
        if found is None:
            m = re.match(P.NAME, value)
            if not m:
                return Person(name=value, line=no)
            name, title = P.trim_name(m.group(0))
            rest = value[m.end():]
        else:
            name, title, end = found
            rest = value[end:]
        m2 = re.match(r"\s*(?:\((?P<p>[^)]*)\)|[-–,]\s*(?P<t>.+))", rest)
        if m2:
            title = (m2.group("p") or m2.group("t") or title).strip()
        title = self._TITLE_ABBREVIATIONS.get(title.lower(), title)
        return Person(name=name, title=_title_case(title), line=no)

    def _guests(self, no: int, text: str) -> bool:
        m = re.match(r"^(?:khách mời|đại biểu(?: dự)?|dự họp có|tham dự có|dự có|mời dự)\s*:?\s*(.+)$", text,
                     re.IGNORECASE)
        if not m:
            return False
        value = m.group(1)
        refs = list(P.PERSON_RE.finditer(value))
        for i, ref in enumerate(refs):
            name, title = P.trim_name(ref.group("name"))
            tail = value[ref.end(): refs[i + 1].start() if i + 1 < len(refs) else len(value)]
            t = re.match(r"\s*(?:\((?P<p>[^)]*)\)|[-–,]\s*(?P<t>[^;]+))", tail)
            if t:
                title = (t.group("p") or t.group("t") or "").strip(" ,.;")
            self.rec.guests.append(Person(name=self.resolve(name), title=title, line=no))
        return True

    def _attendance(self, no: int, text: str) -> bool:
        return parse_attendance(self.rec.attendance, no, text, self.resolve)

    def _vote(self, no: int, text: str) -> bool:
        found = parse_vote(no, text)
        if found is None:
            return False
        self.rec.votes.append(found[0])
        if found[1]:
            self.unanimous.append(found[0])
        return True

    def _deadline(self, text: str) -> tuple[dt.date | None, str, int]:
        """Deadline date, the phrase as written and where the deadline clause starts (len(text) when none)."""
        dates = [d for d in P.find_dates(text, self.rec.date) if d[2] is not None or self.rec.date is None]
        month_end = P.MONTH_END_RE.search(text)
        if dates:
            start, _, value, raw = dates[-1]
            cue = None
            for c in P.DEADLINE_CUE_RE.finditer(text[:start + 1]):
                if c.end() >= start - 1:
                    cue = c
            cut = cue.start() if cue else start
            return value, raw if value is None else "", cut
        if month_end:
            month = int(month_end.group("m"))
            year = int(month_end.group("y")) if month_end.group("y") else (
                self.rec.date.year + (1 if self.rec.date.month > month + 6 else 0) if self.rec.date else None)
            value = P.month_end(month, year) if year and 1 <= month <= 12 else None
            cue_start = month_end.start()
            pre = re.search(r"(?:,|;|—|–|-)?\s*(?:xong|hoàn thành)?\s*$", text[:cue_start])
            return value, month_end.group(0), pre.start() if pre else cue_start
        return None, "", len(text)

    def _task(self, no: int, text: str, owner: str | None = None, force: bool = False) -> Task | None:
        body = text
        m = re.search(r"\b(?:giao|phân công)\s+(?:cho\s+)?", text, re.IGNORECASE)
        asked = re.match(rf"^(?:đề nghị|yêu cầu)\s+(?={P.COMRADE}\s)", text, re.IGNORECASE)
        if owner is None and m is None and asked and self._deadline(text)[1:] != ("", len(text)):
            m = asked  # "Đề nghị đồng chí X ..., hoàn thành trong tháng 10": an assignment with a deadline
        if owner is None and m:
            rest = text[m.end():]
            found = self.person_at(rest)
            unit = P.UNIT_RE.match(rest)
            if found:
                owner, body = found[0], rest[found[2]:]
            elif unit:
                owner, body = unit.group("name"), rest[unit.end():]
            else:
                owner, body = "", rest
        elif owner is None:
            found = self.person_at(text)
            if not found:
                return None
            date, phrase, _ = self._deadline(text)
            responsible = re.match(r"\s*(?:phụ trách|chịu trách nhiệm)\b", text[found[2]:])
            verb = _VERB_RE.match(text[found[2]:].lstrip(" :"))
            if not (force or responsible or ((date or phrase) and not verb)):
                return None
            owner, body = found[0], text[found[2]:]
        date, phrase, cut = self._deadline(body)
        what = body[:cut].strip(" :,;—–-.")
        if not what:
            return None
        if owner in ("Bí thư", "bí thư") and self.rec.chair and "bí thư" in self.rec.chair.title.lower():
            owner = self.rec.chair.name
        task = Task(what=_sentence_case(what), owner=owner, deadline=date, deadline_text=phrase, line=no)
        self.rec.tasks.append(task)
        return task

    def _table_task(self, no: int, cells: list[str]) -> bool:
        owner = what = ""
        deadline: dt.date | None = None
        phrase = ""
        for cell in cells:
            c = cell.strip()
            found = self.person_at(c)
            if found and not owner:
                owner = found[0]
            elif re.fullmatch(P.NAME, c) and len(c.split()) >= 2 and not owner:
                owner = self.resolve(c)
            elif (dates := P.find_dates(c, self.rec.date)) and dates[0][2] and not deadline:
                deadline = dates[0][2]
            elif P.MONTH_END_RE.search(c) and not deadline:
                deadline, phrase, _ = self._deadline(c)
            elif not c.isdigit() and len(c) > len(what):
                what = c
        if not (owner and what):
            return False
        self.rec.tasks.append(Task(what=_sentence_case(what), owner=owner, deadline=deadline,
                                   deadline_text=phrase, line=no))
        return True

    def _opinion(self, no: int, text: str) -> bool:
        found = self.person_at(text)
        if not found:
            return False
        name, title, end = found
        rest = text[end:]
        paren = re.match(r"\s*\(([^)]*)\)", rest)
        if paren:
            title, rest = paren.group(1), rest[paren.end():]
        comma = re.match(r"\s*,\s*([^,]{2,60}),", rest)
        if comma and is_titleish(comma.group(1)):
            title, rest = comma.group(1), rest[comma.end():]
        rest = rest.strip()
        verb = _VERB_RE.match(rest)
        if rest.startswith(":"):
            content = rest[1:]
        elif verb:
            after = rest[verb.end():]
            content = after.lstrip()[1:] if after.lstrip().startswith(":") else rest
        else:
            return False
        content = content.strip()
        if not content:
            return False
        if name.lower() == "bí thư" and self.rec.chair:
            name, title = self.rec.chair.name, title or self.rec.chair.title
        self.rec.opinions.append(Opinion(speaker=name, title=_title_case(title) if title != name else "",
                                         content=_sentence_case(content), line=no))
        return True

    def _document_refs(self, no: int, text: str, whole: bool = False) -> None:
        if whole:
            for part in re.split(r"[;]", text):
                part = part.strip(" .")
                if part and not any(d.text == part for d in self.rec.documents):
                    self.rec.documents.append(Item(text=part, line=no))
            return
        for m in P.DOC_NUMBER_RE.finditer(text):
            if "-BB/" in m.group("number"):
                continue  # the minutes' own number
            label = f"{m.group('kind')} {m.group('number')}" if m.group("kind") else m.group("number")
            if not any(m.group("number") in d.text for d in self.rec.documents):
                self.rec.documents.append(Item(text=label, line=no))

    def _turn(self, no: int, m: re.Match[str]) -> None:
        name, _ = P.trim_name(m.group("name"))
        speaker = self.resolve(name)
        title = (m.group("title") or m.group("ptitle") or "").strip()
        content = m.group("content").strip()
        low = content.lower()
        if re.search(r"\btôi chủ trì\b", low) and self.rec.chair is None:
            self.rec.chair = Person(name=speaker, title=_title_case(title), line=no)
        if re.search(r"\btôi (?:ghi biên bản|làm thư ký)\b", low) and self.rec.secretary is None:
            self.rec.secretary = Person(name=speaker, title=_title_case(title), line=no)
        consumed = self._roles(no, content) | self._header(no + 100, content)
        if self._attendance(no, content) or self.section == "tasks" and self._task(no, content, owner=speaker):
            return
        is_chair = bool(self.rec.chair and _name_key(self.rec.chair.name) == _name_key(speaker))
        if not is_chair:
            kept = [s for s in P.split_sentences(content) if not (self._vote(no, s) or self._task(no, s))]
            if kept and not consumed:
                self.rec.opinions.append(Opinion(speaker=speaker, title=_title_case(title),
                                                 content=_sentence_case(" ".join(kept)), line=no))
            return
        if not consumed:
            self._content(no, content, chair_turn=True)

    def _content(self, no: int, text: str, chair_turn: bool = False) -> None:
        mode = self.section
        concluded = False
        for sentence in P.split_sentences(text):
            concl = re.search(r"kết luận\s*:\s*(.+)$", sentence, re.IGNORECASE)
            if concl:
                mode, sentence = "conclusions", concl.group(1)
            if self._vote(no, sentence):
                continue
            task = self._task(no, sentence, force=mode == "tasks")
            # An assignment inside a conclusion is a task; it is also the conclusion when nothing else is.
            if task and (mode != "conclusions" or concluded):
                continue
            if mode == "conclusions" or re.match(r"^(?:chi bộ\s+)?(?:thống nhất|nhất trí)\b", sentence, re.I):
                self.rec.conclusions.append(Item(text=_sentence_case(sentence.strip()), line=no))
                concluded = True
                continue
            if mode == "tasks" or (not chair_turn and self._opinion(no, sentence)):
                continue
            agenda = re.match(r"^nội dung thứ \w+ là\s+(.+)$", sentence, re.IGNORECASE)
            if mode == "agenda" or agenda:
                self.rec.agenda.append(Item(text=_sentence_case((agenda.group(1) if agenda else sentence)
                                                                .strip(" .")), line=no))
                self._document_refs(no, sentence)
                continue
            if mode == "documents":
                self._document_refs(no, sentence, whole=True)
                continue
            self.rec.proceedings.append(Item(text=_sentence_case(sentence.strip()), line=no))
            self._document_refs(no, sentence)

    def run(self) -> ExtractionResult:
        self._collect_roster()
        self._meeting_date()
        for no, raw in enumerate(self.lines, 1):
            text = raw.strip()
            if not text:
                continue
            bare = P.strip_bullet(text)
            is_item = bare != text
            heading = _HEADING_RE.match(bare)
            if heading and not _SPEAKER_RE.match(bare):
                self.section = next(k for k, _ in _HEADINGS if heading.group(k))
                rest = (heading.group("rest") or "").strip()
                self.inline_section = bool(rest)
                if not rest:
                    continue
                if self.section == "documents":
                    self._document_refs(no, rest, whole=True)
                    continue
                bare, is_item = rest, True
            elif not is_item and (self.section == "agenda" or self.section == "conclusions" and self.inline_section):
                # "Nội dung: X" / "Kết luận: Y" on one line: the next plain line is back in the body.
                self.section = None
            cells = [c.strip() for c in bare.split("|")] if "|" in bare else []
            if len(cells) >= 3 and (self.section == "tasks" or not self.person_at(cells[0])):
                if self._table_task(no, cells):
                    continue
                if self.section == "tasks" or re.fullmatch(r"(?i)stt|tt", cells[0]):
                    continue
            parts = cells if cells and not self.person_at(cells[0]) else [bare]
            for part in parts:
                self._line(no, part)
        self._finish()
        return ExtractionResult(self.rec, self.lines)

    def _line(self, no: int, text: str) -> None:
        speaker = _SPEAKER_RE.match(text)
        if speaker and (speaker.group("title") or len(speaker.group("name").split()) >= 2
                        or re.match(P.COMRADE, text)) and not P.is_title(speaker.group("name")):
            if self.section == "tasks":
                name, _ = P.trim_name(speaker.group("name"))
                if self._task(no, speaker.group("content"), owner=self.resolve(name)):
                    return
            self._turn(no, speaker)
            return
        used = self._header(no, text)
        used = self._roles(no, text) or used
        used = self._guests(no, text) or used
        used = self._attendance(no, text) or used
        if used:
            self._document_refs(no, text)
            return
        if no <= 3 and self.section is None and len(text.split()) <= 10 and \
                re.match(r"(?i)(?:họp|sinh hoạt|biên bản|ghi chép|hội nghị)\b", text) and not re.search(r"\d{3,}", text):
            return  # a title line such as "Họp chi bộ tháng 5"
        self._content(no, text)

    def _finish(self) -> None:
        rec, att = self.rec, self.rec.attendance
        complete_votes(rec.votes, att, self.unanimous)
        for vote in rec.votes:
            if not vote.question and len(rec.agenda) == 1 and rec.kind == "extraordinary":
                vote.question = rec.agenda[0].text
        if att.absent_excused_count is None and att.absent_excused:
            att.absent_excused_count = len(att.absent_excused)
        if att.absent_unexcused_count is None and att.absent_unexcused:
            att.absent_unexcused_count = len(att.absent_unexcused)
        if att.present is not None and att.total is not None and att.absent_unexcused_count is None \
                and att.present + att.excused == (att.expected or 0):
            att.absent_unexcused_count = 0
        for op in rec.opinions:
            op.speaker = self.resolve(op.speaker)
        for task in rec.tasks:
            task.owner = self.resolve(task.owner)


def _between(text: str, start: int, end: int) -> str:
    """Text between two times with the first time itself removed."""
    m = P.TIME_RE.match(text, start)
    return text[m.end() if m else start: end]


def is_titleish(text: str) -> bool:
    """Whether ``text`` reads like a position ("Bí thư", "ủy viên …", "phụ trách …")."""
    return bool(P.TITLE_RE.search(text)) or text.strip().lower().startswith(("ủy viên", "phụ trách", "trưởng", "phó"))


def _title_case(title: str) -> str:
    title = title.strip(" ,.;-–")
    return title[:1].upper() + title[1:] if title else ""


def _sentence_case(text: str) -> str:
    text = text.strip()
    return text[:1].upper() + text[1:] if text else text


def extract_record(notes: str, *, source: str = "") -> ExtractionResult:
    """Deterministic extraction; the record's items point at their lines."""
    result = _Extractor(notes).run()
    result.record.source = source
    return result
