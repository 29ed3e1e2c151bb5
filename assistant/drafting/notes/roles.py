"""Who chaired the meeting and who took the minutes.

In order of trust: a label ("Chủ trì: đ/c X (BT)", "CT: Đ/c Thiếu tá X, BT CB",
"Chu tri dc X, thu ky dc Y", "TK: Kim Loan (Phan Thị Kim Loan)", "Ghi biên bản:
đ/c Y"); a sentence ("Đồng chí X, bí thư, chủ trì", "Bí thư chi bộ X chủ trì",
"cử đồng chí Y làm thư ký", "nhờ đồng chí Y ghi biên bản", "(đ/c Y ghi biên
bản)"); in a transcript, whoever says "tôi chủ trì" or opens the meeting ("tôi
tuyên bố khai mạc"), or failing that concludes or closes it. Names come without
ranks or titles ("Thiếu tá", "BS"); the title goes to ``Person.title``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from assistant.drafting.notes import patterns as P
from assistant.drafting.notes.lines import NoteLine
from assistant.drafting.notes.names import Ref, read_name, ref_at, title_label
from assistant.drafting.notes.numbers import fold
from assistant.drafting.notes.record import Person

_LABEL_RE = re.compile(
    r"(?:^|(?<=[\s.;,(|\-–]))(?:nguoi\s+)?(?P<label>chu tri|chu toa|ct|thu ky|tk|ghi bien ban)"
    r"(?:\s+(?:cuoc hop|hoi nghi|buoi sinh hoat|buoi hop|phien hop))?"
    r"(?:\s*:\s*|\s+(?=(?:dong chi|d/c|dc|anh|chi|chu|co)\s))"
)
_VERB_TAIL = r"(?:\s+(?:cuoc hop|buoi sinh hoat|hoi nghi|giup toi|gium|giup|giùm|nhu moi khi|hom nay))*\s*(?:[,;.)]|$)"
_CHAIR_VERB = re.compile(r"\s*chu tri" + _VERB_TAIL)
_SECRETARY_VERB = re.compile(r"\s*(?:ghi bien ban|(?:lam\s+)?thu ky)" + _VERB_TAIL)
# Between a name and its verb: "(bí thư)", ", bí thư," or ", bí thư chi bộ".
_BETWEEN = re.compile(r"\s*(?:\((?P<p>[^)]{1,60})\)|[,\-–]\s*(?P<c>(?:pho )?bi thu[^,;.\-–]{0,30}?|chi uy vien|"
                      r"[^,;.\-–]{2,40}?)\s*[,\-–]?(?=\s*(?:chu tri|ghi bien ban|lam thu ky|thu ky)))?")
TurnFinder = Callable[[NoteLine], "tuple[Ref, int] | None"]


@dataclass
class Roles:
    """The chair and the minute-taker, the lines they were found on, and lines that only named them."""

    chair: Person | None = None
    secretary: Person | None = None
    chair_line: int | None = None
    secretary_line: int | None = None
    lines: set[int] = field(default_factory=set)
    _rank: dict[str, int] = field(default_factory=dict)

    def offer(self, role: str, person: Person, rank: int) -> None:
        """Keep ``person`` for ``role`` unless a more trusted (lower rank) or earlier finding is already kept."""
        if role in self._rank and self._rank[role] <= rank:
            return
        self._rank[role] = rank
        setattr(self, role, person)
        setattr(self, f"{role}_line", person.line)


def _title_after(line: NoteLine, end: int) -> tuple[str, int]:
    """A title written after a name: "(bí thư)", " - BT", ", Bí thư chi bộ" (up to the next label or clause)."""
    text = line.text
    m = re.match(r"\s*\(([^)]{1,60})\)", text[end:])
    if m:
        return title_label(m.group(1).split(",")[0]), end + m.end()
    m = re.match(r"\s*[-–,]\s*([^,;.()]{2,40}?)\s*(?=$|[;.)]|,\s*(?:thu ky|tk|thư ký|TK)\b|,)", text[end:])
    if m and not re.search(r"(?i)\b(?:thư ký|thu ky|TK)\s*:", m.group(1)):
        return title_label(m.group(1)), end + m.end()
    return "", end


def _full_in_brackets(line: NoteLine, ref: Ref) -> str:
    """ "Kim Loan (Phan Thị Kim Loan)": the full name in brackets right after a given name, when it ends with it."""
    m = re.match(r"\s*\(\s*", line.text[ref.end:])
    if not m:
        return ""
    span = read_name(line.text, line.key, ref.end + m.end())
    if not span:
        return ""
    full = line.text[span[0]:span[1]]
    words, given = fold(full).split(), fold(ref.name).split()
    return full if len(words) > len(given) and words[-len(given):] == given else ""


def find_roles(lines: list[NoteLine], refs: dict[int, list[Ref]], turn: TurnFinder,
               resolve: Callable[[str], str], lower: bool) -> Roles:
    """The chair and the minute-taker of the meeting (see module docstring)."""
    roles = Roles()
    for line in lines:
        key = line.key
        if re.search(P.GIVE + r"|\bphan cong\b", key):
            continue
        for m in _LABEL_RE.finditer(key):
            label = m.group("label")
            if label in ("ct", "tk") and line.text[m.start("label"):m.end("label")] not in ("CT", "TK") \
                    and not key[m.end("label"):].lstrip().startswith(":"):
                continue
            ref = ref_at(line, m.end(), lower=lower, bare=True)
            if ref is None or ref.marker == "role":
                continue
            name = _full_in_brackets(line, ref) or ref.name
            title, _ = _title_after(line, ref.end)
            if name != ref.name:
                title = ""
            person = Person(name=resolve(name), title=title or ref.title, line=line.no)
            role = "chair" if label in ("chu tri", "chu toa", "ct") else "secretary"
            roles.offer(role, person, 0)
            roles.lines.add(line.no)
        for ref in refs.get(line.no, []):
            between = _BETWEEN.match(key, ref.end)
            pos = between.end() if between else ref.end
            for role, verb in (("chair", _CHAIR_VERB), ("secretary", _SECRETARY_VERB)):
                if verb.match(key, pos):
                    title = ""
                    if between and (between.group("p") or between.group("c")):
                        title = title_label(line.text[between.start(1 if between.group("p") else 2):
                                                      between.end(1 if between.group("p") else 2)])
                    person = Person(name=resolve(ref.name), title=title or ref.title, line=line.no)
                    roles.offer(role, person, 1)
                    if len(key) < 160:
                        roles.lines.add(line.no)
    for rank, cue in ((2, r"\btoi (?:xin )?chu tri\b|tuyen bo khai mac|\btoi (?:xin )?khai mac"),
                      (3, r"(?:toi|xin) ket luan|tuyen bo be mac")):
        for line in lines:
            found = turn(line)
            if found and re.search(cue, line.key[found[1]:]):
                speaker = found[0]
                roles.offer("chair", Person(name=resolve(speaker.name), title=speaker.title, line=line.no), rank)
                break
    for line in lines:
        found = turn(line)
        if found and re.search(r"\btoi (?:ghi bien ban|lam thu ky)\b", line.key[found[1]:]):
            roles.offer("secretary", Person(name=resolve(found[0].name), title=found[0].title, line=line.no), 2)
    return roles
