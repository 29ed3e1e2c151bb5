"""Article recovery of the structure parser on real laws (default ../shared/eval/alqac/docs).

For each document: articles found by ``parse_structure`` over the text the
project's loader produces, next to two independent expectations read from a
plain extraction of the same file (python-docx paragraphs, pypdf pages, or the
file itself), normalised to NFC:

- ``headings``: distinct numbers N of lines that start with "Điều N" (an
  upper bound: a cross-reference wrapped to a line start counts only if its
  number is not a real heading anyway, since numbers are de-duplicated);
- ``max``: the largest such N (differs when the source lacks an article).

    .venv/bin/python benchmarks/bench_structure.py [--docs DIR] [--plain] [--show-missing]

``--plain`` parses the plain extraction instead of the project's loader output.
The data is read in place and never copied.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
import unicodedata
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from assistant.ingest.structure import count_articles, parse_structure  # noqa: E402
from assistant.text.vietnamese import clean_text  # noqa: E402

DEFAULT_DOCS = REPO.parent / "shared" / "eval" / "alqac" / "docs"
EXTENSIONS = (".txt", ".md", ".docx", ".pdf")
# The dataset's README gives 2,249 articles in all. Counting on NFC text finds
# 2,252: three headings (Hiến pháp Điều 115, 116; Luật Trồng trọt Điều 64) are
# stored decomposed (NFD) and are missed by a count over the raw bytes.
README_TOTAL = 2249
_HEADING = re.compile(r"(?m)^[\s#*>]*Điều\s+(\d{1,4})(?![\d])")


def plain_text(path: Path) -> str:
    """Text without the project's loader, for an independent expectation."""
    if path.suffix == ".docx":
        import docx

        return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    if path.suffix == ".pdf":
        import pypdf

        return "\n".join(page.extract_text() or "" for page in pypdf.PdfReader(str(path)).pages)
    return path.read_text(encoding="utf-8")


def loader_text(path: Path) -> str:
    try:
        from assistant.ingest.loaders import load_document
    except ImportError:  # loaders not landed: fall back to the plain extraction
        return clean_text(plain_text(path))
    return load_document(path).text


def expected(text: str) -> tuple[int, int]:
    numbers = {int(m.group(1)) for m in _HEADING.finditer(unicodedata.normalize("NFC", text))}
    return len(numbers), max(numbers, default=0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=Path, default=DEFAULT_DOCS)
    parser.add_argument("--plain", action="store_true", help="parse the plain extraction, not the loader's text")
    parser.add_argument("--show-missing", action="store_true", help="list expected article numbers not found")
    args = parser.parse_args()
    files = sorted(p for p in args.docs.iterdir() if p.suffix.lower() in EXTENSIONS)
    if not files:
        print(f"no documents in {args.docs}", file=sys.stderr)
        return 1
    rows = []
    totals = [0, 0, 0]
    parse_seconds = 0.0
    for path in files:
        raw = plain_text(path)
        text = clean_text(raw) if args.plain else loader_text(path)
        started = time.perf_counter()
        units = parse_structure(text)
        parse_seconds += time.perf_counter() - started
        found = count_articles(units)
        headings, highest = expected(raw)
        labels = {u.label for u in units if u.kind == "dieu"}
        missing = sorted(n for n in {int(m.group(1)) for m in _HEADING.finditer(unicodedata.normalize("NFC", raw))}
                         if str(n) not in labels)
        rows.append((path.name, found, headings, highest, len(labels), missing))
        totals[0] += found
        totals[1] += headings
        totals[2] += highest
    width = max(len(r[0]) for r in rows)
    print(f"{'document':<{width}}  found  headings  max  ok")
    for name, found, headings, highest, distinct, missing in rows:
        flag = "✓" if found == headings == distinct else "✗"
        print(f"{name:<{width}}  {found:>5}  {headings:>8}  {highest:>3}  {flag}")
        if args.show_missing and missing:
            print(f"{'':<{width}}  missing: {missing[:20]}")
    print(f"{'TOTAL':<{width}}  {totals[0]:>5}  {totals[1]:>8}  {totals[2]:>4}")
    print(f"dataset README total: {README_TOTAL} (an NFC count of headings gives {totals[1]})")
    print(f"parse time: {parse_seconds:.2f} s for {len(files)} documents")
    return 0 if totals[0] == totals[1] else 2


if __name__ == "__main__":
    raise SystemExit(main())
