"""A LangChain retriever over the same hybrid search.

For the assistant's own chains and for users' LangChain code:
``ChiboRetriever(searcher=services.searcher, k=5).invoke("câu hỏi")`` returns
``Document`` objects whose metadata carries the full citation record.
"""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from assistant.retrieval.search import Query


class ChiboRetriever(BaseRetriever):
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
