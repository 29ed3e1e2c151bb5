"""The writer's own study-chat leads: draft them for fresh questions, and score labelled ones.

The verifier sets under evals/ are mostly written by people imitating a small model. What a member reads is what
the shipped writer actually drafts; this script produces and scores that.

    # draft: run study chat (search, refusal, the writer's lead, its checks) on a question file, as the UI would,
    # and write one record per lead sentence, for a reader to label without seeing the verdicts
    .venv/bin/python benchmarks/bench_leads.py draft evals/lead_questions3.jsonl --out /tmp/leads3.jsonl

    # score: every labelled writer set (evals/verifier_leads*.jsonl) through the lead's checks as shipped
    .venv/bin/python benchmarks/bench_leads.py score

``draft`` needs the packaged 1.5B writer (``make setup`` assembles it) and builds keyword indexes of corpus/ and
the ALQAC laws under --work (hash vectors: the lead reads the top passage, vectors barely matter). A record holds
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
  19 of 24 right.
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
    """Run study chat's lead on each question and write one record per sentence."""
    from assistant.llm.embedded import EmbeddedLLM, EmbeddedLLMSettings
    from assistant.llm.packaged import QWEN_CODER_1_5B, verify
    from assistant.retrieval.rank import load_model
    from assistant.retrieval.search import Query, Searcher
    from assistant.study.answer import Source
    from assistant.study.extractive import quotes_for
    from assistant.study.generative import Lead, lead_passages, stream_lead
    from assistant.study.relevance import UNSURE_BELOW, answer_decision, missing_article

    services = {name: build_services(docs, work / f"{name}-hash", "hash")[0]
                for name, docs in (("alqac", ALQAC / "docs"), ("corpus", REPO / "corpus"))}
    searchers = {name: Searcher(s.index, s.settings.retrieval, load_model()) for name, s in services.items()}
    llm = EmbeddedLLM(EmbeddedLLMSettings(model_path=verify(QWEN_CODER_1_5B)), temperature=0.0, max_tokens=120)
    items = [json.loads(line) for line in questions.read_text(encoding="utf-8").splitlines() if line.strip()]
    records, seen = [], set()
    for q in items[:limit]:
        service = services[q["set"]]
        hits, plan = searchers[q["set"]].search(Query(q["question"], k=service.settings.retrieval.k))
        if missing_article(service.index, plan):
            continue
        answers, probability = answer_decision(q["question"], hits, plan, service.settings.retrieval)
        if not answers or probability < UNSURE_BELOW:  # refused, or quotes under a caution: no lead is written
            continue
        sources = [Source(i + 1, h, quotes_for(q["question"], h)) for i, h in enumerate(hits)]
        shown = lead_passages(sources)[0]
        lead = next(item for item in stream_lead(llm, q["question"], sources, "vi") if isinstance(item, Lead))
        for check in lead.checks:
            key = (check.sentence.strip(), shown.text)
            if key in seen:
                continue
            seen.add(key)
            doc = re.sub(r"^(?:(?:điểm|khoản|mục|phần|Điều)\s+\S+\s+)*", "", shown.citation).strip()
            records.append({"id": f"L-{len(records) + 1:03d}", "question_id": q["id"], "question": q["question"],
                            "passages": [{"n": shown.marker, "doc_id": doc or shown.citation,
                                          "citation": shown.citation, "text": shown.text}],
                            "sentence": check.sentence, "_kept": check.supported, "_problems": check.problems})
        print(q["id"], len(lead.checks), file=sys.stderr)
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
             "`verifier_leads.jsonl`, `verifier_leads_heldout.jsonl` and `verifier_leads_heldout2.jsonl` were used "
             "to write rules after their first scoring; `verifier_leads_heldout3.jsonl` is held out (the first "
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
