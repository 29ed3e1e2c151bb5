"""SHA-256 of a file, read in large blocks: document content hashes, backup manifests, packaged model checks."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

BLOCK = 4 * 1024 * 1024


def sha256_file(path: Path, progress: Callable[[int, int], None] | None = None) -> str:
    """Hex SHA-256 of the file's bytes; ``progress(done, total)`` after each block when given."""
    digest = hashlib.sha256()
    total, done = path.stat().st_size, 0
    with path.open("rb") as handle:
        while block := handle.read(BLOCK):
            digest.update(block)
            done += len(block)
            if progress:
                progress(done, total)
    return digest.hexdigest()
