"""`guide telegram` as a user runs it, when Telegram refuses the token or cannot be reached:
one clear line on stderr, never the token, and the exit code the README gives."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

from tests.helpers.fake_telegram import FakeTelegram

ROOT = Path(__file__).parents[3]
EXIT_TOKEN = 2
EXIT_UNREACHABLE = 3
LEVELS = {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL", "error:"}


def _env(token: str, base_url: str, db: Path) -> dict[str, str]:
    return {**os.environ, "TELEGRAM_BOT_TOKEN": token, "TELEGRAM_API_BASE_URL": base_url,
            "GUIDE_STATE_URL": f"sqlite:///{db}", "GUIDE_CACHE_DIR": str(ROOT / ".cache")}


def _run(env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bot", "telegram"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)


def _only_log_lines(stderr: str) -> None:
    """Each line a log line or our error line: no traceback (there were 245 lines)."""
    for line in stderr.splitlines():
        assert line.split(" ", 1)[0] in LEVELS, stderr


def _errors(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("error:")]


def test_a_rejected_token_is_one_line_and_exit_code_2(tmp_path: Path) -> None:
    with FakeTelegram() as fake:
        fake.fail_next("getMe", status=401, times=50, description="Unauthorized")
        done = _run(_env(fake.token, fake.base_url, tmp_path / "state.db"))
    assert done.returncode == EXIT_TOKEN, done.stderr
    secret = fake.token.split(":", 1)[1]
    assert secret not in done.stderr and secret not in done.stdout
    _only_log_lines(done.stderr)
    [line] = _errors(done.stderr)
    assert "TELEGRAM_BOT_TOKEN" in line


def test_a_token_revoked_while_polling_is_one_line_and_exit_code_2(tmp_path: Path) -> None:
    with FakeTelegram() as fake:
        bot = subprocess.Popen([sys.executable, "-m", "bot", "telegram"], cwd=ROOT,
                               env=_env(fake.token, fake.base_url, tmp_path / "state.db"),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            fake.send_text(42, "/start", language_code="en")
            fake.wait_for_sync("sendMessage", chat_id=42, timeout=120)
            fake.fail_next("getUpdates", status=401, times=10_000, description="Unauthorized")
            stdout, stderr = bot.communicate(timeout=60)
        finally:
            if bot.poll() is None:
                bot.kill()
                bot.wait(timeout=10)
    assert bot.returncode == EXIT_TOKEN, stderr
    secret = fake.token.split(":", 1)[1]
    assert secret not in stderr and secret not in stdout
    _only_log_lines(stderr)
    [line] = _errors(stderr)
    assert "TELEGRAM_BOT_TOKEN" in line


def test_telegram_unreachable_at_start_is_one_line(tmp_path: Path) -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    started = time.monotonic()
    done = _run(_env("123456:ABCdefSecretPart", f"http://127.0.0.1:{port}/bot",
                     tmp_path / "state.db"))
    assert done.returncode == EXIT_UNREACHABLE, done.stderr
    assert "ABCdefSecretPart" not in done.stderr
    assert "Traceback" not in done.stderr
    [line] = _errors(done.stderr)
    assert f"127.0.0.1:{port}" in line
    _only_log_lines(done.stderr)
    assert time.monotonic() - started < 90


def test_a_rejected_token_stops_the_webhook_with_exit_code_2(tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with FakeTelegram() as fake:
        fake.fail_next("getMe", status=401, times=50, description="Unauthorized")
        env = {**_env(fake.token, fake.base_url, tmp_path / "state.db"),
               "GUIDE_WEBHOOK_URL": "https://bot.example.org/telegram",
               "GUIDE_WEBHOOK_SECRET": "s" * 40, "GUIDE_WEBHOOK_PORT": str(port)}
        done = subprocess.run([sys.executable, "-m", "bot", "webhook"], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=120)
    assert done.returncode == EXIT_TOKEN, done.stderr
    assert fake.token.split(":", 1)[1] not in done.stderr
    _only_log_lines(done.stderr)
    [line] = _errors(done.stderr)
    assert "TELEGRAM_BOT_TOKEN" in line
