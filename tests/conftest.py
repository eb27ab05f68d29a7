"""Shared fixtures: real data from palmerpenguins, files on disk, and the CLI called in-process."""

from __future__ import annotations

import hashlib
import io
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import palmerpenguins
import pandas as pd
import pytest

from copilot.cli import main


@pytest.fixture(autouse=True)
def lexical_embeddings(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests use the deterministic lexical embedder unless they ask for the sentence model."""
    monkeypatch.setenv("COPILOT_EMBEDDER", "lexical")


@pytest.fixture(scope="session")
def penguins() -> pd.DataFrame:
    return palmerpenguins.load_penguins()


@pytest.fixture
def penguins_with_dups(tmp_path: Path, penguins: pd.DataFrame) -> Path:
    """The real penguins table with rows 5 and 9 appended again (exact duplicates at the end)."""
    path = tmp_path / "penguins.csv"
    pd.concat([penguins, penguins.iloc[[5, 9]]]).to_csv(path, index=False)
    return path


def _sha256_tree(path: Path) -> dict[str, str]:
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


@pytest.fixture
def tree_hash() -> Callable[[Path], dict[str, str]]:
    """sha256 of a file, or of every file under a folder: to prove inputs are never modified."""
    return _sha256_tree


@dataclass
class CliResult:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Callable[..., CliResult]:
    """Run `copilot ARGS...` in-process; `stdin` is what the user types."""

    def run(*args: str, stdin: str = "", columns: int = 200) -> CliResult:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        monkeypatch.setenv("COLUMNS", str(columns))  # wide by default, so assertions see whole cells
        try:
            main([str(a) for a in args])
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


# ---- a scripted OpenAI-compatible server on loopback ---------------------------------------------------

@dataclass
class Reply:
    """One scripted answer: a text, a function call, an HTTP error, a delay, or a raw (broken) body."""

    content: str | None = None
    tool: str | None = None
    arguments: object = None  # dict → JSON; str → sent as is (malformed JSON on purpose)
    status: int = 200
    delay: float = 0.0
    raw: str | None = None


class ScriptedOpenAI:
    """Serves /v1/chat/completions from a queue of Replies and records every request."""

    def __init__(self) -> None:
        self.replies: list[Reply] = []
        self.requests: list[dict] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def script(self, *replies: Reply) -> None:
        self.replies.extend(replies)

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _handler(self):
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # keep test output clean
                pass

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
                outer.requests.append({"path": self.path, "body": body,
                                       "authorization": self.headers.get("Authorization")})
                reply = outer.replies.pop(0) if outer.replies else Reply(status=500)
                time.sleep(reply.delay)
                if reply.status != 200:
                    payload = json.dumps({"error": {"message": f"scripted {reply.status}", "type": "test"}})
                    return self._send(reply.status, payload)
                if reply.raw is not None:
                    return self._send(200, reply.raw)
                message: dict = {"role": "assistant", "content": reply.content}
                if reply.tool:
                    args = reply.arguments if isinstance(reply.arguments, str) else json.dumps(reply.arguments)
                    message["tool_calls"] = [{"id": f"call_{len(outer.requests)}", "type": "function",
                                              "function": {"name": reply.tool, "arguments": args}}]
                self._send(200, json.dumps({
                    "id": f"chatcmpl-{len(outer.requests)}", "object": "chat.completion", "created": 0,
                    "model": body.get("model", "scripted"),
                    "choices": [{"index": 0, "message": message,
                                 "finish_reason": "tool_calls" if reply.tool else "stop"}],
                    "usage": {"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120}}))

            def _send(self, status: int, payload: str) -> None:
                data = payload.encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        return Handler


@pytest.fixture
def reply() -> type[Reply]:
    """The Reply class, for scripting the server: reply(tool="PlanDraft", arguments={...})."""
    return Reply


@pytest.fixture
def llm_server(monkeypatch: pytest.MonkeyPatch, offline_by_default: None):
    server = ScriptedOpenAI()
    monkeypatch.setenv("COPILOT_BASE_URL", server.url)
    monkeypatch.setenv("COPILOT_MODEL", "scripted-model")
    monkeypatch.setenv("COPILOT_TIMEOUT", "3")
    monkeypatch.setenv("COPILOT_MAX_RETRIES", "1")
    yield server
    server.close()


@pytest.fixture(autouse=True)
def isolated_home(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Added benchmarks and their indexes go to a temporary COPILOT_HOME, never the user's."""
    home = tmp_path_factory.mktemp("copilot-home")
    monkeypatch.setenv("COPILOT_HOME", str(home))
    return home


@pytest.fixture(scope="session")
def _user_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("user-cache")


@pytest.fixture(autouse=True)
def isolated_cache(monkeypatch: pytest.MonkeyPatch, _user_cache: Path) -> None:
    """Derived models (the ONNX export of the sentence model) go to one temporary cache per test session."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(_user_cache))


@pytest.fixture(autouse=True)
def offline_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests are offline unless they start the scripted server; a developer's own key never leaks in."""
    for name in ("OPENAI_API_KEY", "COPILOT_API_KEY", "COPILOT_BASE_URL", "COPILOT_MODEL"):
        monkeypatch.delenv(name, raising=False)
