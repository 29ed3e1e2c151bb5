"""LangChain as the integration surface: the hybrid retriever and the study chain as runnables.

For users' LangChain code (and any chain built around the assistant)::

    services = Services(load_settings())
    docs = ChiboRetriever(searcher=services.searcher, k=5).invoke("câu hỏi")
    answer = study_chain(services).invoke("câu hỏi")

The retriever returns ``Document`` objects whose metadata carries the full
citation record. The study chain returns the verified, cited answer: the same
dict ``chibo ask --json`` prints (``answer``, ``mode``, ``refused``,
``sources`` with citations and quotes, ``removed_sentences``…). Its ``stream``
yields that one verified answer, never the model's unverified tokens.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from langchain_core.runnables import Runnable, RunnableLambda
from pydantic import ConfigDict

from assistant.errors import ValidationFailed
from assistant.retrieval.search import Query

if TYPE_CHECKING:
    from assistant.services import Services

# A question, or {"question": ..., "k": 5, "doc_ids": [...]} to narrow one call.
StudyInput = str | Mapping[str, Any]


class ChiboRetriever(BaseRetriever):
    """The assistant's hybrid search (BM25 + vectors, document filters) as a LangChain retriever."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    searcher: Any
    k: int = 5
    doc_ids: list[str] = []
    doc_types: list[str] = []

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        hits, _ = self.searcher.search(Query(query, k=self.k, doc_ids=list(self.doc_ids),
                                             doc_types=list(self.doc_types)))
        documents = []
        for hit in hits:
            metadata = hit.to_dict()
            metadata.pop("text")
            documents.append(Document(page_content=hit.text, metadata=metadata, id=hit.chunk_id))
        return documents


def _request(value: StudyInput, k: int | None, doc_ids: Sequence[str]) -> tuple[str, int | None, list[str]]:
    if isinstance(value, str):
        question: Any = value
    elif isinstance(value, Mapping):
        question = value.get("question")
        k = value.get("k", k)
        doc_ids = value.get("doc_ids", doc_ids)
    else:
        raise ValidationFailed(f"Đầu vào phải là câu hỏi hoặc {{'question': ...}}, không phải {type(value).__name__}")
    if not isinstance(question, str) or not question.strip():
        raise ValidationFailed("Cần câu hỏi")
    return question, k, list(doc_ids)


def study_chain(services: Services, *, k: int | None = None,
                doc_ids: Sequence[str] = ()) -> Runnable[StudyInput, dict[str, Any]]:
    """A runnable from a question to its verified, cited answer: the dict ``chibo ask --json`` prints.

    ``k`` and ``doc_ids`` are defaults for every call; a mapping input may override them.
    """

    def answer(value: StudyInput) -> dict[str, Any]:
        question, passages, documents = _request(value, k, doc_ids)
        return services.chat.ask(question, k=passages, doc_ids=documents).to_dict()

    return RunnableLambda(answer, name="chibo_study")


__all__ = ["ChiboRetriever", "StudyInput", "study_chain"]
