"""Sentence verifier: wrong sentences caught, correct paraphrases kept.

Figures, from least to most honest:
- every set with the shipped defaults, per set and per error kind. The tuning sets are
  evals/verifier_sentences.jsonl (rules written against it), evals/verifier_heldout.jsonl (held out for one
  measurement, then tuned on), evals/verifier_heldout2.jsonl (held out for two measurements, tuned on since
  session 3), evals/verifier_heldout3.jsonl (scored blind once, 72.6% caught / 92.1% kept, then tuned on) and
  evals/verifier_heldout4.jsonl (scored blind once, 87.5% caught / 94.4% kept, tuned on since round 3 of session 3),
  evals/verifier_heldout5.jsonl (78.8% / 92.6% blind, tuned on since round 4), evals/verifier_heldout6.jsonl
  (93.2% / 91.9% blind, tuned on since round 5) and evals/verifier_heldout7.jsonl (88.4% / 86.2% blind, tuned on
  since round 6);
- the tuning sets pooled, by 5-fold cross-validation grouped by document (a passage is never in both
  the folds a setting is chosen on and the fold it is scored on): the ``Strictness`` thresholds (content share,
  weakest clause's share, how many words of its own a sentence may add) are chosen on four folds and scored on
  the fifth; the shipped default is the setting chosen on all the tuning sets;
- the held-out set evals/verifier_heldout9.jsonl, written by someone who never saw the verifier or its
  rules, scored with the shipped defaults once the rules were final and never tuned on (skipped, with a note,
  while it is not there).

    .venv/bin/python benchmarks/bench_verifier.py

Results go to benchmarks/results/verifier.md. Goal (issue 12): caught >= 95%, kept >= 85% on held-out data.
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from assistant.evaluation.verifier import (  # noqa: E402
    VerifierScore,
    choose,
    cross_validate,
    features,
    kinds_table,
    load_items,
    pooled,
    score,
)
from assistant.text.support import DEFAULT_STRICTNESS, Strictness  # noqa: E402

OUT = REPO / "benchmarks" / "results" / "verifier.md"
EVALS = REPO / "evals"
# (file, status): what the rules have seen of each set.
TUNING = [
    ("verifier_sentences.jsonl", "tuned on (rules written against it)"),
    ("verifier_heldout.jsonl", "tuned on since session 2 (held out for its first measurement)"),
    ("verifier_heldout2.jsonl", "tuned on since session 3 (held out for its first two measurements)"),
    ("verifier_heldout3.jsonl", "tuned on since session 3, after one blind scoring: 72.6% / 92.1%"),
    ("verifier_heldout4.jsonl", "tuned on since round 3 of session 3, after one blind scoring: 87.5% / 94.4%"),
    ("verifier_heldout5.jsonl", "tuned on since round 4, after one blind scoring: 78.8% / 92.6%"),
    ("verifier_heldout6.jsonl", "tuned on since round 5, after one blind scoring: 93.2% / 91.9%"),
    ("verifier_heldout7.jsonl", "tuned on since round 6, after one blind scoring: 88.4% / 86.2%"),
    ("verifier_leads.jsonl", "the writer's own sentences, labelled by hand; tuned on since it was written"),
    ("verifier_leads_heldout.jsonl", "the writer's own sentences on fresh questions, labelled blind; tuned on since "
     "one blind scoring: 70.0% / 74.1%"),
    ("verifier_heldout8.jsonl", "one item read while writing a rule since one blind scoring: 90.6% / 87.5%"),
    ("verifier_leads_heldout2.jsonl", "the writer's own sentences on fresh questions, labelled blind; tuned on since "
     "one blind scoring: 88.6% / 82.6%"),
    ("verifier_leads_heldout3.jsonl", "the writer's own sentences on fresh questions, labelled blind; tuned on since "
     "one blind scoring: 82.5% / 90.5% (87.5% at the lead)"),
    ("verifier_leads_heldout4.jsonl", "the writer's own sentences on fresh questions, labelled blind; tuned on since "
     "one blind scoring: 79.5% / 85.7% (84.6% at the lead)"),
]
HELD_OUT = [("verifier_heldout9.jsonl", "held out (no rule written from it; scored after each round)"),
            ("verifier_leads_heldout5.jsonl", "the writer's own sentences on 80 fresh questions, labelled blind; "
             "held out (never tuned on)")]


def _figures(s: VerifierScore) -> list[str]:
    return [f"- wrong sentences caught: **{s.caught}/{s.wrong} = {s.caught_rate:.1%}**",
            f"- correct paraphrases kept: **{s.kept}/{s.correct} = {s.kept_rate:.1%}**"]


def _section(title: str, s: VerifierScore, note: str = "") -> list[str]:
    lines = [f"## {title}", ""]
    if note:
        lines += [note, ""]
    lines += [*_figures(s), "", "| kind | right | total |", "|---|---|---|"]
    lines += [f"| {kind} | {ok} | {total} |" for kind, ok, total in kinds_table(s)]
    if s.misses:
        lines += ["", "Misses: " + "; ".join(s.misses)]
    return lines + [""]


def _per_set(scores: list[tuple[str, str, VerifierScore]]) -> list[str]:
    """One row per set, then one row per error kind with a column per set."""
    lines = ["| set | status | caught | kept |", "|---|---|---|---|"]
    lines += [f"| `{name}` | {status} | {s.caught}/{s.wrong} = {s.caught_rate:.1%} | "
              f"{s.kept}/{s.correct} = {s.kept_rate:.1%} |" for name, status, s in scores]
    kinds = sorted({k for _, _, s in scores for k in s.by_kind}, key=lambda k: (k != "supported", k))
    lines += ["", "| kind | " + " | ".join(f"`{name.removeprefix('verifier_').removesuffix('.jsonl')}`"
                                         for name, _, _ in scores) + " |",
              "|---|" + "---|" * len(scores)]
    for kind in kinds:
        cells = [f"{s.by_kind[kind][0]}/{s.by_kind[kind][1]}" if kind in s.by_kind else "–" for _, _, s in scores]
        lines.append(f"| {kind} | " + " | ".join(cells) + " |")
    return lines + [""]


# Measured once on each set before it was ever looked at (the honest figures for earlier rounds), and the
# figures this session started from.
HISTORY = [
    "- `verifier_heldout.jsonl`, first measurement before any tuning on it: caught 106/120 = 88.3%, "
    "kept 70/78 = 89.7%. It was then used for tuning.",
    "- `verifier_heldout2.jsonl`, first measurement: caught 68/75 = 90.7%, kept 58/60 = 96.7%; second, after "
    "changes made without looking at its items (an empty or question-only sentence is refused; \"miễn\" (exempt) "
    "negates; a named grade must be the passage's): caught 69/75 = 92.0%, kept 58/60 = 96.7%. Tuned on since "
    "session 3.",
    "- Session 3 started from: `verifier_sentences` caught 101/103, kept 78/78; `verifier_heldout` caught 116/120, "
    "kept 78/78; `verifier_heldout2` caught 69/75, kept 58/60; the first two by 5-fold cross-validation caught "
    "217/223 = 97.3%, kept 155/156 = 99.4%.",
    "- Session 3 rules (general, none naming a test sentence's words): a word that cannot be a Vietnamese syllable "
    "and that the passage does not use is foreign (an abbreviation the passage spells out is not); a figure tied "
    "to words the passage ties to another figure of the same unit (\"26 đồng chí có mặt\" for \"có mặt 23\"), a "
    "ratio with one term changed (\"34/34\" for \"32/34\"), a bound turned around (\"tối đa\" for \"không ít "
    "hơn\"), a date or span put on the other side (\"từ ngày\" for \"trước ngày\", \"sau\" for \"trước\"); a run "
    "of three content syllables the passage lacks, past the sentence's opening topic; \"all\" where the passage "
    "makes an exception; disciplinary measures and voting methods are named categories; documents named without "
    "a number (\"Điều lệ Đảng\", \"Luật …\") must be the passage's; \"ngừng\", \"dừng\", \"chấm dứt\", \"chẳng\" "
    "negate; \"chưa đủ 06 tháng\" bounds a figure rather than negates; a passive \"được\" with a deadline is a duty; "
    "a proposal step named anywhere in the sentence counts; numbers and dates in words are read.",
    "- `verifier_heldout3.jsonl` (225 sentences, written by another engineer while the session-3 rules were "
    "being written, never opened by their author): scored once with the final rules, caught 90/124 = 72.6%, "
    "kept 93/101 = 92.1% — the goal of 95% caught is not met on held-out data. For comparison only (no rule "
    "changed afterwards), the verifier as it stood before session 3 scores it caught 82/124 = 66.1%, kept "
    "93/101 = 92.1%; per kind before → after: foreign_words 1 → 5 of 5, changed_duration 8 → 10 of 17, "
    "changed_date 7 → 8 of 8, invented_fact 5 → 6 of 13, every other kind unchanged; the weakest kinds are "
    "invented_body 5/13, invented_fact 6/13, changed_number 6/11 and changed_duration 10/17.",
    "- Session 4 made `verifier_heldout3.jsonl` a tuning set and fixed the classes of its misses with general rules "
    "(none naming a test sentence's words): a figure of the passage put with the words of another part of it (a "
    "list item, a part between \";\", a clause of several) that holds another figure of the same kind, time spans "
    "counted as one kind (`placement.py`); two actors exchanged, when the sentence reads more like the passage "
    "with them swapped back (roles, bodies, names, with their level or place: \"công an cấp xã nơi chuyển đi\"); "
    "\"chỉ\" / \"duy nhất\" where the passage neither restricts nor forbids, \"kể cả\" where it includes "
    "nothing, \"mọi\" where it restricts (\"chỉ … mới\"); opposites (\"trước khi\"/\"sau khi\", \"hết\"/\"giữ "
    "nguyên hiệu lực\", \"kể cả\"/\"trừ\", \"một lần\"/\"nhiều lần\", \"tăng\"/\"giảm\"); \"có quyền\" is a "
    "permission and \"tự chọn\", \"tự nguyện\", \"không bắt buộc\" an option, so \"phải\" for either is a "
    "changed duty; a passive with \"trước 23 giờ\" is a deadline; fractions in words (\"một phần hai\" for "
    "\"một phần ba\"); verdicts \"Phát biểu trên là sai\", \"Đáp án: B\"; and, for correct sentences, \"1 tài "
    "khoản\" restating \"một tài khoản\", \"Điều này\" read as the cited article, an opening address (\"Thưa "
    "đồng chí,\"), \"cần có\" as a duty, \"không lý do\" = \"không có lý do\".",
    "- Session 4 also measured a stricter default: every content word of a sentence must be in the cited passage, "
    "a synonym of its wording (`lexicon.py`: a 30-group table such as \"trong vòng\"/\"trong thời hạn\", "
    "\"phải\"/\"có trách nhiệm\", \"không được\"/\"cấm\") or a paraphrase word, with at most "
    "`Strictness.max_new_words` left over. Its best evidence is `verifier_heldout3.jsonl` scored with the session-3 "
    "rules (the rules that had not seen it): bound 1 would have moved caught 72.6% → 77.4% and kept 92.1% → "
    "87.1%, bound 0 to 82.3% / 79.2% — about one correct sentence lost for each wrong one caught (and the word "
    "lists were written after reading correct sentences of all four sets, so even that is flattering). "
    "Cross-validation over the four sets chooses no bound in every fold, and the shipped default has none; the "
    "knob stays for a deployment that prefers losing paraphrases to letting facts through. The class rules above "
    "were written from `verifier_heldout3`'s misses, so only `verifier_heldout4.jsonl` measures them blind.",
    "- `verifier_heldout4.jsonl` (160 sentences, never opened while the round-2 rules of session 3 were written): scored once "
    "with them, caught 77/88 = 87.5%, kept 68/72 = 94.4% (the rules as they stood before round 2 of session 3 score it "
    "caught 75.0%, kept 94.4%); weakest kinds invented_body 4/8, invented_fact 7/10, changed_modality 7/9. It "
    "is a tuning set since round 3 of session 3.",
    "- Session 5 fixed the classes of the misses of `verifier_heldout4` and `verifier_heldout3` with general rules "
    "(none naming a test sentence's words; `actors.py`): who does what — the actors a sentence names before a "
    "verb must include one the passage names before that verb in its part (or after it, in \"Chủ trì: đồng chí "
    "A\"), related bodies being different bodies (\"cấp ủy cơ sở\" is read whole; \"tổ chức đảng\" is an "
    "actor); the owner of a thing (\"Chỉ thị … của Ban Bí thư\" given to another body the passage names); an "
    "actor put right after words the passage puts another actor after (\"chất lượng đảng viên\" for \"chất "
    "lượng tổ chức đảng\"); a clause after \"và\", \"đồng thời\", \"nhằm\", \"để\", \"rồi\" opening with "
    "two content syllables no passage has (`clauses.invented_tails`); modality: \"phải\"/\"bắt buộc\" for "
    "\"khuyến khích\" or \"có nhu cầu\" (an option), \"có thể\" restating a plain \"… hoặc …\" is kept; "
    "scope: \"bất kỳ … nào\" where the passage names one kind and no universal, \"cả ba\" where it asks "
    "\"hai trong ba\". Cross-validation over the five sets then chooses a weakest-clause share of 0.4 (was "
    "0.55) in four folds of five and on all five sets, and it is the shipped default.",
    "- `verifier_heldout5.jsonl` (120 sentences, on documents and laws the other sets barely use): scored once with "
    "the session-5 rules, caught 52/66 = 78.8%, kept 50/54 = 92.6% (weakest: wrong_article 1/5, invented_fact 3/6). "
    "Tuned on since round 4.",
    "- Round 4 (2026-11-26) fixed the classes of set 5's misses with general rules: a clause or point the sentence "
    "names must hold its words rather than a sibling's (`subunits.py`: \"khoản 3\" named for the words of "
    "khoản 2 of the cited article); quarter, term and round labels (\"quý II\", \"khóa XIII\") must be the "
    "passage's; a number after \"từ\"/\"đến\" with a unit is a quantity (\"từ 06 tháng trở lên\"), ages "
    "(\"03 tháng tuổi\", \"06 tuổi\") one kind; two-word phrases taken from a passage the sentence does not cite; a "
    "decision (\"đã quyết định\") where the passage records only a proposal; \"mọi\" before a noun the passage "
    "always narrows; local bodies (Ban nhân dân ấp, Tổ hòa giải, \"cơ quan …\"); the body behind the cited "
    "document's issuer code is named by it (a -BC/CB report speaks for the chi bộ); an option given in another "
    "clause of the passage. Two bugs found on the way: a full citation (\"khoản 4 Điều 5 Quy định 339-QĐ/TW\") "
    "cut its document number twice and so hid the words after it (\"chi bộ không còn …\"); a first line "
    "with a negation carried \"cấm\" into every later line even when it was a sentence, not a heading.",
    "- `verifier_heldout6.jsonl` (150 sentences, written by another engineer who never read the code; its "
    "passages come from the documents and laws sets 1–4 were written on): scored once with the round-4 rules, "
    "caught 82/88 = 93.2%, kept 57/62 = 91.9%; every wrong_article item caught (9/9). For comparison only, the "
    "rules before round 4 score it caught 93.2% too, kept 90.3%: on familiar documents the rules were already "
    "close to the goal, on unfamiliar ones (set 5) they were not. Tuned on since round 5.",
    "- Round 5 fixed the classes of set 6's misses: \"chuyển đến\"/\"chuyển đi\", \"nơi đến\"/\"nơi đi\" "
    "are opposites; \"được\" for \"chỉ được\" drops a restriction; \"có thể xem xét\" where the passage has "
    "the body decide; \"tự nguyện\" naming a kind the passage names too is no option; \"mục 3\" is a label, not a "
    "figure, and \"điểm b mục 3\" must be the cited point; a chi ủy names its chi bộ; a tail opening with a figure "
    "(\"và 100% cán bộ …\") is read past it, and a consequence (\"nếu …\", \"sau đó …\") with two words of its "
    "own anywhere is the model's; \"toàn bộ\" restates \"100%\" and \"một nửa\" \"50%\" in runs of "
    "invented words.",
    "- `verifier_heldout7.jsonl` (160 sentences, written by another engineer who never read the code, on 91 "
    "passages no earlier set used; its supported sentences reword more freely): scored once with the round-5 rules, "
    "caught 84/95 = 88.4%, kept 56/65 = 86.2%. For comparison only: the session-3 rules score it 87.4% / 84.6%, the "
    "round-4 rules 88.4% / 81.5% — rounds 4 and 5 moved a fresh set by one wrong sentence caught and one correct "
    "sentence kept, far less than they moved the sets they were written from. The goal (95% caught on held-out "
    "data) is not met.",
    "- Round 6 fixed the classes of set 7's misses: \"tỷ lệ\", \"lớp mười\" and list numbering are no figures; "
    "\"mỗi năm hai lần\" is a count; a label number (\"Điều 4\") supports no counted figure (\"bốn nội dung\"); a "
    "count the sentence spells out (\"hai bộ là …\"); an actor or slot is wrong only when no cited passage gives "
    "it; who leads a row of a table; fractions against percentages; \"mỗi năm\" for \"trong một năm\"; \"chỉ\" "
    "restating a bound; \"tất cả\" for \"không ít\"; \"khuyến cáo\" is advice; a law number of another "
    "legislature; points of a numbered item checked like clauses.",
    "- `verifier_heldout8.jsonl` (160 sentences on 95 passages no earlier set used, laws set 7 did not use): the "
    "bench first crashed on it — folded \"sống\" was read as the conjunction \"song\" inside the actor check (a "
    "StopIteration that would also have lost a member's answer); fixed without reading its items "
    "(`tests/fuzz/test_verifier_pairs.py` now runs every labelled sentence against other passages). Then scored "
    "once with the round-6 rules: caught 87/96 = 90.6%, kept 56/64 = 87.5%. For comparison only (with the crash "
    "patched): the session-3 rules 90.6% / 85.9%, the round-5 rules 89.6% / 85.9%.",
    "- What the blind sets say: on fresh sentences the rules catch 88–91% (sets 6–8; set 5, on unfamiliar laws, "
    "78.8%), and the three rounds of this session changed that by about one sentence per set. Each round fixes "
    "the shapes of the set it reads; the next set brings new ones (a count of list items, a table row, an "
    "actor given another item's duty, \"tất cả\" over \"không ít\"). 95% on held-out data needs a checker that "
    "reads meaning, not more word rules.",
    "- **The writer's own sentences** (`verifier_leads.jsonl`, `evals/verifier_leads.md`): the sets above are written "
    "by people imitating a small model; what the shipped 1.5B actually writes for the study lead was read by hand for "
    "the first time this session. Of the 61 sentences the verifier kept (calibration questions), 17 were wrong or "
    "garbled — a member would have read a wrong lead sentence about one time in four. Shapes the written sets never "
    "had: words pasted without their marks from an accent-free question (\"so tay dang viên\"), the question asked "
    "back (\"… trong bao lau\"), a bare heading, the cut-off tail of the passage excerpt, a document made to say what "
    "the passage says of itself (\"Quy định 338 có hiệu lực …\" from 372's \"Quy định này có hiệu lực …\"). Rules "
    "for those (`garbled.py`, `named.misattributed_documents`; the lead now cuts its excerpt at a sentence end): on "
    "that set caught 86.3% → 92.7%, kept 89.8% → 89.8%.",
    "- `verifier_leads_heldout.jsonl`: the writer's leads for 70 fresh questions (`evals/lead_questions.jsonl`, "
    "written apart), run through the study chat as shipped, 57 sentences labelled by another reader who did not see "
    "the verifier's verdicts. Scored once with the frozen rules: **caught 21/30 = 70.0%, kept 20/27 = 74.1%**; of the "
    "29 sentences a member would have read, 9 were wrong (garbled words, a list announced and not given, a bare "
    "label, a condition dropped, a notice deadline told as an answer deadline). Then fixed without naming its words: "
    "a sentence ending on \":\", a sentence whose only content is figures and labels, figures of a range placed in "
    "the clause that holds them all, \"đủ\"/\"trở lên\" not read as labels and two ages joined by \"và\" said "
    "of one subject, \"không được vượt quá\" as an upper bound, bare words pasted from an accent-free question (the "
    "lead passes the question): caught 25/30, kept 23/27 at the lead. Its readers called 3 sentences that restate the "
    "member's own framing (\"Tháng 11 chi bộ Ấp 3 có …\", a law number from the question) supported; the verifier "
    "removes them, since a wrong premise would be confirmed the same way.",
    "- `verifier_heldout8.jsonl` is no longer pristine: while the document-attribution rule was written, a false "
    "removal it caused there (VH8-093, a sentence joining \"Luật này có hiệu lực …\" with the law it repeals) was "
    "read, and the rule narrowed to documents named before the figures. Its blind figure stays the one above; it "
    "is listed with the tuning sets since.",
    "- `verifier_heldout9.jsonl` (160 sentences on new cuts, laws set 8 did not use, with 10 items of the writer's "
    "own kinds: echo, garbled, fragment, heading), written while the last rules were being finished and scored once "
    "after: **caught 88/100 = 88.0%, kept 54/60 = 90.0%**. For comparison only (with the 'song' crash patched), the "
    "session-3 rules score it caught 76.0%, kept 95.0%: this session's rules catch twelve more wrong sentences in a "
    "hundred on data they never saw, and keep five fewer correct ones in a hundred.",
    "- `verifier_leads_heldout2.jsonl`: the writer's leads for 80 more fresh questions (`evals/lead_questions2.jsonl`), "
    "run through the study chat with the final rules, 67 sentences labelled by a reader who did not see the verdicts "
    "(told beforehand that details taken from the member's question and absent from the passage are unsupported). "
    "As the chat decided (the lead also drops fragments and words pasted from the question): **caught 39/44 = 88.6%, "
    "kept 19/23 = 82.6%; of the 24 sentences a member would have read, 5 were wrong (79% right)** — against 70.0% / "
    "74.1% and 20 of 29 right on the first fresh set with the earlier rules. The sentence check alone (this table) "
    "scores it without the lead's own two checks.",
    "- Then, from its misses: a lead that stops at the token limit mid-sentence (\"… hoàn thành tốt nhiệm\") loses "
    "that last piece, and one word pasted bare from an accent-free question counts when the passage writes it with "
    "its marks (\"ngan sách\").",
    "- `verifier_leads_heldout3.jsonl`: the writer's leads for 80 more fresh questions (`evals/lead_questions3.jsonl`) "
    "with the final rules, 61 sentences labelled blind: **caught 35/40 = 87.5%, kept 19/21 = 90.5%; 19 of the 24 "
    "sentences a member would have read were right**. What still gets through is mostly an invented condition or "
    "consequence built from the passage's and the question's own words (the passage says the agency must notify "
    "within 3 days; the lead says it must answer within 3 days). (The table scores the sentence check alone, without "
    "the lead's own checks for cut-off drafts and pasted question words: 82.5% caught there.)",
    "- The writer measured as a second checker, for the sentences the rules keep: how "
    "likely the 1.5B model finds each word of a sentence after reading the cited passages and the question, "
    "against the question alone (log-probabilities per word, ~5 s a sentence). On the 105 sentences of the four "
    "writer-lead sets the rules keep (86 correct, 19 wrong) the best reading (mean log-probability given the "
    "passages) separated them with AUC 0.67, the lowest word or the words the passages do not make likelier with "
    "AUC 0.52–0.59: to remove half the wrong ones it would remove about a third of the correct ones. A wrong lead "
    "reuses the passage's words in a relation the passage does not state, and the model finds those words likely. "
    "Not used.",
    "- Session 5 read the misses of `verifier_leads_heldout3.jsonl` after its one scoring (a tuning set since) and "
    "wrote two general rules: a figure said of each or all (\"mỗi mục … 20 điểm\") where the passage lists "
    "different values of that kind beside it and says no \"mỗi\" of its own; a class code (\"nhãn K\", \"hạng "
    "A1\") the cited passages never write. Sentence check on that set 33 → 35 of 40 caught; every other set unchanged.",
    "- `verifier_leads_heldout4.jsonl`: the writer's leads for 80 more fresh questions (`evals/lead_questions4.jsonl`) "
    "with those rules, 53 sentences labelled blind: as the chat decided **caught 33/39 = 84.6%, kept 12/14 = 85.7%; "
    "12 of the 18 sentences a member would have read were right**. What got through: a question copied in the "
    "member's voice, a plan told as done, an office given the question's commune, a duration and two conditions "
    "invented from the passage's words. Five blind sets of the writer's leads in two sessions: 70.0%, 88.6%, 87.5%, "
    "84.6% caught — the rules have stopped moving it.",
    "- Then, from set 4's misses (a tuning set since): \"cùng\" (same) was read as the glue word \"cũng\" (also), so "
    "point a)'s \"trong cùng đảng bộ\" could not be told from point b)'s \"ra ngoài\"; the minutes of a clock time "
    "(\"21 giờ 00 phút\") were a figure of their own; and, at the lead, a sentence copying the member's question in "
    "the member's voice (\"Chú nghe nói …, vậy …\") is dropped. Set 4 at the lead: 33 → 34 of 39 caught.",
    "- `verifier_leads_heldout5.jsonl`: the writer's leads for 80 more fresh questions (`evals/lead_questions5.jsonl`) "
    "with those rules, 68 sentences labelled blind (a stricter reader: a list item copied without its lead-in is a "
    "fragment): as the chat decided **caught 45/55 = 81.8%, kept 10/13 = 76.9%; 10 of the 20 sentences a member "
    "would have read were right**. Shown and wrong: three list items without their lead-in, a heading, a dropped "
    "\"unless a specialised law says otherwise\", the question copied with its \"không\" dropped, a duration, a "
    "body, two invented facts.",
]


def _setting(t: Strictness) -> str:
    return f"({t.min_content:g}, {t.min_clause_content:g}, {'any' if t.max_new_words is None else t.max_new_words})"


def main() -> None:
    """Score the verifier and write the results file."""
    sets = [(name, status, load_items(EVALS / name)) for name, status in TUNING]
    held = [(name, status, load_items(EVALS / name)) for name, status in HELD_OUT if (EVALS / name).exists()]
    scores = [(name, status, score(items)) for name, status, items in sets + held]
    lines = ["# Sentence verifier", "",
             "Written by `benchmarks/bench_verifier.py`. Goal (issue 12): caught ≥ 95%, kept ≥ 85% on held-out data.",
             "", "## Every set, shipped defaults", "",
             f"Shipped `Strictness` (min_content, min_clause_content, max_new_words): {_setting(DEFAULT_STRICTNESS)}.", ""]
    lines += _per_set(scores)
    for name, _, s in scores:
        if s.misses:
            lines += [f"Misses in `{name}`: " + "; ".join(s.misses), ""]
    per_set, chosen = cross_validate([(name, items) for name, _, items in sets])
    on_all = choose(features([i for _, _, items in sets for i in items]))
    note = (f"The {len(sets)} tuning sets pooled, 5 folds grouped by document. Setting chosen per fold (min_content, "
            "min_clause_content, max_new_words; objective caught + kept, kept ≥ 88%): "
            + ", ".join(_setting(c) for c in chosen) + f". Chosen on all of them: {_setting(on_all)}"
            + (" = the shipped default." if on_all == DEFAULT_STRICTNESS else
               f"; the shipped default is {_setting(DEFAULT_STRICTNESS)}."))
    lines += _section("Tuning sets, 5-fold cross-validation by document", pooled(per_set), note)
    lines += ["| set | CV caught | CV kept |", "|---|---|---|"]
    lines += [f"| `{name}` | {s.caught}/{s.wrong} = {s.caught_rate:.1%} | {s.kept}/{s.correct} = {s.kept_rate:.1%} |"
              for name, s in per_set.items()] + [""]
    for (name, status, _), (_, _, s) in zip(held, scores[len(sets):], strict=True):
        lines += _section(f"Held-out set `{name}`, shipped defaults: {status}", s,
                          "No rule was written from it or changed because of it.")
    if not held:
        lines += ["## Held-out set", "", f"`{HELD_OUT[0][0]}` is not there yet.", ""]
    lines += ["## History", "", *HISTORY, ""]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
