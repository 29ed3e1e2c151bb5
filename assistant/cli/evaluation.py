"""Evaluation verb: ``chibo eval DATASET`` and ``chibo eval compare RUN_A RUN_B``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from assistant.cli.base import Context, add_verb
from assistant.errors import ValidationFailed

EXAMPLE = ("chibo eval evals/study_questions.jsonl --suite all --baseline naive\n"
           "  chibo eval /work/shared/eval/alqac --suite retrieval --docs /work/shared/eval/alqac/docs --out /tmp/alqac\n"
           "  chibo eval compare RUN_A RUN_B")
SUITE_CHOICES = ("retrieval", "answers", "drafting", "all")


def _eval(ctx: Context, args: argparse.Namespace) -> int:
    ctx.json = ctx.json or args.eval_json
    if args.dataset == "compare":
        return _compare(ctx, args)
    if args.runs:
        raise ValidationFailed(f"Thừa tham số: {' '.join(args.runs)}", hint="chibo eval DATASET [tùy chọn]")
    from assistant.evaluation.runner import SUITES, EvalOptions, run_evaluation

    if args.limit is not None and args.limit < 1:
        raise ValidationFailed("--limit phải lớn hơn 0")
    options = EvalOptions(
        dataset=Path(args.dataset), suites=SUITES if args.suite == "all" else (args.suite,),
        docs=Path(args.docs) if args.docs else None, out=Path(args.out) if args.out else None,
        llm_name=args.eval_llm or ctx.llm_name, judge_llm=args.judge_llm, baseline=args.baseline,
        limit=args.limit, drafting_dir=Path(args.drafting_dir) if args.drafting_dir else None,
        cache=not args.no_cache)
    result = run_evaluation(ctx.settings, options, progress=ctx.log)
    ctx.emit({"out_dir": str(result.out_dir), **result.metrics()}, _summary(result))
    return 0


def _summary(result: Any) -> str:
    lines = []
    retrieval = result.suites.get("retrieval")
    if retrieval is not None and retrieval.available:
        for name, row in retrieval.metrics["systems"].items():
            lines.append(f"Truy hồi [{name}]: Acc@1 {row['Acc@1']:.3f} · Acc@5 {row['Acc@5']:.3f} · "
                         f"Acc@10 {row['Acc@10']:.3f} · MRR@10 {row['MRR@10']:.3f} · nDCG@10 {row['nDCG@10']:.3f}")
    answers = result.suites.get("answers")
    if answers is not None and answers.available:
        from assistant.evaluation.report import fmt

        m = answers.metrics
        tf, mc = m["verdicts"]["true_false"], m["verdicts"]["multiple_choice"]
        verdicts = (f"đúng/sai {fmt(tf['accuracy'])} · trắc nghiệm {fmt(mc['accuracy'])}"
                    if m["verdicts"]["status"] == "measured" else "đúng/sai, trắc nghiệm: không áp dụng (trả lời trích dẫn)")
        lines.append(f"Trả lời: {verdicts} · trích dẫn đúng {fmt(m['citations']['any_correct'])} · "
                     f"trích nguyên văn hợp lệ {fmt(m['quotes']['verification_rate'])} · "
                     f"từ chối đúng {fmt(m['refusals']['refusal_rate_unanswerable'])} · "
                     f"từ chối nhầm {fmt(m['refusals']['false_refusal_rate'])}")
    drafting = result.suites.get("drafting")
    if drafting is not None:
        if drafting.available:
            from assistant.evaluation.report import fmt

            block = drafting.metrics["sets"].get("all", {})
            cats = block.get("categories", {})
            parts = [f"{c} P {fmt(cats[c]['precision'])}/R {fmt(cats[c]['recall'])}"
                     for c in ("tasks", "votes", "attendance") if c in cats]
            lines.append("Soạn thảo: " + " · ".join(parts)
                         + f" · biên bản đầy đủ {fmt(block.get('minutes_completeness'))}")
        else:
            lines.append("Soạn thảo: " + "; ".join(drafting.notes))
    for name, suite in result.suites.items():
        if not suite.available and name != "drafting":
            lines.append(f"{name}: " + "; ".join(suite.notes))
    lines.append(f"Báo cáo: {result.out_dir / 'report.md'}")
    return "\n".join(lines)


def _compare(ctx: Context, args: argparse.Namespace) -> int:
    from assistant.evaluation.report import compare_runs, render_comparison

    if len(args.runs) != 2:
        raise ValidationFailed("Cần đúng hai thư mục kết quả", hint="chibo eval compare RUN_A RUN_B")
    diff = compare_runs(Path(args.runs[0]), Path(args.runs[1]))
    ctx.emit(diff, render_comparison(diff, changed_only=args.changed))
    return 0


def register(subparsers: Any) -> None:
    """Add the ``eval`` verb: run suites over a dataset, or ``compare`` two runs."""
    parser = add_verb(subparsers, "eval", "Đánh giá truy hồi, trích dẫn, câu trả lời và soạn thảo", EXAMPLE, _eval)
    parser.add_argument("dataset", metavar="DATASET",
                        help="tệp JSONL câu hỏi (hoặc thư mục chứa một tệp .jsonl); 'compare' để so sánh hai lần chạy")
    parser.add_argument("runs", nargs="*", metavar="RUN", help="với compare: hai thư mục kết quả RUN_A RUN_B")
    parser.add_argument("--suite", choices=SUITE_CHOICES, default="all", help="bộ đánh giá (mặc định: all)")
    parser.add_argument("--docs", metavar="DIR",
                        help="tài liệu để lập chỉ mục riêng (mặc định: DATASET/../docs nếu có, nếu không là corpus/)")
    parser.add_argument("--out", metavar="DIR", help="thư mục kết quả (mặc định: <data_dir>/outputs/eval/<thời điểm>-<tên>)")
    parser.add_argument("--llm", dest="eval_llm", metavar="NAME", help="backend LLM cho câu trả lời và soạn thảo")
    parser.add_argument("--judge-llm", metavar="NAME", help="LLM chấm câu trả lời tự do (tùy chọn, ghi rõ trong báo cáo)")
    parser.add_argument("--baseline", choices=("naive",), help="chạy thêm pipeline LangChain đơn giản để so sánh")
    parser.add_argument("--limit", type=int, metavar="N", help="chỉ dùng N câu hỏi đầu")
    parser.add_argument("--drafting-dir", metavar="DIR",
                        help="mẫu ghi chép notes/ + expected/ (mặc định: evals/drafting)")
    parser.add_argument("--no-cache", action="store_true",
                        help="lập chỉ mục trong thư mục kết quả thay vì dùng lại bộ nhớ đệm")
    parser.add_argument("--changed", action="store_true", help="với compare: chỉ hiện chỉ số thay đổi")
    parser.add_argument("--json", dest="eval_json", action="store_true", help="kết quả JSON trên stdout")
