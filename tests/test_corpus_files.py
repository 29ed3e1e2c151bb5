"""The bundled sample corpus and the study-question set stay consistent.

Checks the files in corpus/ (every one marked as a sample, a mix of formats), that no source
carries a secrecy mark, that the build is deterministic, and that every gold reference in
evals/study_questions.jsonl points at a document and a numbered unit that really exist.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SRC = CORPUS.parent / "corpus-src"
QUESTIONS = ROOT / "evals" / "study_questions.jsonl"
MARKER = "[TÀI LIỆU MẪU – do nhóm phát triển Trợ lý Chi bộ soạn để thử nghiệm, không phải văn bản chính thức]"
FORMATS = {".pdf", ".docx", ".txt", ".md"}
SECRECY_RE = re.compile(r"^\s*(MẬT|TỐI MẬT|TUYỆT MẬT)\s*$", re.MULTILINE)


def corpus_files() -> list[Path]:
    return sorted(p for p in CORPUS.iterdir() if p.is_file() and p.name != "README.md")


def squash(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def read_text_file(path: Path) -> str:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1258")  # Vietnamese Windows code page, decomposed tone marks
    return unicodedata.normalize("NFC", text)


def extract_start(path: Path) -> str:
    """The first text a loader would see in the file."""
    if path.suffix == ".pdf":
        from pypdf import PdfReader

        return PdfReader(path).pages[0].extract_text()
    if path.suffix == ".docx":
        import docx

        return "\n".join(p.text for p in docx.Document(str(path)).paragraphs[:3])
    return read_text_file(path)


def source_lines(doc_id: str) -> list[str]:
    return unicodedata.normalize("NFC", (SRC / f"{doc_id}.txt").read_text(encoding="utf-8")).splitlines()


def load_questions() -> list[dict]:
    return [json.loads(line) for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()]


# --------------------------------------------------------------------------- locating gold units

ROMAN_RE = re.compile(r"^[IVXLC]+$")
SECTION_RE = re.compile(r"^([IVXLC]+)- ")
ARTICLE_RE = re.compile(r"^Điều (\d+)\.")
ITEM_RE = re.compile(r"^(\d+(?:\.\d+)*)\.\s")


def _span(lines: list[str], start: int, stop_re: re.Pattern[str]) -> list[str]:
    end = next((k for k in range(start + 1, len(lines)) if stop_re.match(lines[k])), len(lines))
    return lines[start:end]


def _find(lines: list[str], prefix: str) -> int | None:
    return next((k for k, line in enumerate(lines) if line.startswith(prefix)), None)


def locate(lines: list[str], article: str, clause: str | None = None, point: str | None = None) -> bool:
    """Does the document have this unit? See evals/README.md for the conventions.

    "5" in a document with "Điều N." headings is Điều 5 (clause = khoản, point = điểm);
    otherwise the article is a path of the numbered items: "II.1.2" is item "1.2." inside
    section "II-", "3" is item "3." (then point = the "a)" inside it).
    """
    if re.fullmatch(r"\d+", article) and any(ARTICLE_RE.match(line) for line in lines):
        k = _find(lines, f"Điều {article}.")
        if k is None:
            return False
        span = _span(lines, k, re.compile(r"^(Điều \d+\.|Chương [IVXLC]+$|T/M |K/T |T/L |Nơi nhận:)"))
        if clause is not None:
            c = _find(span, f"{clause}. ")
            if c is None:
                return False
            span = _span(span, c, re.compile(r"^\d+\.\s"))
    else:
        if clause is not None:
            return False  # the item path already says everything
        parts = article.split(".")
        span = lines
        if ROMAN_RE.match(parts[0]):
            k = _find(span, f"{parts[0]}- ")
            if k is None:
                return False
            span = _span(span, k, SECTION_RE)
            parts = parts[1:]
        if parts:
            label = ".".join(parts)
            k = _find(span, f"{label}. ")
            if k is None:
                return False
            depth = len(parts)
            same_or_higher = rf"\d+(?:\.\d+){{0,{depth - 1}}}\.\s"
            stop = re.compile(rf"^(?:[IVXLC]+- |{same_or_higher}|T/M |K/T |T/L |THƯ KÝ$|Nơi nhận:)")
            span = _span(span, k, stop)
    if point is not None:
        return _find(span, f"{point}) ") is not None
    return True


# --------------------------------------------------------------------------- corpus files


def test_every_corpus_file_starts_with_the_sample_marker() -> None:
    for path in corpus_files():
        assert squash(extract_start(path)).startswith(MARKER), path.name


def test_every_source_starts_with_the_marker_and_has_no_secrecy_mark() -> None:
    for src in sorted(SRC.glob("*.txt")):
        text = src.read_text(encoding="utf-8")
        assert text.splitlines()[0] == MARKER, src.name
        assert text.count(MARKER) == 1, src.name
        assert not SECRECY_RE.search(text), f"{src.name} carries a secrecy mark"


def test_one_file_per_document_in_a_mix_of_formats() -> None:
    files = corpus_files()
    stems = Counter(p.stem for p in files)
    assert all(n == 1 for n in stems.values()), stems
    assert {p.suffix for p in files} <= FORMATS
    assert set(stems) == {p.stem for p in SRC.glob("*.txt")}
    assert len(files) >= 12
    counts = Counter(p.suffix for p in files)
    assert counts[".pdf"] >= 4 and counts[".docx"] >= 4, counts
    assert counts[".txt"] >= 2 and counts[".md"] >= 2, counts


def test_text_files_cover_utf8_and_windows_1258() -> None:
    encodings = set()
    for path in CORPUS.glob("*.txt"):
        data = path.read_bytes()
        try:
            data.decode("utf-8")
            encodings.add("utf-8")
        except UnicodeDecodeError:
            encodings.add("cp1258")
    assert encodings == {"utf-8", "cp1258"}


def test_a_pdf_has_several_pages_and_a_docx_has_tables_and_word_numbering() -> None:
    import docx
    from pypdf import PdfReader

    assert max(len(PdfReader(p).pages) for p in CORPUS.glob("*.pdf")) >= 3
    documents = [docx.Document(str(p)) for p in CORPUS.glob("*.docx")]
    assert any(len(d.tables) >= 2 for d in documents)
    assert any(p.style.name == "List Number" for d in documents for p in d.paragraphs)


def test_full_text_matches_source_for_plain_text_formats() -> None:
    for path in list(CORPUS.glob("*.txt")):
        text = read_text_file(path).replace("\r\n", "\n")
        assert text == "\n".join(source_lines(path.stem)) + "\n", path.name


def _load_builder() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_corpus", ROOT / "scripts" / "build_corpus.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


def test_build_is_deterministic(tmp_path: Path) -> None:
    builder = _load_builder()
    first = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in builder.build(SRC, tmp_path / "a")}
    second = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in builder.build(SRC, tmp_path / "b")}
    assert first == second
    assert set(first) == {p.name for p in corpus_files()}


# --------------------------------------------------------------------------- study questions


def test_questions_are_well_formed() -> None:
    questions = load_questions()
    assert len(questions) >= 70
    assert len({q["id"] for q in questions}) == len(questions)
    for q in questions:
        assert q["type"] in {"free_text", "true_false", "multiple_choice"}, q["id"]
        assert q["question"].strip(), q["id"]
        if not q.get("answerable", True):
            assert q["gold"] == [] and q["answer"] is None, q["id"]
            continue
        assert q["gold"], q["id"]
        if q["type"] == "true_false":
            assert q["answer"] in {"Đúng", "Sai"}, q["id"]
        elif q["type"] == "multiple_choice":
            assert q["answer"] in q["choices"], q["id"]
        else:
            assert isinstance(q["answer"], str) and q["answer"], q["id"]


def test_question_mix_meets_the_minimums() -> None:
    questions = load_questions()
    types = Counter(q["type"] for q in questions)
    assert types["true_false"] >= 10 and types["multiple_choice"] >= 10, types
    assert sum(not q.get("answerable", True) for q in questions) >= 10
    assert sum(q["question"].isascii() for q in questions) >= 10  # typed without diacritics
    assert any(re.search(r"Điều \d+ Quy định", q["question"]) for q in questions)


def test_gold_references_exist_in_the_corpus() -> None:
    stems = {p.stem for p in corpus_files()}
    for q in load_questions():
        for gold in q["gold"]:
            doc_id = gold["doc_id"]
            assert doc_id in stems, (q["id"], doc_id)
            lines = source_lines(doc_id)
            number_line = next(line for line in lines[:8] if line.startswith(("Số ", "Luật số: ")))
            assert number_line.split(" ")[-1] == gold["doc"], (q["id"], gold["doc"], number_line)
            if "article" in gold:
                assert locate(lines, gold["article"], gold.get("clause"), gold.get("point")), (q["id"], gold)
            else:
                assert "clause" not in gold and "point" not in gold, q["id"]


@pytest.mark.parametrize(
    ("doc_id", "article", "clause", "point", "found"),
    [
        ("339-qd-tw-so-tay-dang-vien", "6", "2", "đ", True),
        ("339-qd-tw-so-tay-dang-vien", "6", "2", "e", False),
        ("339-qd-tw-so-tay-dang-vien", "16", None, None, False),
        ("42-hd-btctw-sinh-hoat-chi-bo", "II.1.1.2", None, None, True),
        ("42-hd-btctw-sinh-hoat-chi-bo", "I.3", None, None, False),
        ("57-nq-tw-khoa-hoc-cong-nghe", "III.5", None, "c", True),
        ("57-nq-tw-khoa-hoc-cong-nghe", "III.4", None, "a", False),
    ],
)
def test_locate_follows_the_documented_conventions(
    doc_id: str, article: str, clause: str | None, point: str | None, found: bool
) -> None:
    assert locate(source_lines(doc_id), article, clause, point) is found
