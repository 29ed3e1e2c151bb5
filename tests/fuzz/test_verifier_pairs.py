"""The verifier on real text it was not written for: no crash, whatever sentence meets whatever passage.

A crash in the verifier loses a member's whole answer (the chat checks the model's lead with it). The actor
check once crashed on any sentence whose actor "sống …" as its passage said; random text never hits such
shapes, real sentences do. Every labelled sentence of the verifier sets is checked against the passages of the
next item (another clause, often another document) and every sample-corpus line against its neighbour, as a
restatement and as a cited sentence.
"""

from __future__ import annotations

import json
from pathlib import Path

from assistant.text.support import Passage, check_restatement, check_sentence, check_text

REPO = Path(__file__).resolve().parent.parent.parent


def _items() -> list[dict]:
    out = []
    for path in sorted((REPO / "evals").glob("verifier_*.jsonl")):
        out += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return out


def test_every_sentence_against_another_items_passages() -> None:
    items = _items()
    assert len(items) > 1000
    for item, other in zip(items, items[1:] + items[:1], strict=True):
        passages = [Passage(p["n"], p["text"], p.get("citation", "")) for p in other["passages"]]
        result = check_sentence(item["sentence"], passages)
        assert isinstance(result.problems, list)


def test_corpus_lines_against_their_neighbours() -> None:
    lines = [line.strip() for path in sorted((REPO / "corpus-src").glob("*.txt"))
             for line in path.read_text(encoding="utf-8").splitlines() if len(line.strip()) > 20]
    assert len(lines) > 200
    for line, neighbour in zip(lines, lines[1:], strict=False):
        check_restatement(line, neighbour, "mục 1 Văn bản mẫu")
        check_text(f"{line} [1]. {neighbour} [2].", [Passage(1, neighbour, "khoản 1 Điều 2"), Passage(2, line, "")])
