"""The checks every written verifier set gets (evals/verifier_heldout5.jsonl onwards).

Each function returns the problems it finds; a set's test module asserts there are none, and adds what is its own
(size and id prefix, label and kind balance, which laws it may use, its citation pattern and deliberate short cuts).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path

from tests.evals_data.sources import CORPUS_SRC, LAW_DIR, REPO, law_text, squash

KEYS = {"id", "passages", "sentence", "label", "error", "note"}
PASSAGE_KEYS = {"n", "doc_id", "citation", "text"}
MARKER = re.compile(r"\[(\d+)\]")
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
VERDICT = re.compile(r"\b(đúng|sai|đáp án|câu trả lời là)\b", re.IGNORECASE)
HEADING = re.compile(r"^\W*Điều (\d+)\.")
UNIT = re.compile(r"(?:điểm [a-zđ] )?(?:khoản \d+ )?(?:Điều \d+|mục [\d.]+(?: phần [IVX]+)?)")
# A citation of the sets from 7 on: an optional point, clause, article or item, part, then the document's name.
_DOC_NAMES = (r"(?:Quy định|Hướng dẫn|Chỉ thị|Nghị quyết|Kế hoạch|Thông báo|Quyết định|Báo cáo|Biên bản)"
              r" \d+-[A-ZĐ]+/[A-ZĐ]+", r"Luật [^\d]+")
_UNIT_PREFIX = (r"^(?:điểm (?P<point>[a-zđ]) )?(?:khoản (?P<clause>\d+) )?(?:Điều (?P<article>\d+) |"
                r"mục (?P<item>[\d.]+) )?(?:phần (?:[IVX]+|mở đầu|căn cứ) )?")
CORPUS_RAW = {path.stem: unicodedata.normalize("NFC", path.read_text(encoding="utf-8"))
              for path in CORPUS_SRC.glob("*.txt")}
CORPUS = {stem: squash(text) for stem, text in CORPUS_RAW.items()}
IsLaw = Callable[[dict], bool]


def citation_pattern(*more_names: str) -> re.Pattern[str]:
    """The citation form of the sets from 7 on, naming the unit (groups point, clause, article, item); ``more_names``
    are further document-name patterns ("Bộ luật [^\\d]+")."""
    return re.compile(_UNIT_PREFIX + "(?:" + "|".join((*_DOC_NAMES, *more_names)) + ")$")


def is_law(passage: dict) -> bool:
    """A passage cut from a law (its doc_id is the law's file name), not from corpus-src."""
    return passage["doc_id"].startswith("Luật")


def is_law_or_code(passage: dict) -> bool:
    """A passage cut from a law, the Civil Code or the Constitution (set 9 cuts from all three)."""
    return passage["doc_id"].startswith(("Luật", "Bộ luật", "Hiến pháp"))


def other_sets(dataset: Path, *, written_only: bool = False) -> list[Path]:
    """The other verifier sets; ``written_only`` leaves out the writer's own leads (verifier_leads*.jsonl), which
    quote whatever passage the search found, so a passage shared with them is no copy."""
    return sorted(p for p in (REPO / "evals").glob("verifier_*.jsonl")
                  if p.name != dataset.name and not (written_only and p.name.startswith("verifier_leads")))


@cache
def law_raw(doc_id: str) -> str:
    """The text of the law file named ``doc_id``."""
    matches = [p for p in LAW_DIR.iterdir() if unicodedata.normalize("NFC", p.stem) == doc_id]
    assert len(matches) == 1, f"law file for {doc_id!r} not found"
    return law_text(matches[0])


def shape_problems(items: list[dict], kinds: Iterable[str]) -> list:
    """Duplicate sentences, and items whose fields, label, kind, sentence or note are malformed."""
    kinds = set(kinds)
    sentences = [squash(item["sentence"]) for item in items]
    bad: list = ["duplicate sentences"] if len(sentences) != len(set(sentences)) else []
    for item in items:
        ok = (
            set(item) == KEYS
            and item["label"] in {"supported", "unsupported"}
            and (item["label"] == "supported") == (item["error"] is None)
            and (item["error"] is None or item["error"] in kinds)
            and isinstance(item["sentence"], str)
            and item["sentence"].strip()
            and "\n" not in item["sentence"]
            and item["sentence"] == unicodedata.normalize("NFC", item["sentence"])
            and isinstance(item["note"], str)
            and item["note"].strip()
        )
        if not ok:
            bad.append(item.get("id"))
    return bad


def counts_table(items: list[dict], doc: Path) -> tuple[dict[str, int], dict[str, int]]:
    """(the counts table of the set's .md, the counts in the data)."""
    table = dict(re.findall(r"^\| `([a-z_]+)` \| (\d+) \|", doc.read_text(encoding="utf-8"), re.MULTILINE))
    return {k: int(v) for k, v in table.items()}, dict(Counter(item["error"] or "supported" for item in items))


def passage_problems(items: list[dict], citation: re.Pattern[str], law: IsLaw = is_law) -> list:
    """Passage numbering, fields, citation form, length, NFC; corpus passages verbatim in corpus-src; a law
    passage cited by its own law."""
    bad: list = []
    for item in items:
        passages = item["passages"]
        if not passages or [p["n"] for p in passages] != list(range(1, len(passages) + 1)):
            bad.append((item["id"], "numbering"))
        for p in passages:
            if set(p) != PASSAGE_KEYS or not citation.match(p["citation"]) or len(p["text"]) > 600:
                bad.append((item["id"], p.get("n"), "shape"))
            if p["text"] != unicodedata.normalize("NFC", p["text"]):
                bad.append((item["id"], p["n"], "not NFC"))
            if law(p):
                if not p["citation"].endswith(p["doc_id"]):
                    bad.append((item["id"], p["n"], "citation names another law"))
            elif p["doc_id"] not in CORPUS or squash(p["text"]) not in CORPUS[p["doc_id"]]:
                bad.append((item["id"], p["n"], "not verbatim in corpus-src"))
    return bad


def article_at(raw: str, passage_text: str) -> int | None:
    """Number of the nearest "Điều N." heading at or before the passage (headings are line starts)."""
    position = squash(raw).find(squash(passage_text))
    assert position >= 0
    article, offset = None, 0
    for line in raw.splitlines():
        piece = squash(line)
        if not piece:
            continue
        if offset > position:
            break
        match = HEADING.match(piece)
        if match:
            article = int(match.group(1))
        offset += len(piece) + 1
    return article


def unit_problems(passage: dict, raw: str | None, citation: re.Pattern[str], *,
                  short_cuts: frozenset[tuple[str, str]] = frozenset(), unique: bool = False) -> list[str]:
    """The cited article is the nearest heading before the cut; the cut starts with the cited clause, point or
    item (unless it is one of the set's documented ``short_cuts``); with ``unique``, the cut occurs once."""
    match = citation.match(passage["citation"])
    problems = []
    if match["article"] and raw is not None and article_at(raw, passage["text"]) != int(match["article"]):
        problems.append("article")
    if unique and raw is not None and squash(raw).count(squash(passage["text"])) != 1:
        problems.append("cut is not unique in its source")
    if (passage["doc_id"], passage["citation"]) in short_cuts:
        return problems
    lines = [line.strip() for line in passage["text"].splitlines() if line.strip()]
    first = lines[1] if lines[0].startswith("Điều ") and len(lines) > 1 else lines[0]
    if match["point"]:
        expected = f"{match['point']})"
    elif match["clause"]:
        expected = f"{match['clause']}."
    elif match["item"]:
        expected = f"{match['item']}."
    else:
        return problems
    if not first.startswith(expected):
        problems.append(f"starts {first[:8]!r}, cited {expected!r}")
    return problems


def corpus_unit_problems(items: list[dict], citation: re.Pattern[str], law: IsLaw = is_law, **unit: object) -> list:
    """:func:`unit_problems` of every corpus passage."""
    return [(item["id"], p["n"], problem) for item in items for p in item["passages"] if not law(p)
            for problem in unit_problems(p, CORPUS_RAW[p["doc_id"]], citation, **unit)]  # type: ignore[arg-type]


def law_problems(items: list[dict], law: IsLaw = is_law, citation: re.Pattern[str] | None = None,
                 **unit: object) -> list:
    """Law passages verbatim in their law file, and, given the set's ``citation`` pattern, their units right."""
    bad: list = []
    for item in items:
        for p in item["passages"]:
            if not law(p):
                continue
            if squash(p["text"]) not in squash(law_raw(p["doc_id"])):
                bad.append((item["id"], p["n"], p["doc_id"], "not verbatim"))
            elif citation is not None:
                bad.extend((item["id"], p["n"], problem)
                           for problem in unit_problems(p, law_raw(p["doc_id"]), citation, **unit))  # type: ignore[arg-type]
    return bad


def marker_problems(items: list[dict]) -> list:
    """Markers within the passages given; no marker exactly for uncited claims; two passages for a wrong marker."""
    bad: list = []
    for item in items:
        markers = {int(m) for m in MARKER.findall(item["sentence"])}
        numbers = {p["n"] for p in item["passages"]}
        if not markers <= numbers:
            bad.append((item["id"], "marker out of range"))
        if (item["error"] == "uncited_claim") == bool(markers):
            bad.append((item["id"], "uncited_claim iff no marker"))
        if item["error"] == "wrong_marker" and len(numbers) < 2:
            bad.append((item["id"], "wrong_marker needs two passages"))
    return bad


def unsourced_numbers(items: list[dict]) -> list:
    """Digit groups of supported sentences that no cited passage or its citation has."""
    bad: list = []
    for item in items:
        if item["label"] != "supported":
            continue
        cited = {int(m) for m in MARKER.findall(item["sentence"])}
        source = " ".join(p["text"] + " " + p["citation"] for p in item["passages"] if p["n"] in cited)
        available = {int(d) for d in re.findall(r"\d+", source)}
        missing = [d for d in re.findall(r"\d+", MARKER.sub("", item["sentence"])) if int(d) not in available]
        if missing:
            bad.append((item["id"], missing))
    return bad


def wrong_article_problems(items: list[dict]) -> list:
    """A wrong_article sentence names a unit that none of its citations is."""
    bad: list = []
    for item in items:
        if item["error"] != "wrong_article":
            continue
        named = UNIT.search(item["sentence"])
        citations = " | ".join(p["citation"] for p in item["passages"])
        if not named or named.group(0) in citations:
            bad.append((item["id"], named and named.group(0)))
    return bad


def foreign_and_verdict_problems(items: list[dict]) -> list:
    """A foreign_words sentence has a non-Vietnamese word its passages lack; a verdict sentence says one."""
    bad: list = []
    for item in items:
        sentence = item["sentence"]
        if item["error"] == "foreign_words" and not CJK.search(sentence):
            passages = squash(" ".join(p["text"] + " " + p["citation"] for p in item["passages"])).lower()
            if not [w for w in re.findall(r"[A-Za-z]{4,}", sentence) if w.lower() not in passages]:
                bad.append((item["id"], "no foreign word"))
        if item["error"] == "verdict" and not (VERDICT.search(sentence) or re.search(r"\b[A-D]\b", sentence)):
            bad.append((item["id"], "no verdict"))
    return bad


def _records(paths: Iterable[Path]) -> Iterable[tuple[Path, dict]]:
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                yield path, json.loads(line)


def shared_sentences(items: list[dict], paths: Iterable[Path]) -> list:
    """Sentences of ``items`` that another set also has (only its sentences are read)."""
    mine = {squash(item["sentence"]) for item in items}
    return [(path.name, record.get("sentence", "")) for path, record in _records(paths)
            if squash(record.get("sentence", "")) in mine]


def reused_passages(items: list[dict], paths: Iterable[Path]) -> list:
    """Passages of ``items`` equal to a passage of another set (only their texts are read)."""
    earlier = {squash(p.get("text", "")) for _, record in _records(paths) for p in record.get("passages", [])}
    return sorted({(p["doc_id"], p["citation"]) for item in items for p in item["passages"]
                   if squash(p["text"]) in earlier})
