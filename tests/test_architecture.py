"""The architecture contract of ``assistant/``, read from the source with ``ast`` (nothing is imported).

1. **No import cycles** among its modules. Every import statement counts, wherever it is: inside functions (lazy
   imports) and under ``if TYPE_CHECKING:`` too. A module importing one of its own parent packages is not an edge:
   Python runs the parent's ``__init__`` first anyway.
2. **Packages depend in one direction**, lowest layer first (``LAYERS``); a package may import its own layer and the
   layers below, never above, and the rules in ``FOUNDATION_ALLOWED``, ``APART`` and ``ONE_WAY`` narrow that further.
3. **Small files**: every module has fewer than ``MAX_LINES`` lines.
4. **Docstrings on the public API**: every public module-level function and class, and every public method of a public
   class, has a docstring. Public means no leading underscore, which exempts ``__init__`` and the other dunders. Also
   exempt: ``@property`` (with its setter and deleter, and ``functools.cached_property``) and ``@typing.overload``
   signatures; members that pydantic or dataclasses generate are not in the source, so they need nothing either.
   Functions nested in functions, and classes nested in classes, are not public API and are not checked.

Each check lists every violation it finds, naming the module, what it imports and the rule broken.
"""

from __future__ import annotations

import ast
import functools
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "assistant"
MAX_LINES = 600
ROOT = "assistant"  # the top package itself (assistant/__init__.py) when it is the importing or imported side

# Lowest first. The root package (its __version__) sits with the foundation.
LAYERS: tuple[tuple[str, frozenset[str]], ...] = (
    ("foundation", frozenset({ROOT, "errors", "settings", "prompts", "offline", "registry", "text", "records", "llm",
                              "embeddings", "hashing"})),
    ("stages", frozenset({"ingest", "retrieval"})),
    ("features", frozenset({"study", "drafting"})),
    ("services", frozenset({"services", "doctor", "integrations", "evaluation", "backup"})),
    ("interfaces", frozenset({"cli", "ui"})),
)
# The bottom of the foundation, as the code has it: errors import nothing, the Vietnamese text tools only errors,
# the shared records only text and errors. Other foundation packages may import each other (the cycle check keeps
# them acyclic).
FOUNDATION_ALLOWED: dict[str, frozenset[str]] = {
    ROOT: frozenset(),
    "errors": frozenset(),
    "hashing": frozenset(),
    "text": frozenset({"errors"}),
    "records": frozenset({"errors", "text"}),
}
# Packages of one layer that must not import each other, either way.
APART: tuple[tuple[str, str], ...] = (("llm", "embeddings"), ("ingest", "retrieval"), ("study", "drafting"))
# Within a layer, one direction only: the key must not import any of its values.
ONE_WAY: dict[str, frozenset[str]] = {
    "services": frozenset({"doctor", "integrations", "evaluation"}),
    "ui": frozenset({"cli"}),
}


@dataclass(frozen=True)
class Import:
    """One import statement's edge from a module to a module of the same package."""

    source: str
    target: str
    line: int


def module_files(root: Path) -> dict[str, Path]:
    """Dotted module name → file, for every ``.py`` file under ``root`` (a package directory)."""
    modules = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    return modules


def _imported_names(node: ast.AST, package: list[str]) -> list[str]:
    """Every dotted name an import statement may load; ``package`` is the importing module's package, for relative
    imports."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if not isinstance(node, ast.ImportFrom):
        return []
    if node.level:
        anchor = package[: len(package) - node.level + 1]
        module = ".".join(anchor + ([node.module] if node.module else []))
    else:
        module = node.module or ""
    # ``from a import b`` loads a, and a.b when b is a submodule.
    return [module, *(f"{module}.{alias.name}" for alias in node.names)]


def import_edges(root: Path) -> tuple[dict[str, Path], list[Import]]:
    """The modules under ``root`` and every import from one of them to another."""
    modules = module_files(root)

    def resolve(name: str) -> str | None:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    edges = []
    for name, path in modules.items():
        package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            seen = set()
            for imported in _imported_names(node, package):
                target = resolve(imported) if imported.split(".")[0] == root.name else None
                if target is None or target == name or name.startswith(target + ".") or target in seen:
                    continue
                seen.add(target)
                edges.append(Import(name, target, node.lineno))
    return modules, edges


def import_cycles(modules: list[str], edges: list[Import]) -> list[list[str]]:
    """Each strongly connected group of two or more modules, as one shortest cycle through its first module."""
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for edge in edges:
        graph[edge.source].add(edge.target)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(start: str) -> None:
        # Tarjan's algorithm, iterative: deep import chains must not hit the recursion limit.
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    groups.append(sorted(group))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return [_shortest_cycle(group, graph) for group in sorted(groups)]


def _shortest_cycle(group: list[str], graph: dict[str, set[str]]) -> list[str]:
    start, members = group[0], set(group)
    came_from: dict[str, str] = {}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for child in sorted(graph[node] & members):
            if child == start:
                path = [node]
                while path[-1] != start:
                    path.append(came_from[path[-1]])
                return [*reversed(path), start]
            if child not in came_from:
                came_from[child] = node
                queue.append(child)
    raise AssertionError(f"no cycle through {start} in {group}")  # a strongly connected group always has one


def top_package(module: str) -> str:
    """``assistant.ingest.loaders.pdf`` → ``ingest``; the top package itself → ``ROOT``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ROOT


def layering_violations(edges: list[Import]) -> list[str]:
    """Each import that breaks the one-direction rules, with the rule it breaks."""
    layer_of = {package: (rank, name) for rank, (name, packages) in enumerate(LAYERS) for package in packages}
    order = " → ".join(name for name, _ in LAYERS)
    problems = []
    unplaced = set()
    for edge in edges:
        source, target = top_package(edge.source), top_package(edge.target)
        for package in (source, target):
            if package not in layer_of and package not in unplaced:
                unplaced.add(package)
                problems.append(f"assistant.{package} is in no layer: add it to LAYERS in tests/test_architecture.py")
        if source == target or source not in layer_of or target not in layer_of:
            continue
        where = f"{edge.source} imports {edge.target} (line {edge.line})"
        (source_rank, source_layer), (target_rank, target_layer) = layer_of[source], layer_of[target]
        if target_rank > source_rank:
            problems.append(f"{where}: {source} ({source_layer}) must not import {target} ({target_layer}); "
                            f"layers depend one way: {order}")
        elif source in FOUNDATION_ALLOWED and target not in FOUNDATION_ALLOWED[source]:
            allowed = ", ".join(sorted(FOUNDATION_ALLOWED[source])) or "nothing of assistant"
            problems.append(f"{where}: {source} may import only {allowed}")
        elif (source, target) in APART or (target, source) in APART:
            problems.append(f"{where}: {source} and {target} must not import each other")
        elif target in ONE_WAY.get(source, ()):
            problems.append(f"{where}: {source} must not import {target} ({target} builds on {source})")
    return sorted(problems)


def long_modules(modules: dict[str, Path]) -> list[str]:
    """Modules with ``MAX_LINES`` lines or more."""
    problems = []
    for name, path in sorted(modules.items()):
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines >= MAX_LINES:
            problems.append(f"{name}: {lines} lines, split it below {MAX_LINES}")
    return problems


def _decorator_names(node: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    names = set()
    for decorator in node.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        if isinstance(target, ast.Attribute):
            names.add(target.attr)  # functools.cached_property, typing.overload, value.setter
        elif isinstance(target, ast.Name):
            names.add(target.id)
    return names


_EXEMPT_DECORATORS = {"property", "cached_property", "setter", "deleter", "getter", "overload"}


def _public_api(tree: ast.Module) -> Iterator[tuple[str, ast.AST]]:
    """Qualified name and node of each public module-level function and class, and each public method of a public
    class, minus the exempt decorators."""
    functions = (ast.FunctionDef, ast.AsyncFunctionDef)
    for node in tree.body:
        if isinstance(node, functions) and not node.name.startswith("_"):
            if not _decorator_names(node) & _EXEMPT_DECORATORS:
                yield node.name, node
        elif isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
            yield node.name, node
            for member in node.body:
                if (isinstance(member, functions) and not member.name.startswith("_")
                        and not _decorator_names(member) & _EXEMPT_DECORATORS):
                    yield f"{node.name}.{member.name}", member


def missing_docstrings(modules: dict[str, Path]) -> list[str]:
    """Public functions, classes and methods without a docstring, as ``module.qualified_name (line)``."""
    problems = []
    for name, path in sorted(modules.items()):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for qualname, node in _public_api(tree):
            if not ast.get_docstring(node):  # type: ignore[arg-type]  # only functions and classes are yielded
                problems.append(f"{name}.{qualname} (line {node.lineno})")  # type: ignore[attr-defined]
    return problems


@functools.cache
def _package() -> tuple[dict[str, Path], list[Import]]:
    return import_edges(PACKAGE)


def _report(title: str, problems: list[str]) -> str:
    return f"{len(problems)} {title}:\n" + "\n".join(f"  - {p}" for p in problems)


# -- the checks themselves, on a small package made for them ------------------------------------------------------


def _write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root / "assistant"


def test_the_checks_find_what_they_look_for(tmp_path: Path) -> None:
    """A made-up package with one of each problem: a lazy relative import closing a cycle, a stage importing
    another stage and a feature, a long module, undocumented public API beside exempt members."""
    package = _write(tmp_path, {
        "assistant/__init__.py": "",
        "assistant/text/__init__.py": "",
        "assistant/text/words.py": "from assistant.records import Chunk\n",
        "assistant/records.py": "class Chunk:\n    '''A passage.'''\n",
        "assistant/ingest/__init__.py": "",
        "assistant/ingest/pipeline.py": "def run():\n    '''Ingest.'''\n    from . import store\n"
                                        "    from assistant.retrieval.index import Index\n",
        "assistant/ingest/store.py": "from assistant.ingest.pipeline import run\nfrom assistant.study import chat\n",
        "assistant/retrieval/__init__.py": "",
        "assistant/retrieval/index.py": "import assistant.ingest\n" + "\n" * MAX_LINES,
        "assistant/study/__init__.py": "",
        "assistant/study/chat.py": (
            "import typing\n"
            "def answer(q):\n    return q\n"
            "def _helper():\n    pass\n"
            "class Chat:\n    '''A conversation.'''\n"
            "    def __init__(self):\n        pass\n"
            "    @property\n    def turns(self):\n        return 0\n"
            "    @turns.setter\n    def turns(self, value):\n        pass\n"
            "    @typing.overload\n    def ask(self, q: int) -> int: ...\n"
            "    def ask(self, q):\n        '''One turn.'''\n"
            "    def reset(self):\n        pass\n"
            "class _Private:\n    def run(self):\n        pass\n"
        ),
    })
    modules, edges = import_edges(package)

    assert import_cycles(list(modules), edges) == [
        ["assistant.ingest.pipeline", "assistant.ingest.store", "assistant.ingest.pipeline"]]
    assert layering_violations(edges) == [
        "assistant.ingest.pipeline imports assistant.retrieval.index (line 4): ingest and retrieval must not import "
        "each other",
        "assistant.ingest.store imports assistant.study (line 2): ingest (stages) must not import study (features); "
        "layers depend one way: foundation → stages → features → services → interfaces",
        "assistant.ingest.store imports assistant.study.chat (line 2): ingest (stages) must not import study "
        "(features); layers depend one way: foundation → stages → features → services → interfaces",
        "assistant.retrieval.index imports assistant.ingest (line 1): retrieval and ingest must not import each other",
        "assistant.text.words imports assistant.records (line 1): text may import only errors",
    ]
    assert long_modules(modules) == [f"assistant.retrieval.index: {MAX_LINES + 1} lines, split it below {MAX_LINES}"]
    assert missing_docstrings(modules) == ["assistant.study.chat.answer (line 2)",
                                           "assistant.study.chat.Chat.reset (line 20)"]


# -- the contract on assistant/ ------------------------------------------------------------------------------------


def test_the_package_is_read_whole() -> None:
    """Guards the checks below against passing on an empty graph (a wrong path, a parse that found nothing)."""
    modules, edges = _package()
    assert len(modules) > 50
    assert any(e.source == "assistant.services" and e.target == "assistant.settings" for e in edges)
    assert any(e.source.startswith("assistant.cli") and e.target == "assistant.services" for e in edges)


def test_no_import_cycles() -> None:
    modules, edges = _package()
    cycles = import_cycles(list(modules), edges)
    assert not cycles, _report("import cycles (each shown through its first module)", [" → ".join(c) for c in cycles])


def test_packages_depend_in_one_direction() -> None:
    _, edges = _package()
    problems = layering_violations(edges)
    assert not problems, _report("imports against the layering", problems)


def test_every_module_is_small() -> None:
    modules, _ = _package()
    problems = long_modules(modules)
    assert not problems, _report("modules too long", problems)


def test_public_api_has_docstrings() -> None:
    modules, _ = _package()
    problems = missing_docstrings(modules)
    assert not problems, _report("public functions, classes and methods without a docstring", problems)
