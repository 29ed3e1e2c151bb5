"""Backends by name: the one lookup the LLM and embedding registries share.

Like simonw/llm's model registry: each backend is a small factory registered
under a name. Built-in factories come from a table in code; other packages add
backends through a Python entry point group (``chibo.llm_backends``,
``chibo.embedding_backends``), loaded only when their name is chosen, e.g. in a
plug-in's ``pyproject.toml``::

    [project.entry-points."chibo.llm_backends"]
    mylocal = "chibo_mylocal:create"      # create(settings) -> LLM

A factory takes the effective ``Settings`` and returns the backend; it must not
load a model (that happens on first use).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from importlib.metadata import EntryPoint, entry_points
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict

from assistant.errors import BackendUnavailable, ConfigError

T = TypeVar("T")
# Typed loosely: the settings module composes the backends' own settings sections, so the
# registry (and the backends) cannot import it without a cycle.
Factory = Callable[[Any], T]


class SettingsSection(BaseModel):
    """Base of every settings section, a backend's own included: unknown keys fail, assignments are checked."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class Registry(Generic[T]):
    """Name → factory table of one kind of backend, open to plug-ins through an entry point group."""

    def __init__(self, kind: str, group: str, builtins: Mapping[str, Factory[T]]) -> None:
        self.kind = kind
        self.group = group
        self._builtins = dict(builtins)

    def _plugins(self) -> dict[str, EntryPoint]:
        # A plug-in cannot take a built-in name: "embedded" always means ours.
        return {ep.name: ep for ep in entry_points(group=self.group) if ep.name not in self._builtins}

    def names(self) -> list[str]:
        """Built-in names in table order, then installed plug-ins, sorted."""
        return [*self._builtins, *sorted(self._plugins())]

    def factory(self, name: str) -> Factory[T]:
        """The factory registered as ``name``; unknown names fail with the list of choices."""
        if name in self._builtins:
            return self._builtins[name]
        plugin = self._plugins().get(name)
        if plugin is None:
            raise ConfigError(f"Không có backend {self.kind} '{name}'; chọn một trong: {', '.join(self.names())}")
        try:
            loaded = plugin.load()
        except Exception as exc:  # any error inside someone else's package: report it, name the culprit
            raise BackendUnavailable(
                f"Không nạp được plug-in backend {self.kind} '{name}' ({plugin.value}): {type(exc).__name__}: {exc}",
                hint=f"cài lại hoặc gỡ gói cung cấp '{plugin.value.partition(':')[0]}'",
            ) from exc
        if not callable(loaded):
            raise BackendUnavailable(f"Plug-in backend {self.kind} '{name}' ({plugin.value}) không phải hàm tạo",
                                     hint="điểm vào phải trỏ tới một hàm hoặc lớp nhận settings")
        factory: Factory[T] = loaded
        return factory

    def create(self, name: str, settings: Any) -> T:
        """Build the backend called ``name`` from the effective settings."""
        return self.factory(name)(settings)
