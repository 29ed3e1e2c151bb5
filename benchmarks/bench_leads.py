"""The writer's own study-chat leads: draft them for fresh questions, and score labelled ones.

The verifier sets under evals/ are mostly written by people imitating a small model. What a member reads is what
the shipped writer actually drafts; this script produces and scores that.

    # draft: ask study chat each question of a file, as the UI would, and write one record per lead sentence,
    # for a reader to label without seeing the verdicts
    .venv/bin/python benchmarks/bench_leads.py draft evals/lead_questions3.jsonl --out /tmp/leads3.jsonl

    # score: every labelled writer set (evals/verifier_leads*.jsonl) through the lead's checks as shipped
    .venv/bin/python benchmarks/bench_leads.py score

``draft`` asks study chat itself (``StudyChat.ask``: search, refusal, the lead and its checks) with the writer the
app would load (the packaged 1.5B when installed: ``make setup`` assembles it), over keyword indexes of corpus/
and the ALQAC laws under --work (hash vectors: the lead reads the top passage, vectors barely matter). A record holds
the question, the one passage excerpt the writer saw, the sentence, and, in fields starting with "_", the
verifier's verdict: strip those before giving the file to a reader, then add "label", "error" and "note"
(evals/verifier_leads.md). ``score`` writes benchmarks/results/leads.md (and .json): wrong sentences caught, correct ones kept,
and how many of the sentences a member would have read were right.

Figures recorded when each held-out set was first scored (the verdicts of the run itself, by the rules of its day;
the table of ``score`` re-checks each sentence with today's rules):
- verifier_leads_heldout.jsonl (lead_questions.jsonl, mid-session-4 rules): caught 21/30, kept 20/27, 20 of 29 shown
  sentences right;
- verifier_leads_heldout2.jsonl (lead_questions2.jsonl, round-7 rules): caught 39/44, kept 19/23, 19 of 24 right;
- verifier_leads_heldout3.jsonl (lead_questions3.jsonl, the final rules of session 4): caught 35/40, kept 19/21,
  19 of 24 right;
- verifier_leads_heldout4.jsonl (lead_questions4.jsonl, the first rules of session 5): caught 33/39, kept 12/14, 12 of
  18 right;
- verifier_leads_heldout5.jsonl (lead_questions5.jsonl, the final rules of session 5): caught 45/55, kept 10/13, 10 of
  20 right.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from training import ALQAC, build_services, write_results  # noqa: E402

from assistant.study.generative import verify_lead  # noqa: E402
from assistant.text.support import Passage  # noqa: E402

EVALS = REPO / "evals"
RESULTS = REPO / "benchmarks" / "results"


def draft(questions: Path, out: Path, work: Path, limit: int | None) -> None:
    """Ask study chat each question, as the UI does, and write one record per sentence of the writer's lead."""
    from assistant.llm import create_llm
    from assistant.settings import load_settings
    from assistant.study.chat import StudyChat
    from assistant.study.generative import lead_passages
    from assistant.text.support import split_sentences

    services = {name: build_services(docs, work / f"{name}-hash", "hash")[0]
                for name, docs in (("alqac", ALQAC / "docs"), ("corpus", REPO / "corpus"))}
    # The writer the app would load (the packaged 1.5B when installed), capabilities resolved as the app does.
    writer = create_llm(load_settings(overrides={"data_dir": str(work), "llm": {"backend": "embedded"}}, environ={}))
    chats = {name: StudyChat(s.searcher, lambda: writer, s.settings) for name, s in services.items()}
    items = [json.loads(line) for line in questions.read_text(encoding="utf-8").splitlines() if line.strip()]
    records, seen = [], set()
    for q in items[:limit]:
        answer = chats[q["set"]].ask(q["question"])
        if not (answer.lead or answer.removed_sentences):
            continue  # refused, quotes under a caution, or "KHÔNG RÕ": no lead sentence to read
        shown = lead_passages(answer.sources)[0]
        sentences = [(s, True) for s in split_sentences(answer.lead)] + [(s, False) for s in answer.removed_sentences]
        for sentence, kept in sentences:
            if (sentence.strip(), shown.text) in seen:
                continue
            seen.add((sentence.strip(), shown.text))
            doc = re.sub(r"^(?:(?:điểm|khoản|mục|phần|Điều)\s+\S+\s+)*", "", shown.citation).strip()
            records.append({"id": f"L-{len(records) + 1:03d}", "question_id": q["id"], "question": q["question"],
                            "passages": [{"n": shown.marker, "doc_id": doc or shown.citation,
                                          "citation": shown.citation, "text": shown.text}],
                            "sentence": sentence, "_kept": kept})
        print(q["id"], len(sentences), file=sys.stderr)
    out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    print(f"{len(records)} sentences, {sum(r['_kept'] for r in records)} kept → {out}")


def score() -> None:
    """Every labelled writer set through the lead's checks as shipped; results to benchmarks/results/leads.md."""
    rows = []
    for path in sorted(EVALS.glob("verifier_leads*.jsonl")):
        caught = wrong = kept = right = shown_wrong = 0
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            item = json.loads(line)
            p = item["passages"][0]
            lead = verify_lead(item["sentence"], [Passage(p["n"], p["text"], p["citation"])], allow_verdicts=False,
                               question=item["question"])
            shown = bool(lead.text)
            if item["label"] == "supported":
                right, kept = right + 1, kept + shown
            else:
                wrong, caught, shown_wrong = wrong + 1, caught + (not shown), shown_wrong + shown
        rows.append((path.name, caught, wrong, kept, right, shown_wrong))
    lines = ["# The writer's own leads", "",
             "Written by `benchmarks/bench_leads.py score`: each labelled sentence of `evals/verifier_leads*.jsonl` "
             "through the study lead's checks as shipped (`verify_lead`, with the member's question). "
             "`verifier_leads.jsonl` and `verifier_leads_heldout.jsonl` … `_heldout4.jsonl` were used "
             "to write rules after their first scoring; `verifier_leads_heldout5.jsonl` is held out (the first "
             "figures of each are in the script's docstring and in `verifier.md`).", "",
             "| set | wrong caught | correct kept | shown sentences right |", "|---|---|---|---|"]
    for name, caught, wrong, kept, right, shown_wrong in rows:
        lines.append(f"| `{name}` | {caught}/{wrong} = {caught / wrong:.1%} | {kept}/{right} = {kept / right:.1%} | "
                     f"{kept}/{kept + shown_wrong} = {kept / (kept + shown_wrong):.1%} |")
    summary = {name: {"caught": caught, "wrong": wrong, "kept": kept, "correct": right,
                      "shown_right": kept, "shown": kept + shown_wrong}
               for name, caught, wrong, kept, right, shown_wrong in rows}
    write_results(RESULTS, "leads", summary, lines)


def main() -> None:
    """Draft leads for a question file, or score the labelled writer sets."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    d = sub.add_parser("draft", help="run study chat's lead on a question file")
    d.add_argument("questions", type=Path)
    d.add_argument("--out", type=Path, required=True)
    d.add_argument("--work", type=Path, default=Path("/tmp/chibo-leads"))
    d.add_argument("--limit", type=int, default=None)
    sub.add_parser("score", help="score the labelled writer sets")
    args = parser.parse_args()
    if args.command == "draft":
        draft(args.questions, args.out, args.work, args.limit)
    else:
        score()


if __name__ == "__main__":
    main()
