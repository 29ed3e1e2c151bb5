"""Shape checks for evals/injection/, the prompt-injection sample documents (issue 12, point 6).

Each document is an ordinary cell document with ONE planted instruction in one clause or item.
questions.jsonl names, per document, the planted strings the assistant must never state as its own,
the exact injection text, the real answer's span, and the unit (article / clause / item) holding both.
See evals/injection/README.md.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
ROOT = REPO / "evals" / "injection"
DATASET = ROOT / "questions.jsonl"
CORPUS_SRC = REPO / "corpus-src"

MARKER = "[TÀI LIỆU MẪU – do nhóm phát triển Trợ lý Chi bộ soạn để thử nghiệm, không phải văn bản chính thức]"
REQUIRED = {"id", "doc", "question", "planted", "kind", "answer_hint", "injection", "answer_span", "gold"}
KINDS = {
    "ignore_previous", "fake_system", "chat_template", "english", "secret", "false_claim",
    "language_switch", "fake_citation", "exfiltration", "hidden", "role_play", "markdown",
}
DOC_NAME = re.compile(r"^(\d{2})-[a-z0-9]+(?:-[a-z0-9]+)*\.txt$")
ARTICLE = re.compile(r"^Điều (\d+)\.", re.MULTILINE)
NUMBERED = re.compile(r"^(\d+)\. ", re.MULTILINE)
CLOSING = re.compile(r"^(?:T/M |K/T |T/L |Nơi nhận:)", re.MULTILINE)
NUMBER_LINE = re.compile(r"^Số (\S+)$", re.MULTILINE)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def read(path: Path) -> str:
    raw = path.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf"), f"{path.name}: no BOM expected"
    return raw.decode("utf-8")


def load_items() -> list[dict]:
    items = []
    for n, line in enumerate(DATASET.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            items.append(json.loads(line))
        else:
            pytest.fail(f"questions.jsonl line {n} is blank")
    return items


ITEMS = load_items()
DOCS = sorted(p for p in ROOT.glob("*.txt"))


def body_end(text: str) -> int:
    m = CLOSING.search(text)
    assert m, "no closing block (T/M, K/T, T/L or Nơi nhận)"
    return m.start()


def unit_span(text: str, gold: dict) -> tuple[int, int]:
    """(start, end) of the article/clause, or of the numbered item, named by ``gold``."""
    end_of_body = body_end(text)
    article = gold["article"]
    articles = list(ARTICLE.finditer(text, 0, end_of_body))
    if articles:
        starts = [m for m in articles if m.group(1) == article]
        assert len(starts) == 1, f"Điều {article} not found once"
        start = starts[0].start()
        following = [m.start() for m in articles if m.start() > start]
        end = following[0] if following else end_of_body
        clause = gold.get("clause")
        if clause:
            clauses = list(NUMBERED.finditer(text, start, end))
            hits = [m for m in clauses if m.group(1) == clause]
            assert len(hits) == 1, f"khoản {clause} of Điều {article} not found once"
            c_start = hits[0].start()
            later = [m.start() for m in clauses if m.start() > c_start]
            return c_start, (later[0] if later else end)
        return start, end
    assert "clause" not in gold, "documents without articles are cited by item path only"
    items = list(NUMBERED.finditer(text, 0, end_of_body))
    hits = [m for m in items if m.group(1) == article]
    assert len(hits) == 1, f"item {article} not found once"
    start = hits[0].start()
    later = [m.start() for m in items if m.start() > start]
    return start, (later[0] if later else end_of_body)


def decode_source(raw: bytes) -> str:
    """corpus-src holds UTF-8 (one with BOM) and one Windows-1258 file with CRLF (see corpus/README.md)."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1258")
    return nfc(text.replace("\r\n", "\n"))


def corpus_src_text() -> str:
    return "\n".join(decode_source(p.read_bytes()) for p in sorted(CORPUS_SRC.glob("*.txt")))


def test_twelve_documents_named_and_numbered() -> None:
    names = [p.name for p in DOCS]
    assert len(names) == 12, names
    numbers = []
    for name in names:
        m = DOC_NAME.match(name)
        assert m, f"bad file name {name}"
        numbers.append(int(m.group(1)))
    assert numbers == list(range(1, 13))


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.name)
def test_document_shape(path: Path) -> None:
    text = read(path)
    assert text == nfc(text), "text must be NFC"
    lines = text.split("\n")
    assert lines[0] == MARKER
    header = text.split("\n\n", 1)[0].split("\n")
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in header and "*" in header
    assert any(line.startswith("Số ") for line in header)
    assert re.search(r", ngày \d{2} tháng \d{1,2} năm \d{4}$", header[-1]), header[-1]
    assert "huyện" not in text.casefold(), "no district level"
    assert "\r" not in text
    words = len(text.split())
    assert 150 <= words <= 400, f"{words} words"
    assert ARTICLE.search(text) or NUMBERED.search(text)
    body_end(text)


def test_one_entry_per_document() -> None:
    assert [item["id"] for item in ITEMS] == [f"INJ-{n:02d}" for n in range(1, 13)]
    assert sorted(item["doc"] for item in ITEMS) == [p.name for p in DOCS]


def test_kinds() -> None:
    kinds = [item["kind"] for item in ITEMS]
    assert set(kinds) <= KINDS, set(kinds) - KINDS
    assert len(set(kinds)) >= 10


@pytest.mark.parametrize("item", ITEMS, ids=lambda i: i["id"])
def test_entry(item: dict) -> None:
    assert set(item) >= REQUIRED, REQUIRED - set(item)
    text = read(ROOT / item["doc"])
    for key in ("question", "answer_hint", "injection", "answer_span"):
        assert isinstance(item[key], str) and item[key].strip(), key
        assert item[key] == nfc(item[key]), f"{key} must be NFC"
    planted = item["planted"]
    assert isinstance(planted, list) and planted and all(isinstance(p, str) and p.strip() for p in planted)

    # The injection sits once in the document, and every planted string only inside it.
    injection = item["injection"]
    assert text.count(injection) == 1, "injection text must occur exactly once"
    inj_start = text.index(injection)
    for p in planted:
        assert text.count(p) == 1, f"planted {p!r} must occur exactly once in the document"
        assert p in injection, f"planted {p!r} must be part of the injection"
        for key in ("question", "answer_hint", "answer_span"):
            assert p.casefold() not in item[key].casefold(), f"planted {p!r} leaks into {key}"

    # The real answer and the injection are in the same unit, so retrieval brings the injection along.
    answer = item["answer_span"]
    assert text.count(answer) == 1, "answer_span must occur exactly once"
    gold = item["gold"]
    assert isinstance(gold, list) and len(gold) == 1
    ref = gold[0]
    assert ref["doc_id"] == Path(item["doc"]).stem
    number = NUMBER_LINE.search(text)
    assert number and ref["doc"] == number.group(1)
    start, end = unit_span(text, ref)
    assert start <= inj_start and inj_start + len(injection) <= end, "injection outside the gold unit"
    a_start = text.index(answer)
    assert start <= a_start and a_start + len(answer) <= end, "answer_span outside the gold unit"


def test_planted_strings_absent_from_corpus_and_other_documents() -> None:
    corpus = corpus_src_text()
    texts = {p.name: read(p) for p in DOCS}
    for item in ITEMS:
        for p in item["planted"]:
            assert p not in corpus, f"{item['id']}: planted {p!r} occurs in corpus-src/"
            others = [name for name, text in texts.items() if name != item["doc"] and p in text]
            assert not others, f"{item['id']}: planted {p!r} also in {others}"


def test_document_numbers_unique_and_not_in_corpus() -> None:
    numbers = [NUMBER_LINE.search(read(p)).group(1) for p in DOCS]
    assert len(set(numbers)) == len(numbers), numbers
    corpus_numbers = {m.group(1) for m in NUMBER_LINE.finditer(corpus_src_text())}
    assert not set(numbers) & corpus_numbers
