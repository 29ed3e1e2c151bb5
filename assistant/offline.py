"""Offline and private by construction.

Called once at process start (CLI, UI, tests) before any library that could
phone home is imported. It only sets environment variables; it never loads a
model or opens a connection.
"""

from __future__ import annotations

import os

# Variables understood by the libraries we ship. Each one stops a hub
# download, a telemetry ping or an analytics beacon.
OFFLINE_ENV = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_DATASETS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "ANONYMIZED_TELEMETRY": "False",
    "CHROMA_TELEMETRY": "False",
    "GRADIO_ANALYTICS_ENABLED": "False",
    "DO_NOT_TRACK": "1",
    "TOKENIZERS_PARALLELISM": "false",
    "HF_HUB_DISABLE_PROGRESS_BARS": "1",
    "TRANSFORMERS_VERBOSITY": "error",
    "TRANSFORMERS_NO_ADVISORY_WARNINGS": "1",
    "LANGCHAIN_TRACING_V2": "false",
    "LANGSMITH_TRACING": "false",
    "DEEPEVAL_TELEMETRY_OPT_OUT": "YES",
    "RAGAS_DO_NOT_TRACK": "true",
}


def enforce_offline() -> None:
    """Force the offline/no-telemetry environment (overrides user values)."""
    for key, value in OFFLINE_ENV.items():
        os.environ[key] = value
