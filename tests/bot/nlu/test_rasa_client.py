"""RasaNlu against a small fake Rasa server on 127.0.0.1: no Rasa needed."""

from __future__ import annotations

import json
import logging
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from bot.nlu.rasa import RasaNlu, RasaUnavailable, to_result
from bot.nlu.types import FALLBACK_INTENT, IntentResult

SECRET = "my password is hunter2"  # a message that must never reach the logs

PARSED = {
    "text": "hello",
    "intent": {"name": "greet", "confidence": 0.93, "id": 1},
    "entities": [],
    "intent_ranking": [
        {"name": "greet", "confidence": 0.93, "id": 1},
        {"name": "thanks", "confidence": 0.05, "id": 2},
        {"name": "goodbye", "confidence": 0.02, "id": 3},
    ],
}


@dataclass
class FakeRasa:
    """What the fake server does: `mode` is ok, slow, error, garbage or drop_once."""

    url: str = ""
    mode: str = "ok"
    delay: float = 1.0
    answer: dict[str, Any] = field(default_factory=lambda: dict(PARSED))
    requests: list[dict[str, Any]] = field(default_factory=list)


def _handler(fake: FakeRasa) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _send(self, status: int, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            if self.path == "/status":
                self._send(200, json.dumps({"model_file": "nlu-test.tar.gz"}).encode())
            else:
                self._send(404, b"{}")

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            fake.requests.append({"path": self.path, "json": json.loads(body)})
            if fake.mode == "drop_once":
                fake.mode = "ok"
                self.close_connection = True  # no answer at all: the connection just ends
                return
            if fake.mode == "slow":
                time.sleep(fake.delay)
            if fake.mode == "error":
                self._send(500, b'{"error": "boom"}')
            elif fake.mode == "garbage":
                self._send(200, b"<html>not json</html>")
            else:
                self._send(200, json.dumps(fake.answer).encode())

    return Handler


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a slow answer to a client that timed out: a broken pipe, as intended


@pytest.fixture
def fake() -> Iterator[FakeRasa]:
    state = FakeRasa()
    server = QuietServer(("127.0.0.1", 0), _handler(state))
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


class Fallback:
    """The embedded model's stand-in: records what it was asked."""

    def __init__(self) -> None:
        self.texts: list[str] = []

    async def parse(self, text: str, lang: str | None = None) -> IntentResult:
        self.texts.append(text)
        return IntentResult("from_fallback", 0.77, [("from_fallback", 0.77)])


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _dead_url() -> str:
    """A port on which nothing listens: connections are refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


async def test_parse_maps_rasa_answer(fake: FakeRasa) -> None:
    fallback = Fallback()
    async with RasaNlu(fake.url, fallback) as rasa:
        result = await rasa.parse("hello", "en")
    assert result == IntentResult("greet", 0.93, [("greet", 0.93), ("thanks", 0.05),
                                                  ("goodbye", 0.02)])
    assert fake.requests == [{"path": "/model/parse", "json": {"text": "hello"}}]
    assert fallback.texts == []


async def test_rasa_fallback_intent_and_empty_answer_are_mapped(fake: FakeRasa) -> None:
    fake.answer = {"intent": {"name": "nlu_fallback", "confidence": 0.4},
                   "intent_ranking": [{"name": "nlu_fallback", "confidence": 0.4},
                                      {"name": "greet", "confidence": 0.3}]}
    async with RasaNlu(fake.url, Fallback()) as rasa:
        # below Rasa's own threshold: its best guess, for the bot's thresholds to judge
        assert await rasa.parse("blah blah") == IntentResult("greet", 0.3, [("greet", 0.3)])
        fake.answer = {"intent": {"name": "nlu_fallback", "confidence": 0.4},
                       "intent_ranking": [{"name": "nlu_fallback", "confidence": 0.4}]}
        result = await rasa.parse("blah blah")
        assert result.name == FALLBACK_INTENT and result.confidence == pytest.approx(0.4)
        fake.answer = {"text": "x", "intent": {"name": None, "confidence": 0.0}, "entities": []}
        assert await rasa.parse("x") == IntentResult(FALLBACK_INTENT, 0.0, [])
        asked = len(fake.requests)
        for nothing in ("", "   ", "🙂🙂", "?!"):  # not sent: no words, no intent
            assert await rasa.parse(nothing) == IntentResult(FALLBACK_INTENT, 0.0, [])
        assert len(fake.requests) == asked


def test_to_result_rejects_what_is_not_a_parse() -> None:
    with pytest.raises(ValueError):
        to_result({"intent": {"name": "greet", "confidence": "very"}})
    with pytest.raises(ValueError):
        to_result([1, 2, 3])


async def test_timeout_falls_back_then_cools_down(fake: FakeRasa,
                                                  caplog: pytest.LogCaptureFixture) -> None:
    fake.mode, fake.delay = "slow", 1.0
    fallback, clock = Fallback(), Clock()
    async with RasaNlu(fake.url, fallback, timeout=0.2, cooldown=30, clock=clock) as rasa:
        with caplog.at_level(logging.WARNING, logger="bot.nlu.rasa"):
            started = time.perf_counter()
            first = await rasa.parse(SECRET)
            assert time.perf_counter() - started < 0.9  # the timeout, not the slow answer
            assert first.name == "from_fallback"
            assert len(fake.requests) == 1  # a timeout is not tried again
            assert rasa.cooling_down

            clock.now += 29  # within the cool-down: the server is not even asked
            started = time.perf_counter()
            assert (await rasa.parse("hello")).name == "from_fallback"
            assert time.perf_counter() - started < 0.1
            assert len(fake.requests) == 1

            clock.now += 2  # cool-down over, server healthy again
            fake.mode = "ok"
            assert (await rasa.parse("hello")).name == "greet"
            assert not rasa.cooling_down
    assert fallback.texts == [SECRET, "hello"]
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert fake.url in warnings[0].getMessage() and "timeout" in warnings[0].getMessage()
    assert SECRET not in caplog.text


async def test_server_error_falls_back_with_one_warning(fake: FakeRasa,
                                                        caplog: pytest.LogCaptureFixture) -> None:
    fake.mode = "error"
    fallback, clock = Fallback(), Clock()
    async with RasaNlu(fake.url, fallback, cooldown=30, clock=clock) as rasa:
        with caplog.at_level(logging.WARNING, logger="bot.nlu.rasa"):
            for _ in range(3):
                assert (await rasa.parse(SECRET)).name == "from_fallback"
                clock.now += 31  # each time past the cool-down: asked again, fails again
    assert len(fake.requests) == 3  # an HTTP error is an answer: not tried twice
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1  # one line for the whole outage
    assert "HTTP 500" in warnings[0]
    assert SECRET not in caplog.text
    assert "hunter2" not in caplog.text


async def test_garbage_answer_falls_back(fake: FakeRasa) -> None:
    fake.mode = "garbage"
    async with RasaNlu(fake.url, Fallback()) as rasa:
        assert (await rasa.parse("hello")).name == "from_fallback"
        assert rasa.cooling_down


async def test_dropped_connection_is_tried_again(fake: FakeRasa) -> None:
    fake.mode = "drop_once"
    fallback = Fallback()
    async with RasaNlu(fake.url, fallback, attempts=2) as rasa:
        assert (await rasa.parse("hello")).name == "greet"
    assert len(fake.requests) == 2
    assert fallback.texts == []


async def test_dead_server_falls_back_at_once(caplog: pytest.LogCaptureFixture) -> None:
    fallback = Fallback()
    async with RasaNlu(_dead_url(), fallback, attempts=2) as rasa:
        with caplog.at_level(logging.WARNING, logger="bot.nlu.rasa"):
            started = time.perf_counter()
            for _ in range(5):
                assert (await rasa.parse(SECRET)).name == "from_fallback"
            assert time.perf_counter() - started < 1.0
    assert len(fallback.texts) == 5
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "cannot connect" in warnings[0]
    assert SECRET not in caplog.text


async def test_without_fallback_a_failure_is_an_error(fake: FakeRasa) -> None:
    fake.mode = "error"
    async with RasaNlu(fake.url) as rasa:
        assert await rasa.check() == "nlu-test.tar.gz"
        with pytest.raises(RasaUnavailable, match="HTTP 500"):
            await rasa.parse("hello")
    async with RasaNlu(_dead_url()) as rasa:
        with pytest.raises(RasaUnavailable, match="cannot connect"):
            await rasa.check()


def test_evaluate_cli_fails_in_one_line_when_rasa_is_down(
        capsys: pytest.CaptureFixture[str]) -> None:
    from pathlib import Path

    from bot.cli import main

    heldout = Path(__file__).parents[2] / "data" / "nlu_heldout" / "en.yml"
    code = main(["nlu", "evaluate", "--backend", "rasa", "--rasa-url", _dead_url(),
                 str(heldout)])
    captured = capsys.readouterr()
    assert code == 1
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: Rasa NLU at http://127.0.0.1:")


async def test_evaluate_cli_scores_a_rasa_server(fake: FakeRasa,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    import asyncio
    from pathlib import Path

    from bot.cli import main

    heldout = Path(__file__).parents[2] / "data" / "nlu_heldout" / "en.yml"
    # main() runs its own event loop: call it from a thread, as from the command line
    code = await asyncio.to_thread(
        main, ["nlu", "evaluate", "--backend", "rasa", "--rasa-url", fake.url, "--json",
               str(heldout)])
    assert code == 0
    result = json.loads(capsys.readouterr().out)
    assert result["n"] == len(fake.requests) > 0
    assert all(e["predicted"] == "greet" for e in result["examples"])


def test_a_url_without_scheme_is_refused_at_once() -> None:
    with pytest.raises(ValueError, match="http://"):
        RasaNlu("localhost:5005")


def test_url_defaults_to_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GUIDE_RASA_URL", "http://127.0.0.1:6006/")
    assert RasaNlu().url == "http://127.0.0.1:6006"
    monkeypatch.delenv("GUIDE_RASA_URL")
    assert RasaNlu().url == "http://127.0.0.1:5005"
