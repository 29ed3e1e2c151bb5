"""Wording of minutes, reports and bulletins, kept in editable YAML files.

``templates/<name>.<lang>.yaml`` in the repository holds the defaults; a cell
adapts wording by copying the file to ``<data_dir>/templates/`` and editing
it (keys missing there fall back to the repository file). Values use
``{variable}`` placeholders; rendering with a missing variable is an error.
"""

from __future__ import annotations

import string
from pathlib import Path
from typing import Any

import yaml

from assistant.errors import ConfigError


def default_template_dir() -> Path:
    """The repository's templates/ folder (or the copy packaged beside this module)."""
    here = Path(__file__).resolve().parent
    for candidate in (here.parents[1] / "templates", here / "templates_data"):
        if candidate.is_dir():
            return candidate
    return here.parents[1] / "templates"


class Texts:
    """A named set of wording strings with checked rendering."""

    def __init__(self, name: str, values: dict[str, Any], sources: list[Path]) -> None:
        self.name = name
        self.values = values
        self.sources = sources

    def raw(self, key: str) -> Any:
        """The value of ``key`` as stored (string or list); ConfigError when the template lacks it."""
        if key not in self.values:
            raise ConfigError(f"Mẫu '{self.name}' thiếu khóa '{key}' ({', '.join(map(str, self.sources))})")
        return self.values[key]

    def __call__(self, key: str, **values: Any) -> str:
        text = self.raw(key)
        if not isinstance(text, str):
            raise ConfigError(f"Mẫu '{self.name}': '{key}' phải là một chuỗi")
        wanted = {field for _, field, _, _ in string.Formatter().parse(text) if field}
        missing = wanted - values.keys()
        if missing:
            raise ConfigError(f"Mẫu '{self.name}.{key}' dùng biến không có: {', '.join(sorted(missing))}")
        return text.format(**values)

    def list(self, key: str) -> list[str]:
        """The list under ``key``, as strings."""
        value = self.raw(key)
        if not isinstance(value, list):
            raise ConfigError(f"Mẫu '{self.name}': '{key}' phải là một danh sách")
        return [str(v) for v in value]


def load_texts(name: str, language: str = "vi", extra_dirs: list[Path] | None = None) -> Texts:
    """Repository defaults overlaid by the first matching file in ``extra_dirs``."""
    values: dict[str, Any] = {}
    sources: list[Path] = []
    for folder in [default_template_dir(), *(extra_dirs or [])]:
        for lang in dict.fromkeys(("vi", language)):
            path = folder / f"{name}.{lang}.yaml"
            if not path.is_file():
                continue
            try:
                data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            except yaml.YAMLError as exc:
                raise ConfigError(f"Tệp mẫu {path} không phải YAML hợp lệ: {exc}") from exc
            if not isinstance(data, dict):
                raise ConfigError(f"Tệp mẫu {path} phải là một bảng khóa: giá trị")
            values.update(data)
            sources.append(path)
    if not sources:
        raise ConfigError(f"Không có tệp mẫu '{name}' trong {default_template_dir()}")
    return Texts(name, values, sources)
