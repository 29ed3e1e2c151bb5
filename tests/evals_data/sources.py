"""What the verifier data-set tests share: the error kinds, the source folders, reading JSONL and law files."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CORPUS_SRC = REPO / "corpus-src"
LAW_DIR = Path("/work/shared/eval/alqac/docs")  # read-only, absent in CI: law checks skip without it
# The verifier sets' error kinds (evals/verifier_sentences.md, plus foreign words since heldout2).
VERIFIER_KINDS = frozenset({
    "changed_number", "changed_duration", "changed_date", "flipped_negation", "changed_modality",
    "wrong_article", "uncited_claim", "invented_body", "invented_document", "verdict", "wrong_marker",
    "invented_fact", "foreign_words",
})


def squash(text: str) -> str:
    """NFC with every run of whitespace one space: how passages are compared with their sources."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def plain(text: str) -> str:
    """Lower case without Vietnamese marks (đ → d): how an accent-free question spells a word."""
    decomposed = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def load_jsonl(path: Path) -> list[dict]:
    """One record per non-empty line; a line that is not JSON fails the test naming it."""
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:  # pragma: no cover - reported by the assertion
                raise AssertionError(f"{path.name} line {number} is not JSON: {exc}") from exc
    return rows


def law_text(path: Path) -> str:
    """A law file's text (docx paragraphs, pdf pages, or plain text), NFC, line structure kept."""
    suffix = path.suffix.lower()
    if suffix == ".docx":
        import docx

        text = "\n".join(paragraph.text for paragraph in docx.Document(str(path)).paragraphs)
    elif suffix == ".pdf":
        import pypdf

        text = "\n".join(page.extract_text() or "" for page in pypdf.PdfReader(str(path)).pages)
    else:
        text = path.read_text(encoding="utf-8-sig")
    return unicodedata.normalize("NFC", text)
