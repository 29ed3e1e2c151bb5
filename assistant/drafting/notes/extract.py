"""Notes → meeting record, with deterministic rules only.

Reads notes the way secretaries write them: "Label: value" lines, bullets and
numbered sections, pipe tables pasted from Word, transcripts with speaker turns
("Bí thư Phạm Văn Khánh: … tôi tuyên bố khai mạc"), Zalo chats pasted in (stamps
and senders are neither content nor attendance), accent-free or mixed typing,
abbreviations (CT, TK, ĐV, CB, ĐB, ND, KL, BQ, PC, đ/c, dc), numbers, dates and times
in words. Every item records the 1-based line it came from, and ``field_lines``
records the line of each header field. Nothing is guessed: what the notes do not
say stays empty and the minutes show a placeholder for it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.drafting.notes import header as H
from assistant.drafting.notes import patterns as P
from assistant.drafting.notes.counts import AttendanceFlags, complete_votes, is_attendance, parse_attendance, parse_vote
from assistant.drafting.notes.lines import NoteLine, prepare
from assistant.drafting.notes.names import SURNAMES, Ref, Roster, find_refs, read_name, ref_at, title_label
from assistant.drafting.notes.numbers import fold
from assistant.drafting.notes.record import Item, MeetingRecord, Opinion, Person, Vote
from assistant.drafting.notes.roles import find_roles
from assistant.drafting.notes.tasks import OPINION_RE, TaskContext, assignments, table_task

_HEADINGS = (
    ("agenda", r"noi dung(?: cuoc hop| sinh hoat| chinh| hop)?|chuong trinh(?: lam viec| cuoc hop)?|nd"),
    ("opinions", r"(?:y kien|thao luan|phat bieu)(?: thao luan| phat bieu)?|(?:dang vien|dv) phat bieu"),
    ("conclusions", r"(?:ket luan|kl)(?: cua [^:]{0,30})?|chot|(?:chu tri|bi thu|chi bo) ket luan"),
    ("tasks", r"phan cong(?: nhiem vu)?|pc|giao nhiem vu|nhiem vu(?: thang toi| thang \d+| duoc giao)?"),
    ("documents", r"tai lieu(?: su dung| hoc tap)?"),
    ("proceedings", r"dien bien(?: cuoc hop)?"),
    ("members", r"thanh phan(?: du hop)?|thoi gian(?:[,\s-]+dia diem)?(?:[,\s-]+thanh phan)?|bieu quyet(?=\s*:?\s*$)"),
)
_HEADING_RE = re.compile(r"(?:" + "|".join(f"(?P<{k}>{v})" for k, v in _HEADINGS) + r")\s*(?::\s*(?P<rest>.*)|$)")
_GUEST_RE = re.compile(r"(?:khach moi|dai bieu(?: du)?|du hop co|den du co|tham du co|du co|moi du|"
                       r"co su tham du cua)\s*:?\s*")
_PROCEDURE_RE = re.compile(r"\s*(?:doc|trinh bay|thong qua|thong bao|diem danh|quan triet|tuyen bo|ghi bien ban|"
                           r"chu tri|khai mac|be mac)(?![a-z])")
_FILLER_RE = re.compile(r"^\s*(?:da|vang|u|ok|cam on|cam on cac dong chi|tot|duoc|roi|da nhan|vang a|da a)"
                        r"[\s.!,a]*$")
_CLOCK_ONLY = re.compile(r"(?:ket thuc|be mac|bat dau|khai mac|tuyen bo)")
_VOTE_WORD = re.compile(r"bieu quyet|\bbq\b|tan thanh|gio tay|phieu")
# A line that opens as a conclusion ("Kết luận: …").
_CONCLUSION_ONLY = re.compile(r"\s*(?:ket luan|\bkl)\s*:")
_GIVE = re.compile(r"(?:^|[\s,;:])(?:" + P.GIVE_WORD + r"|phan cong)\s+(?=\S)")


@dataclass
class ExtractionResult:
    """The record extracted from notes and the notes' lines its items point at."""

    record: MeetingRecord
    lines: list[str]  # the cleaned notes; item ``line`` numbers index into these (1-based)


def lowercase_notes(lines: list[NoteLine]) -> bool:
    """Whether names are typed in lower case: most words after "đ/c"/"dc" start with a small letter."""
    lower = upper = 0
    for line in lines:
        for m in re.finditer(r"(?<![a-z/])(?:dong chi|d/c|dc)\s+([^\W\d_])", line.key):
            ch = line.text[m.start(1)]
            lower += ch.islower()
            upper += ch.isupper()
    return lower > upper


class _Extractor:
    def __init__(self, text: str) -> None:
        self.lines = prepare(text)
        self.lower = lowercase_notes(self.lines)
        self.refs = {line.no: find_refs(line, lower=self.lower) for line in self.lines}
        self.roster = Roster()
        self.rec = MeetingRecord()
        self.flags = AttendanceFlags()
        self.unanimous: list[Vote] = []
        self.consumed: set[int] = set()
        self.section: str | None = None
        self.inline = False
        self.month = H.find_month(self.lines)

    # -- people --------------------------------------------------------------
    def _collect_roster(self) -> None:
        for line in self.lines:
            for ref in self.refs[line.no]:
                if ref.full:
                    self.roster.add(ref.name)
                paren = re.match(r"\s*\(\s*", line.text[ref.end:])
                if paren:
                    span = read_name(line.text, line.key, ref.end + paren.end())
                    if span and len(line.text[span[0]:span[1]].split()) >= 2:
                        self.roster.add(line.text[span[0]:span[1]])
            turn = self._turn(line)
            if turn and turn[0].full:
                self.roster.add(turn[0].name)
        for line in self.lines:  # names in labelled values ("Chủ trì: Lò Văn Hặc, bí thư")
            for m in re.finditer(r"(?:chu tri|thu ky|ghi bien ban)\s*:\s*", line.key):
                labelled = ref_at(line, m.end(), lower=self.lower, bare=True)
                if labelled and labelled.full:
                    self.roster.add(labelled.name)

    def resolve(self, name: str) -> str:
        """A given name or a name as written → the full name the notes give for it, when there is one."""
        return self.roster.resolve(name)

    def _turn(self, line: NoteLine) -> tuple[Ref, int] | None:
        """A speaker turn "Bí thư X: …", "Đ/c X (Bí thư): …", "Lê Hữu Trọng: …": (speaker, content start)."""
        pos = P.bullet_length(line.text)
        ref = ref_at(line, pos, lower=self.lower, bare=True)
        if ref is None or ref.marker == "role":
            return None
        m = re.match(r"\s*(?:\((?P<t>[^)]{1,40})\))?\s*:\s*", line.text[ref.end:])
        if not m:
            return None
        if ref.marker == "bare":
            words = fold(ref.name).split()
            known = words[0] in SURNAMES or words[0].startswith("h'") or fold(ref.name) in self.roster.names
            if len(words) < 2 or not (known or len(words) >= 3):
                return None
        title = title_label(m.group("t")) if m.group("t") else ref.title
        return Ref(ref.start, ref.end, ref.name, title, ref.marker), ref.end + m.end()

    # -- passes --------------------------------------------------------------
    def run(self) -> ExtractionResult:
        self._collect_roster()
        self._header()
        roles = find_roles(self.lines, self.refs, self._turn, self.resolve, self.lower)
        self.rec.chair, self.rec.secretary = roles.chair, roles.secretary
        for name, no in (("chair", roles.chair_line), ("secretary", roles.secretary_line)):
            if no:
                self.rec.field_lines[name] = no
        self.consumed |= roles.lines
        for line in self.lines:
            if not line.blank:
                self._line(line)
        self._finish()
        return ExtractionResult(self.rec, [line.raw for line in self.lines])

    def _header(self) -> None:
        rec, lines = self.rec, self.lines
        for name, found in (("cell", H.find_cell(lines)), ("parent", H.find_parent(lines)),
                            ("number", H.find_number(lines)), ("date", H.find_date(lines))):
            if found:
                setattr(rec, name, found.value)
                rec.field_lines[name] = found.line
        opening = next((line for line in lines[:8] if self._turn(line) and "khai mac" in line.key), None)
        head = [line for line in lines
                if not (self._turn(line) or self._opinion_start(line, P.bullet_length(line.text)))]
        rec.kind, rec.combined_thematic, kind_line = H.find_kind(head, opening)  # type: ignore[assignment]
        if kind_line:
            rec.field_lines["kind"] = kind_line
        if rec.kind == "thematic" or rec.combined_thematic:
            rec.topic = H.find_topic(lines)
        times = H.find_times(lines, rec.date)
        rec.start_time, rec.end_time = times.start, times.end
        if times.start_line:
            rec.field_lines["start_time"] = times.start_line
        if times.end_line:
            rec.field_lines["end_time"] = times.end_line
        place = H.find_place(lines, rec.date)
        if place:
            rec.place = place.value
            rec.field_lines["place"] = place.line
        for line in lines:
            if re.search(r"bien ban (?:da )?(?:duoc )?(?:doc lai|thong qua)", line.key):
                rec.minutes_approved = True
        for line in lines[:H.HEAD_LINES + 2]:
            if re.match(r"[\[(]?\s*(?:hop|sinh hoat|sh|shdk|bien ban|ghi chep|ghi am|go bang|hoi nghi|tin nhan|"
                        r"ghi lai)\b", line.key) and len(line.key.split()) <= 14 and not re.search(
                            r"chu tri|thu ky|co mat|\bvang\b|bieu quyet|" + P.GIVE + r"|:\s*\S", line.key):
                self.consumed.add(line.no)
        header_only = {f.line for f in (H.find_cell(lines), H.find_parent(lines), H.find_number(lines)) if f}
        for no in header_only:
            line = lines[no - 1]
            if not (is_attendance(line.key) or re.search(r"chu tri|thu ky|\bct\s*:|\btk\s*:", line.key)):
                self.consumed.add(no)
        for line in lines:
            key = line.key
            if (P.find_times(key) or P.find_dates(key, rec.date) or re.search(r"dia diem|\bdd\s*:", key)) \
                    and not re.search(P.GIVE + r"|\bphan cong\b|bieu quyet|\bbq\b|co mat|\bvang\b", key) \
                    and line.no in (rec.field_lines.get("start_time"), rec.field_lines.get("place"),
                                    rec.field_lines.get("date"), rec.field_lines.get("end_time")) \
                    and not self._turn(line):
                self.consumed.add(line.no)

    def _line(self, line: NoteLine) -> None:
        text, key = line.text, line.key
        pos = P.bullet_length(text)
        if P.find_dates(key) and re.fullmatch(r"[\s\-—–=*]*(?:thu \w+,?\s*)?[\d/.\-\s]+[\s\-—–=*]*", key):
            return  # a chat's day separator "—— Thứ Tư, 12/08/2026 ——"
        heading = _HEADING_RE.match(key, pos)
        if line.no in self.consumed:
            if heading and not heading.group("rest"):
                name = next(k for k, _ in _HEADINGS if heading.group(k))
                self.section, self.inline = (None if name == "members" else name), False
            self._counts_only(line, pos)
            self._documents(line)
            return
        if heading and not self._turn(line):
            name = next(k for k, _ in _HEADINGS if heading.group(k))
            self.section = None if name == "members" else name
            rest = heading.start("rest") if heading.group("rest") else -1
            self.inline = rest >= 0 and bool(key[rest:].strip())
            if not self.inline:
                return
            pos = rest
            if name == "members":
                self._plain(line, pos)
                return
        elif pos == 0 and self.inline and self.section in ("agenda", "conclusions", "opinions", "documents"):
            self.section, self.inline = None, False  # "Nội dung: X" on one line: the next plain line is the body
        cells = [m.span() for m in re.finditer(r"[^|]+", text[pos:])]
        if "|" in text[pos:] and len(cells) >= 3:
            cells = [(pos + a, pos + b) for a, b in cells]
            task = table_task(line, cells, self._ctx(assigning=True))
            if task:
                self.rec.tasks.append(task)
                return
            if self.section == "tasks" or re.fullmatch(r"\s*(?:stt|tt)\s*", key[cells[0][0]:cells[0][1]]):
                return
            first = ref_at(line, cells[0][0], lower=self.lower, bare=True)
            if first is not None:
                self._opinion(line, first, cells[1][0], len(text))
                return
        turn = self._turn(line) if self.section != "tasks" else None
        if turn:
            self._speaker_turn(line, turn[0], turn[1])
            return
        self._plain(line, pos)

    def _ctx(self, *, assigning: bool = False, concluding: bool = False) -> TaskContext:
        chair = self.rec.chair.name if self.rec.chair else ""
        return TaskContext(self.resolve, self.rec.date or self.month, self.lower, chair, assigning, concluding)

    def _is_chair(self, name: str) -> bool:
        chair = self.rec.chair
        return bool(chair and chair.name and fold(self.resolve(name)) == fold(chair.name))

    # -- kinds of content -------------------------------------------------------
    def _counts_only(self, line: NoteLine, pos: int) -> None:
        vote = parse_vote(line, pos)
        if vote:
            self._add_vote(vote)
        elif is_attendance(line.key[pos:]):
            parse_attendance(self.rec.attendance, line, self.refs[line.no], self.resolve, self.flags, start=pos)

    def _add_vote(self, found: tuple[Vote, bool]) -> None:
        self.rec.votes.append(found[0])
        if found[1]:
            self.unanimous.append(found[0])

    def _documents(self, line: NoteLine) -> None:
        for _, _, label in P.doc_numbers(line.key, line.text):
            number = label.split()[-1]
            if not any(fold(number) == fold(d.text.split()[-1]) for d in self.rec.documents):
                self.rec.documents.append(Item(text=label, line=line.no))

    def _guests(self, line: NoteLine, pos: int) -> bool:
        m = _GUEST_RE.match(line.key, pos)
        if not m:
            return False
        refs = [r for r in self.refs[line.no] if r.start >= m.end()]
        for i, ref in enumerate(refs):
            tail_end = refs[i + 1].start if i + 1 < len(refs) else len(line.text)
            t = re.match(r"\s*(?:\((?P<p>[^)]*)\)|[-–,]\s*(?P<t>[^;]+))", line.text[ref.end:tail_end])
            title = (t.group("p") or t.group("t") or "").strip(" ,.;") if t else ref.title
            self.rec.guests.append(Person(name=self.resolve(ref.name), title=title, line=line.no))
        return bool(refs)

    def _counts(self, line: NoteLine, a: int, b: int, *, concluding: bool = False) -> bool:
        """Record the vote or attendance count ``line[a:b]`` states; False when it states neither.

        In a conclusion, "thống nhất 100% đảng viên cài đặt …" is what was concluded, not a vote: a vote there
        needs a voting word.
        """
        sentence = line.key[a:b]
        vote = parse_vote(line, a, b)
        if vote and (not concluding or _VOTE_WORD.search(sentence)):
            self._add_vote(vote)
            return True
        if is_attendance(sentence) and _strong_attendance(sentence):
            parse_attendance(self.rec.attendance, line, [r for r in self.refs[line.no] if a <= r.start < b],
                             self.resolve, self.flags, start=a)
            return True
        return False

    def _plain(self, line: NoteLine, pos: int) -> None:
        """A line that is not a speaker turn: guests, counts, tasks, opinions, conclusions, agenda, proceedings."""
        self._documents(line)
        if self._guests(line, pos):
            return
        key = line.key
        vote = parse_vote(line, pos)
        concluding = self.section == "conclusions" or bool(_CONCLUSION_ONLY.match(key[pos:]))
        if vote and concluding and not _VOTE_WORD.search(key[pos:]):
            vote = None  # a conclusion, not a vote (see _counts)
        opinion_line = self._opinion_start(line, pos)
        if vote and not opinion_line and not _GIVE.search(key[pos:]):
            self._add_vote(vote)
            return
        if is_attendance(key[pos:]) and parse_attendance(self.rec.attendance, line, self.refs[line.no], self.resolve,
                                                         self.flags, start=pos, strong_only=bool(opinion_line)):
            return
        self._content(line, pos, len(line.text))

    def _opinion_start(self, line: NoteLine, pos: int) -> Ref | None:
        """The speaker when ``line`` from ``pos`` reads "X: …" or "X đề nghị …" (not a task section)."""
        ref = ref_at(line, pos, lower=self.lower)
        if ref is None:
            return None
        after = line.key[ref.end:]
        paren = re.match(r"\s*\([^)]*\)", after)
        rest = after[paren.end():] if paren else after
        if re.match(r"\s*[:|]", rest) or OPINION_RE.match(rest):
            return ref
        return None

    def _content(self, line: NoteLine, start: int, end: int, *, speaker: Ref | None = None,
                 concluding: bool = False) -> None:
        """Sentences of a line or a turn, each to where it belongs."""
        key = line.key
        section = self.section
        assigning = section == "tasks" or bool(_GIVE.search(key[start:end]))
        if section == "conclusions":
            concluding = True
        kept: list[tuple[int, int]] = []
        for a, b in P.split_sentences(line.text[start:end]):
            a, b = start + a, start + b
            sentence = key[a:b]
            if _FILLER_RE.match(sentence):
                continue
            concl = re.search(r"(?:ket luan|\bkl)\s*:\s*|(?:xin|toi)\s+ket luan[\s,.:]*", sentence)
            if concl:
                concluding = True
                a = a + concl.end()
                if not key[a:b].strip(" ."):
                    continue
                sentence = key[a:b]
            if self._counts(line, a, b, concluding=concluding):
                continue
            if _CLOCK_ONLY.search(sentence) and P.find_times(sentence):
                continue
            if speaker is None and section != "tasks" and not concluding:
                who = self._opinion_start(line, a)
                if who is not None and not self._is_chair(who.name):
                    self._opinions(line, a, b)
                    continue
            ctx = self._ctx(assigning=assigning or (section == "tasks"), concluding=concluding)
            if section == "tasks" and speaker is None:
                ctx.assigning = True
            tasks, rest = assignments(line, a, b, ctx)
            self.rec.tasks.extend(tasks)
            if tasks and not any(key[x:y].strip(" .,;") for x, y in rest):
                if concluding and section == "conclusions" and not self.rec.conclusions:
                    self._item("conclusions", line, a, b)
                continue
            kept.append((a, b))
        for a, b in kept:
            self._sentence(line, a, b, speaker=speaker, concluding=concluding)

    def _sentence(self, line: NoteLine, a: int, b: int, *, speaker: Ref | None, concluding: bool) -> None:
        section = self.section
        if speaker is not None and not self._is_chair(speaker.name):
            return  # opinions of a turn are collected by the turn
        agreed = re.match(r"\s*(?:chi bo\s+)?(?:thong nhat|nhat tri)\b", line.key[a:b])
        if concluding or section == "conclusions" or agreed:
            self._item("conclusions", line, a, b)
        elif section == "agenda" or re.match(r"\s*noi dung (?:thu \w+|dau|chinh) (?:la\s+)?", line.key[a:b]):
            m = re.match(r"\s*noi dung (?:thu \w+|dau|chinh) (?:la\s+)?", line.key[a:b])
            self._item("agenda", line, a + (m.end() if m else 0), b)
        elif section == "documents":
            for part in re.finditer(r"[^;]+", line.text[a:b]):
                text = line.quote(a + part.start(), a + part.end()).strip(" .")
                if text and not any(d.text == text for d in self.rec.documents):
                    self.rec.documents.append(Item(text=text, line=line.no))
        elif section == "opinions" and speaker is None and self._opinion_start(line, a) is None:
            self._item("proceedings", line, a, b)
        else:
            self._item("proceedings", line, a, b)

    def _item(self, kind: str, line: NoteLine, a: int, b: int) -> None:
        text = line.quote(a, b).strip(" ;,")
        if not text or _FILLER_RE.match(fold(text)):
            return
        if kind in ("conclusions", "proceedings", "agenda"):
            getattr(self.rec, kind).append(Item(text=text[:1].upper() + text[1:], line=line.no))

    def _opinions(self, line: NoteLine, a: int, b: int) -> None:
        """One or more opinions: "dc A de nghi …; dc B hoi …"."""
        starts = [a]
        for m in re.finditer(r";\s*", line.key[a:b]):
            pos = a + m.end()
            if self._opinion_start(line, pos) is not None:
                starts.append(pos)
        starts.append(b)
        for x, y in zip(starts, starts[1:], strict=False):
            who = self._opinion_start(line, x)
            if who is None:
                continue
            self._opinion(line, who, who.end, y)

    def _opinion(self, line: NoteLine, who: Ref, start: int, end: int) -> None:
        key = line.key
        title = who.title
        pos = start
        paren = re.match(r"\s*\(([^)]*)\)", line.text[pos:end])
        if paren:
            title, pos = title_label(paren.group(1)), pos + paren.end()
        rest = key[pos:end]
        if _PROCEDURE_RE.match(rest):
            self._item("proceedings", line, who.start, end)
            return
        verb = OPINION_RE.match(rest)
        colon = re.match(r"\s*[:|]\s*", rest)
        if colon:
            content = line.quote(pos + colon.end(), end)
        elif verb:
            after = re.match(r"\s*:\s*", key[pos + verb.end():end])
            content = line.quote(pos + verb.end() + after.end(), end) if after else line.quote(pos, end)
        else:
            return
        content = content.strip(" ;")
        if not content:
            return
        name = self.resolve(who.name)
        if self._is_chair(name):
            self._item("proceedings", line, who.start, end)
            return
        self.rec.opinions.append(Opinion(speaker=name, title=title, content=content[:1].upper() + content[1:],
                                         line=line.no))

    def _speaker_turn(self, line: NoteLine, speaker: Ref, start: int) -> None:
        key = line.key
        name = self.resolve(speaker.name)
        self._documents(line)
        if self._is_chair(name):
            self._content(line, start, len(line.text), speaker=speaker)
            return
        kept: list[tuple[int, int]] = []
        for a, b in P.split_sentences(line.text[start:]):
            a, b = start + a, start + b
            sentence = key[a:b]
            if _FILLER_RE.match(sentence):
                continue
            if self._counts(line, a, b):
                continue
            if _GIVE.search(sentence) or self.section == "tasks":
                tasks, _ = assignments(line, a, b, self._ctx(assigning=True))
                if tasks:
                    self.rec.tasks.extend(tasks)
                    continue
            if re.search(r"ghi bien ban|lam thu ky", sentence) and len(sentence) < 60:
                continue
            kept.append((a, b))
        if kept:
            content = " ".join(line.quote(a, b) for a, b in kept).strip()
            self.rec.opinions.append(Opinion(speaker=name, title=speaker.title,
                                             content=content[:1].upper() + content[1:], line=line.no))

    # -- end -----------------------------------------------------------------------
    def _finish(self) -> None:
        rec, att = self.rec, self.rec.attendance
        expected = att.expected
        if self.flags.everyone:
            if att.present is None and expected is not None:
                att.present = expected
            att.absent_count = 0 if att.absent_count is None else att.absent_count
        if self.flags.rest_present and att.present is None and expected is not None:
            att.present = expected - max(att.absent_count or 0, len(att.absent_excused) + len(att.absent_unexcused))
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
        if att.line:
            rec.field_lines["attendance"] = att.line
        absent = {fold(a.name) for a in att.absent_excused + att.absent_unexcused}
        rec.opinions = [o for o in rec.opinions if fold(o.speaker) not in absent or len(o.speaker.split()) < 2]
        for op in rec.opinions:
            op.speaker = self.resolve(op.speaker)
        for task in rec.tasks:
            task.owner = self.resolve(task.owner) if task.owner else task.owner


def _strong_attendance(sentence: str) -> bool:
    return bool(re.search(r"co mat|\bvang\b|tong so|mien (?:sinh hoat|sh)|phai du|\d+\s*(?:dang vien|dv)\b|"
                          r"\bdu\s+\d", sentence))


def is_titleish(text: str) -> bool:
    """Whether ``text`` reads like a position ("Bí thư", "ủy viên …", "phụ trách …")."""
    key = fold(text).strip()
    return bool(re.match(r"(?:pho )?bi thu|chi uy vien|dang uy vien|uy vien|phu trach|truong|pho|chu tich", key))


def extract_record(notes: str, *, source: str = "") -> ExtractionResult:
    """Deterministic extraction; the record's items point at their lines."""
    result = _Extractor(notes).run()
    result.record.source = source
    return result
