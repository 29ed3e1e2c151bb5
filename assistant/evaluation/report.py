"""What a run leaves behind, and how two runs compare.

Every run folder holds ``report.md`` (for people), ``metrics.json`` (run
record + metrics per suite), ``items.jsonl`` (one line per question with each
suite's result, then one per drafting sample) and ``chart.png``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from assistant.errors import NotFound
from assistant.evaluation.results import RunResult

RETRIEVAL_COLUMNS = ("Acc@1", "Acc@5", "Acc@10", "MRR@10", "nDCG@10")
NA = "not applicable"
SKIPPED_KEYS = {"info", "settings", "missing", "llm", "modes"}


def fmt(value: Any, digits: int = 3) -> str:
    """A metric value for a report table: n/a for None, lower-case booleans, floats to ``digits`` places."""
    if value is None:
        return "n/a"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


# -- writing -------------------------------------------------------------------
def write_run(result: RunResult) -> None:
    """Write a run's metrics.json, items.jsonl (questions, then drafting samples), report.md and chart.png."""
    out = result.out_dir
    out.mkdir(parents=True, exist_ok=True)
    (out / "metrics.json").write_text(json.dumps(result.metrics(), ensure_ascii=False, indent=2, default=str),
                                      encoding="utf-8")
    with (out / "items.jsonl").open("w", encoding="utf-8") as handle:
        for item in result.items:
            row = {"kind": "question", **item}
            for name in ("retrieval", "answers"):
                suite = result.suites.get(name)
                if suite is not None and item["id"] in suite.items:
                    row[name] = suite.items[item["id"]]
            handle.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
        drafting = result.suites.get("drafting")
        for sample in (drafting.items.values() if drafting else []):
            handle.write(json.dumps({"kind": "drafting_sample", **sample}, ensure_ascii=False, default=str) + "\n")
    (out / "report.md").write_text(render_report(result), encoding="utf-8")
    write_chart(result.metrics(), out / "chart.png")


def render_report(result: RunResult) -> str:
    """The run's report.md: how it was run, then one section per suite, baseline beside ours."""
    run = result.run
    git = run.get("git", {})
    commit = git.get("commit", "unknown")
    lines = [f"# Evaluation: {Path(run['dataset']).name} ({run['questions']} questions)", "",
             f"- Run: {run.get('started')} · {run.get('seconds', '?')} s · commit `{commit[:12]}`"
             + (" (uncommitted changes)" if git.get("dirty") else "") + f" · chibo {run.get('chibo_version')}",
             f"- Suites: {', '.join(run['suites'])}" + (f" · baseline: {run['baseline']}" if run.get("baseline") else "")]
    if "index" in run:
        idx = run["index"]
        lines.append(f"- Documents: `{run['docs']}` → {idx['documents']} documents, {idx['chunks']} passages "
                     f"({'index reused' if idx['reused'] else 'index built'} in {idx['seconds']} s, "
                     f"{idx['counts']['failed']} failed) at `{idx['data_dir']}`")
        lines += [f"  - failed: {Path(f['path']).name}: {f['reason']}" for f in idx["failed"]]
    if "embedder" in run:
        lines.append(f"- Embedder: {run['embedder']['backend']} · {run['embedder']['model']}")
    if "llm" in run:
        llm = run["llm"]
        lines.append(f"- LLM: {llm.get('backend')} · {llm.get('model')} · capabilities: {fmt(llm.get('capabilities'))}")
    if "judge" in run:
        lines.append(f"- Judge: LLM {run['judge']['label']} (automatic, not a human check)")
    lines.append("")
    for name, render in (("retrieval", _retrieval_section), ("answers", _answers_section),
                         ("drafting", _drafting_section)):
        suite = result.suites.get(name)
        if suite is None:
            continue
        lines.append(f"## {name.capitalize()}")
        lines.append("")
        if not suite.available:
            lines += [f"Not available: {'; '.join(suite.notes)}", ""]
            continue
        lines += render(suite, result)
        lines.append("")
        lines += [f"_Note: {n}_\n" for n in suite.notes]
    lines += ["Files: `metrics.json` (run record and metrics), `items.jsonl` (per question), `chart.png`.", ""]
    return "\n".join(lines)


def _retrieval_section(suite: Any, result: RunResult) -> list[str]:
    m = suite.metrics
    lines = [f"{m['questions']} questions with gold; ranks among the first {m['cutoff']} distinct cited units "
             f"(article, or item path in documents without articles) of {m['depth']} hits.", "",
             "| system | " + " | ".join(RETRIEVAL_COLUMNS) + " | p50 ms | p95 ms |",
             "|---|" + "---|" * (len(RETRIEVAL_COLUMNS) + 2)]
    for name, row in m["systems"].items():
        lines.append(f"| {name} | " + " | ".join(fmt(row[c]) for c in RETRIEVAL_COLUMNS)
                     + f" | {fmt(row['latency']['p50_ms'], 1)} | {fmt(row['latency']['p95_ms'], 1)} |")
    cov = m.get("gold_in_index")
    if cov:
        lines += ["", f"Gold units present in our index at all: {cov['found_in_index']}/{cov['gold_refs']} "
                      f"({fmt(cov['share'])}); missing: {', '.join(cov['missing'][:10]) or 'none'}"
                      + (" …" if len(cov["missing"]) > 10 else "")]
    first = next(iter(m["systems"]), None)
    questions = {i["id"]: i for i in result.items}
    misses = [(qid, r[first]) for qid, r in suite.items.items() if first in r and r[first]["rank"] is None]
    if misses:
        lines += ["", f"Misses of `{first}` (no gold in the top {m['cutoff']}; first {min(len(misses), 15)}):", ""]
        for qid, row in misses[:15]:
            q = questions.get(qid, {})
            gold = "; ".join(f"{g['doc']} {g['article']}".strip() for g in q.get("gold", []))
            top = row["top"][0]["citation"] if row["top"] else "—"
            lines.append(f"- {qid}: {q.get('question', '')[:90]} — gold {gold}; top-1 {top}")
    return lines


def _judgement_rows(j: dict[str, Any] | None) -> list[str]:
    """The model's own verdicts, asked directly: what decides whether it may judge for users."""
    if not j:
        return []
    if j.get("status") != "measured":
        return [f"| the model's own verdicts | {j.get('status')} |"]
    tf, mc = j["true_false"], j["multiple_choice"]
    decision = "may state verdicts" if j["judges"] else "may not state verdicts"
    return [f"| the model's own true/false accuracy | {fmt(tf['accuracy'])} ({tf['correct']}/{tf['n']}; "
            f"threshold {j['threshold']}: {decision}) |",
            f"| the model's own option accuracy | {fmt(mc['accuracy'])} ({mc['correct']}/{mc['n']}) |"]


def _answers_section(suite: Any, result: RunResult) -> list[str]:
    m = suite.metrics
    v, c, q, r, f = m["verdicts"], m["citations"], m["quotes"], m["refusals"], m["free_text"]
    lat = m["latency"]
    modes = ", ".join(f"{k} {n}" for k, n in sorted(m["modes"].items())) or "none"

    def verdict(block: dict[str, Any]) -> str:
        if not block["n"]:
            return "no such questions"
        if not block["generative"]:
            return f"{NA} ({block['n']} questions; {v['status']})"
        return (f"{fmt(block['accuracy'])} ({block['correct']}/{block['with_verdict']} with a readable verdict; "
                f"verdict in {block['with_verdict']}/{block['generative']} answers, "
                f"strict {fmt(block['strict_accuracy'])})")

    lines = [f"{m['n']} questions asked ({modes}; {m['errors']} errors).", "",
             "| metric | value |", "|---|---|",
             f"| true/false accuracy (verdicts shown to users) | {verdict(v['true_false'])} |",
             f"| multiple-choice accuracy (shown to users) | {verdict(v['multiple_choice'])} |",
             *_judgement_rows(m.get("judgement")),
             f"| a cited source matches gold | {fmt(c['any_correct'])} ({c['with_citations']} answered with sources) |",
             f"| first cited source matches gold | {fmt(c['first_correct'])} |",
             f"| citation precision (cited units that are gold) | {fmt(c['precision'])} |",
             f"| quotations verified in sources | {fmt(q['verification_rate'])} ({q['verified']}/{q['shown']}; "
             f"{q['removed_by_check']} removed by the chat's check) |",
             f"| unanswerable questions refused | {fmt(r['refusal_rate_unanswerable'])} "
             f"({r['correct_refusals']}/{r['unanswerable']}) |",
             f"| answerable questions refused (false refusals) | {fmt(r['false_refusal_rate'])} "
             f"({r['false_refusals']}/{r['answerable']}) |",
             f"| answered under the caution \"may not answer\": unanswerable / answerable | "
             f"{r.get('unsure_unanswerable', 0)} / {r.get('unsure_answerable', 0)} |",
             f"| free text: reference terms in answer | {fmt(f['reference_coverage'])} ({f['n']} answers) |",
             f"| free text: reference numbers in answer | {fmt(f['numbers_recall'])} |",
             f"| first token p50 / p95 | {fmt(lat['first_token']['p50_ms'], 1)} / "
             f"{fmt(lat['first_token']['p95_ms'], 1)} ms |",
             f"| whole answer p50 / p95 | {fmt(lat['total']['p50_ms'], 1)} / {fmt(lat['total']['p95_ms'], 1)} ms |"]
    if m.get("judge"):
        j = m["judge"]
        lines.append(f"| {j['label']}: free-text answers passed | {fmt(j['pass_rate'])} "
                     f"({j['passed']}/{j['n']}; {j['unparsed']} unreadable) |")
    return lines


def _drafting_section(suite: Any, result: RunResult) -> list[str]:
    m = suite.metrics
    lines = [f"{m['samples']} sample notes ({m['errors']} errors); records "
             + ("refined by the LLM" if m["refined_by_llm"] else "extracted deterministically (no model that writes Vietnamese)")
             + ".", "", "| set | category | precision | recall | tp | fp | fn |", "|---|---|---|---|---|---|---|"]
    for set_name, block in m["sets"].items():
        for cat, row in block["categories"].items():
            lines.append(f"| {set_name} | {cat} | {fmt(row['precision'])} | {fmt(row['recall'])} | "
                         f"{row['tp']} | {row['fp']} | {row['fn']} |")
    lines += ["", "| set | minutes completeness | samples |", "|---|---|---|"]
    lines += [f"| {name} | {fmt(block['minutes_completeness'])} | {block['samples']} |"
              for name, block in m["sets"].items()]
    lines += ["", f"Facts the notes do not give, shown as placeholders in the minutes: {m['unknown_flagged']}/"
                  f"{m['unknown_facts']} ({fmt(m['unknown_flag_rate'])})."]
    return lines


# -- chart ---------------------------------------------------------------------
def chart_panels(metrics: dict[str, Any]) -> list[tuple[str, dict[str, dict[str, float]]]]:
    """(title, {series: {label: value}}) for each suite that produced numbers."""
    panels = []
    suites = metrics.get("suites", {})
    retrieval = suites.get("retrieval", {})
    if retrieval.get("available") and retrieval.get("metrics", {}).get("systems"):
        panels.append(("Retrieval", {name: {c: row[c] for c in RETRIEVAL_COLUMNS}
                                     for name, row in retrieval["metrics"]["systems"].items()}))
    answers = suites.get("answers", {})
    if answers.get("available") and answers.get("metrics"):
        a = answers["metrics"]
        values = {"T/F acc.": a["verdicts"]["true_false"]["accuracy"],
                  "MC acc.": a["verdicts"]["multiple_choice"]["accuracy"],
                  "cited gold": a["citations"]["any_correct"], "1st cited gold": a["citations"]["first_correct"],
                  "quotes ok": a["quotes"]["verification_rate"],
                  "refused unansw.": a["refusals"]["refusal_rate_unanswerable"],
                  "false refusals": a["refusals"]["false_refusal_rate"]}
        panels.append(("Answers (n/a bars omitted)", {"answers": {k: v for k, v in values.items() if v is not None}}))
    drafting = suites.get("drafting", {})
    if drafting.get("available") and drafting.get("metrics", {}).get("sets"):
        block = drafting["metrics"]["sets"].get("all", {})
        values = {f"{cat} R": row["recall"] for cat, row in block.get("categories", {}).items()}
        values |= {f"{cat} P": row["precision"] for cat, row in block.get("categories", {}).items()
                   if cat in ("tasks", "votes", "attendance")}
        values["minutes"] = block.get("minutes_completeness")
        panels.append(("Drafting", {"drafting": {k: v for k, v in values.items() if v is not None}}))
    return panels


def write_chart(metrics: dict[str, Any], path: Path) -> None:
    """Bar charts of the headline metrics, one panel per suite, saved as a PNG (matplotlib, headless)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    panels = chart_panels(metrics)
    fig, axes = plt.subplots(1, max(len(panels), 1), figsize=(5.5 * max(len(panels), 1), 4), squeeze=False)
    if not panels:
        axes[0][0].text(0.5, 0.5, "no metrics", ha="center", va="center")
        axes[0][0].set_axis_off()
    for ax, (title, series) in zip(axes[0], panels, strict=False):
        labels = list(dict.fromkeys(k for values in series.values() for k in values))
        width = 0.8 / max(len(series), 1)
        for i, (name, values) in enumerate(series.items()):
            xs = [j + i * width for j in range(len(labels))]
            ax.bar(xs, [values.get(k) or 0.0 for k in labels], width, label=name)
        ax.set_xticks([j + width * (len(series) - 1) / 2 for j in range(len(labels))])
        ax.set_xticklabels(labels, rotation=35, ha="right", fontsize=8)
        ax.set_ylim(0, 1.05)
        ax.set_title(title)
        if len(series) > 1:
            ax.legend(fontsize=7)
    run = metrics.get("run", {})
    fig.suptitle(f"{Path(str(run.get('dataset', ''))).name} · {run.get('git', {}).get('commit', 'unknown')[:10]}",
                 fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


# -- comparing -----------------------------------------------------------------
def load_metrics(run_dir: Path) -> dict[str, Any]:
    """A run's metrics.json, given the run folder or the file itself."""
    path = run_dir / "metrics.json" if run_dir.is_dir() else run_dir
    if not path.is_file():
        raise NotFound(f"Không có kết quả đánh giá ở {run_dir}", hint="cần thư mục chứa metrics.json")
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def flatten(metrics: dict[str, Any]) -> dict[str, float | None]:
    """Numeric metrics as "suite / path" → value (None kept: "not applicable" differs from 0)."""
    out: dict[str, float | None] = {}

    def walk(prefix: str, node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key not in SKIPPED_KEYS:
                    walk(f"{prefix} / {key}" if prefix else str(key), value)
        elif isinstance(node, bool):
            return
        elif isinstance(node, int | float) or node is None:
            out[prefix] = node

    for name, suite in metrics.get("suites", {}).items():
        if suite.get("available", True):
            walk(name, suite.get("metrics", {}))
    return out


def compare_runs(run_a: Path, run_b: Path) -> dict[str, Any]:
    """Every numeric metric of two runs side by side with B − A, and what each run used."""
    a, b = load_metrics(run_a), load_metrics(run_b)
    fa, fb = flatten(a), flatten(b)
    rows = []
    for key in dict.fromkeys([*fa, *fb]):
        va, vb = fa.get(key), fb.get(key)
        delta = round(vb - va, 4) if isinstance(va, int | float) and isinstance(vb, int | float) else None
        rows.append({"metric": key, "a": va, "b": vb, "delta": delta, "in_a": key in fa, "in_b": key in fb})

    def describe(m: dict[str, Any], path: Path) -> dict[str, Any]:
        run = m.get("run", {})
        return {"path": str(path), "dataset": run.get("dataset"), "commit": run.get("git", {}).get("commit"),
                "started": run.get("started"), "llm": run.get("llm"), "embedder": run.get("embedder"),
                "baseline": run.get("baseline")}

    return {"a": describe(a, run_a), "b": describe(b, run_b), "rows": rows}


def render_comparison(diff: dict[str, Any], changed_only: bool = False) -> str:
    """The comparison as a Markdown table; ``changed_only`` drops metrics with zero change."""
    a, b = diff["a"], diff["b"]

    def label(run: dict[str, Any]) -> str:
        llm = run.get("llm") or {}
        return (f"`{run['path']}` — {Path(str(run.get('dataset'))).name}, commit {str(run.get('commit'))[:10]}, "
                f"{run.get('started')}, LLM {llm.get('backend', '-')}:{llm.get('model', '-')}")

    lines = [f"A: {label(a)}", f"B: {label(b)}", "", "| metric | A | B | Δ (B − A) |", "|---|---|---|---|"]
    for row in diff["rows"]:
        if changed_only and row["delta"] == 0:
            continue
        if row["delta"] is not None:
            delta = f"{row['delta']:+.4f}"
        elif row["in_a"] and row["in_b"]:
            delta = "—" if row["a"] == row["b"] else "n/a ↔ value"
        else:
            delta = "only in " + ("A" if row["in_a"] else "B")
        lines.append(f"| {row['metric']} | {fmt(row['a'], 4)} | {fmt(row['b'], 4)} | {delta} |")
    return "\n".join(lines)
