"""Prompts are files in ``prompts/``, loaded by name with variables checked.

A prompt file is ``prompts/<name>.<lang>.md`` (Vietnamese ``vi`` first,
English ``en``), using ``{variable}`` placeholders. Rendering with a missing
variable, or with an unknown one, is an error rather than an empty string.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from pathlib import Path

from assistant.errors import ConfigError


def default_prompt_dir() -> Path:
    """The repository's ``prompts/`` folder, or the copy installed with the package."""
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "prompts", here / "prompts_data"):
        if candidate.is_dir():
            return candidate
    return here.parent / "prompts"


@dataclass(frozen=True)
class PromptTemplate:
    """A prompt file's text with ``{name}`` placeholders, and the language it was found in."""

    name: str
    language: str
    text: str

    @property
    def variables(self) -> set[str]:
        return {field for _, field, _, _ in string.Formatter().parse(self.text) if field}

    def render(self, **values: object) -> str:
        """Fill every placeholder; a missing or an unused variable is a ConfigError, never an empty string."""
        missing = self.variables - values.keys()
        if missing:
            raise ConfigError(f"Prompt '{self.name}' thiếu biến: {', '.join(sorted(missing))}")
        extra = values.keys() - self.variables
        if extra:
            raise ConfigError(f"Prompt '{self.name}' không dùng biến: {', '.join(sorted(extra))}")
        return self.text.format(**values)


def load_prompt(name: str, language: str = "vi", prompt_dir: Path | None = None) -> PromptTemplate:
    """Load ``name`` in ``language``, falling back to Vietnamese."""
    folder = prompt_dir or default_prompt_dir()
    for lang in dict.fromkeys((language, "vi")):
        path = folder / f"{name}.{lang}.md"
        if path.is_file():
            return PromptTemplate(name, lang, path.read_text(encoding="utf-8").strip() + "\n")
    available = sorted({p.name.split(".")[0] for p in folder.glob("*.md")})
    raise ConfigError(f"Không có prompt '{name}'; có: {', '.join(available) or '(trống)'}")
