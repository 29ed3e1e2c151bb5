"""Does any retrieved passage answer the question? Decides between an answer and a refusal.

Refusing is done without a model: a named article that does not exist is reported as such;
otherwise the question's content terms and phrases must be covered well enough by the top
passages (thresholds ``retrieval.min_relevance`` and ``retrieval.min_phrase_coverage``).
"""

from __future__ import annotations

from assistant.records import Hit
from assistant.retrieval.index import Index
from assistant.retrieval.search import QueryPlan
from assistant.settings import RetrievalSettings
from assistant.text.overlap import content_terms, coverage, phrase_coverage


def missing_article(index: Index, plan: QueryPlan) -> str:
    """ "Điều 20 Quy định 339-QĐ/TW" when that document has no Điều 20: say so, don't substitute."""
    metas = index.metas()
    chunks = index.chunk_map().values()
    for ref in plan.articles:
        if len(ref.doc_ids) != 1:
            continue
        doc_id = ref.doc_ids[0]
        if not any(c.doc_id == doc_id and c.article == ref.article for c in chunks):
            label = metas[doc_id].display_name if doc_id in metas else doc_id
            return f"{label} (bản đã nạp) không có Điều {ref.article}."
    return ""


def answers_question(question: str, hits: list[Hit], plan: QueryPlan, settings: RetrievalSettings) -> bool:
    """True when the top passages cover the question's terms and phrases enough to answer it."""
    if not hits:
        return False
    if plan.articles and any(h.scores.get("exact") for h in hits):
        return True
    if not content_terms(question):
        return False
    passages = [f"{h.doc_label} {' '.join(h.heading_path)} {h.text}" for h in hits[:3]]
    if max(coverage(question, p) for p in passages) < settings.min_relevance:
        return False
    phrases = [phrase_coverage(question, p) for p in passages]
    judged = [p for p in phrases if p is not None]
    return not judged or max(judged) >= settings.min_phrase_coverage
