"""Dense passages: a document's text cut into windows that fill the embedding model.

Search cites structural chunks (an article, a clause), but those are short
(~90 wordpieces on average), so embedding them one by one wastes most of the
model's 256-wordpiece window and re-embeds every heading each chunk repeats.
Dense passages are cut independently: every token of the text lands in exactly
one window (no overlap, no repeated context), and a window ends, where it can,
at a chunk boundary so it maps back to whole chunks.

Windows are also stable under edits: a window is forced to end at *anchors*,
chunk boundaries chosen by the content of the chunk that starts there (a hash),
so an edit changes only the windows between the anchors around it, and a
changed document re-embeds only those.
"""

from __future__ import annotations

import bisect
import hashlib
import re
from collections.abc import Sequence
from typing import Any

# A window boundary is forced before about one chunk in ANCHOR_EVERY (by content hash):
# larger means fuller windows, smaller means fewer windows re-embedded after an edit.
ANCHOR_EVERY = 32
# A window may end at its last chunk boundary if that leaves at most this share of it empty
# (MiniLM: 25 of 252 tokens); otherwise it is filled up to a sentence or line end.
SLACK_SHARE = 0.1
_WORD = re.compile(r"\S+")
_SOFT_END = re.compile(r"[.;:!?]\s|\n")


def token_offsets(embedder: Any, text: str) -> list[tuple[int, int]]:
    """Character spans of the model's tokens in ``text`` (no special tokens).

    Backends without a ``token_offsets`` method are read as whitespace words,
    the unit their ``count_tokens`` uses.
    """
    method = getattr(embedder, "token_offsets", None)
    if method is not None:
        return list(method(text))
    return [(m.start(), m.end()) for m in _WORD.finditer(text)]


def is_anchor(chunk_text: str, every: int = ANCHOR_EVERY) -> bool:
    """Whether a chunk starting with this text forces a window boundary before it (content-defined)."""
    digest = hashlib.blake2b(chunk_text.strip()[:400].encode("utf-8"), digest_size=4).digest()
    return int.from_bytes(digest, "big") % every == 0


def pack_windows(text: str, offsets: Sequence[tuple[int, int]], cuts: Sequence[int], anchors: Sequence[int],
                 budget: int) -> list[tuple[int, int]]:
    """Character spans of windows of at most ``budget`` tokens covering every token once.

    ``cuts`` are character positions where a window may end (chunk
    boundaries), ``anchors`` those where one must. Without a cut in reach the
    window ends at a sentence or line end, else at a word boundary.
    """
    n = len(offsets)
    if n == 0 or budget <= 0:
        return []
    starts = [s for s, _ in offsets]

    def token_index(position: int) -> int:
        # A cut at character c falls before the first token starting at or after c.
        return bisect.bisect_left(starts, position)

    slack = max(int(budget * SLACK_SHARE), 1)
    cut_tokens = sorted({token_index(c) for c in cuts} - {0})
    anchor_tokens = sorted({token_index(c) for c in anchors} - {0})
    windows: list[tuple[int, int]] = []
    first = 0
    while first < n:
        limit = min(first + budget, n)
        end = _first_in(anchor_tokens, first, limit)
        if end is None and limit == n:
            end = n
        if end is None:
            end = _last_in(cut_tokens, first, limit)
            if end is None or limit - end > slack:
                # Fill the window: a sentence or line end inside the next chunk beats a half-empty window.
                end = _soft_end(text, offsets, first, limit, slack, fallback=end)
        windows.append((offsets[first][0], offsets[end - 1][1]))
        first = end
    return windows


def _first_in(points: list[int], low: int, high: int) -> int | None:
    """The first point p with low < p <= high."""
    i = bisect.bisect_right(points, low)
    return points[i] if i < len(points) and points[i] <= high else None


def _last_in(points: list[int], low: int, high: int) -> int | None:
    """The last point p with low < p <= high."""
    i = bisect.bisect_right(points, high) - 1
    return points[i] if i >= 0 and points[i] > low else None


def _soft_end(text: str, offsets: Sequence[tuple[int, int]], first: int, limit: int, slack: int,
              fallback: int | None = None) -> int:
    """A token index near ``limit`` ending a sentence or line, else a word; else ``fallback``, else ``limit``."""
    low = max(first + 1, limit - slack)
    for i in range(limit, low - 1, -1):
        between = text[offsets[i - 1][1]:offsets[i][0] + 1] if i < len(offsets) else "\n"
        if _SOFT_END.search(text[offsets[i - 1][1] - 1:offsets[i - 1][1]] + between):
            return i
    for i in range(limit, max(first + 1, limit - max(slack // 3, 1)) - 1, -1):
        if i >= len(offsets) or offsets[i][0] > offsets[i - 1][1]:
            return i
    return fallback if fallback is not None else limit
