"""The shell channel, run as a user runs it: `python -m bot shell` in a subprocess."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from bot.nlu.rasa import default_url

ROOT = Path(__file__).parents[3]


def run_shell(lines: list[str], *args: str, env: dict[str, str] | None = None
              ) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", "shell", *args],
        input="".join(f"{line}\n" for line in lines),
        capture_output=True, text=True, timeout=120, cwd=ROOT,
        env={**os.environ, **(env or {})},
    )


def test_json_mode_prints_one_object_per_input() -> None:
    done = run_shell(["/start", "1", "bonjour"], "--json", "--lang", "fr")
    assert done.returncode == 0, done.stderr
    objects = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(objects) == 3
    assert objects[0]["lang"] == "fr" and objects[0]["intent"] is None
    first_button = objects[0]["replies"][-1]["buttons"][0]
    assert first_button["data"].startswith("g:")
    assert objects[2]["intent"]["name"] == "greet"
    assert 0.0 <= objects[2]["intent"]["confidence"] <= 1.0


def test_bad_input_never_crashes_nor_loses_the_place() -> None:
    lines = ["/start", "1", "1",  # eligibility, first question answered: yes
             # (the question is "Are you 16 or older?": "42" would be an age, 4242 is none)
             "", "x" * 10_000, "😀😀😀", "ъъъ ыыы", "ፐፐፐ ቐቐ", "4242", "/nonsense"]
    done = run_shell(lines, "--json", "--lang", "en")
    assert done.returncode == 0, done.stderr
    objects = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(objects) == len(lines)
    question = objects[2]["replies"][-1]["text"]
    for later in objects[3:]:
        assert later["replies"], "every input gets an answer"
    # after all the noise the same question is still asked: the place is kept
    assert objects[-1]["replies"][-1]["text"].endswith(question)


def test_plain_mode_numbers_the_buttons() -> None:
    done = run_shell(["/menu"], "--lang", "en")
    assert done.returncode == 0, done.stderr
    assert "  [1] " in done.stdout


def test_a_corrupt_data_file_is_named_with_its_line(tmp_path: Path) -> None:
    for folder in ("dialogues", "translations", "nlu_data"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    broken = tmp_path / "dialogues" / "eligibility.yml"
    text = broken.read_text(encoding="utf-8").replace("start: looking", "start: lookin", 1)
    broken.write_text(text, encoding="utf-8")
    done = run_shell(["/start"], env={"GUIDE_ROOT": str(tmp_path),
                                      "GUIDE_CACHE_DIR": str(ROOT / ".cache")})
    assert done.returncode == 1
    assert "dialogues/eligibility.yml:" in done.stderr
    assert "start step 'lookin'" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_yaml_syntax_error_is_named_with_its_line(tmp_path: Path) -> None:
    for folder in ("dialogues", "translations", "nlu_data"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    broken = tmp_path / "translations" / "fr" / "common.yml"
    broken.write_text(broken.read_text(encoding="utf-8") + "oops: [unclosed\n", encoding="utf-8")
    done = run_shell(["/start"], env={"GUIDE_ROOT": str(tmp_path),
                                      "GUIDE_CACHE_DIR": str(ROOT / ".cache")})
    assert done.returncode == 1
    lines = broken.read_text(encoding="utf-8").count("\n")
    assert f"translations/fr/common.yml:{lines + 1}" in done.stderr or \
        f"translations/fr/common.yml:{lines}" in done.stderr, done.stderr


def test_date_sets_the_day_the_guide_answers_for() -> None:
    # /menu then the monthly update topic: the 15th of February is the last day, the 16th
    # is before the window opens, the 26th (February's opening day) is inside it
    said = {}
    for day in ("2026-02-15", "2026-02-16", "2026-02-26"):
        done = run_shell(["/menu", "7"], "--json", "--lang", "en", "--date", day)
        assert done.returncode == 0, done.stderr
        replies = json.loads(done.stdout.splitlines()[-1])["replies"]
        said[day] = "\n".join(reply["text"] for reply in replies)
    assert len(set(said.values())) == 3, said


def test_a_bad_date_is_one_clear_line_and_exit_code_2() -> None:
    for bad in ("2026-02-30", "16/02/2026", "tomorrow"):
        done = run_shell(["/start"], "--date", bad)
        assert done.returncode == 2, done.stderr
        assert done.stderr == (f"error: --date must be a day written YYYY-MM-DD, e.g. "
                               f"2026-02-16 (got '{bad}')\n")
        assert done.stdout == ""


def run_shell_bytes(data: bytes, *args: str, env: dict[str, str] | None = None
                    ) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "bot", "shell", *args], input=data,
                          capture_output=True, timeout=120, cwd=ROOT,
                          env={**os.environ, **(env or {})})


def test_invalid_utf8_with_a_strict_locale_is_answered_and_the_session_goes_on() -> None:
    # a strict UTF-8 stdin, as a terminal set to a UTF-8 locale has: one bad byte once ended
    # the session before even the lines around it were read
    data = b"bonjour\n" + b"\xff\xfe caf\xe9\n" + b"merci\n"
    done = run_shell_bytes(data, "--json", "--lang", "fr",
                           env={"PYTHONIOENCODING": "utf-8:strict"})
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    objects = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert len(objects) == 3 and all(o["replies"] for o in objects)
    assert objects[2]["intent"]["name"] == "thanks"
    assert b"line 2" in done.stderr and b"Traceback" not in done.stderr


def test_a_number_past_the_int_limit_is_answered_and_the_session_goes_on() -> None:
    done = run_shell(["/start", "7" * 5000, "merci"], "--json", "--lang", "fr")
    assert done.returncode == 0, done.stderr
    objects = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(objects) == 3 and all(o["replies"] for o in objects)


def test_a_reply_the_terminal_cannot_show_does_not_end_the_session() -> None:
    # an ASCII-only terminal: the Arabic replies cannot be written as they are
    done = run_shell(["/start", "مرحبا", "1"], "--json", "--lang", "ar",
                     env={"PYTHONIOENCODING": "ascii:strict"})
    assert done.returncode == 0, done.stderr
    assert len(done.stdout.splitlines()) == 3


def test_short_buttons_are_shown_two_on_a_line_as_on_telegram() -> None:
    done = run_shell(["/language"], "--lang", "en")
    assert done.returncode == 0, done.stderr
    assert "  [1] Français    [2] English" in done.stdout


def test_the_shell_says_it_sends_no_reminder() -> None:
    # Yes to the monthly reminder, then a date for an appointment reminder
    done = run_shell(["/reminders", "1", "1", "15/12"], "--lang", "en", "--date", "2026-12-04")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "I will write to you when the monthly update opens" in out
    assert out.count("In this test shell, no reminder is sent") == 2
    promise = out.index("I will write to you when")
    assert out.index("In this test shell", promise) < out.index("Do you have an appointment")


def test_the_shell_reads_with_rasa_when_the_bot_does() -> None:
    """GUIDE_NLU_BACKEND=rasa: the shell's intent is the Rasa server's, so a volunteer
    trying a flow meets what the bot answers (before, the shell always used the embedded
    model). Against the real server `bash scripts/rasa.sh up` starts (CI does)."""
    text = "je suis réfugié depuis 3 ans"
    url = default_url()
    try:
        answer = httpx.post(f"{url}/model/parse", json={"text": text}, timeout=10,
                            trust_env=False)
        answer.raise_for_status()
    except httpx.HTTPError as exc:
        pytest.skip(f"no Rasa server at {url} ({type(exc).__name__})")
    expected = answer.json()["intent"]
    done = run_shell([text], "--json", "--lang", "fr",
                     env={"GUIDE_NLU_BACKEND": "rasa", "GUIDE_RASA_URL": url})
    assert done.returncode == 0, done.stderr
    said = json.loads(done.stdout.splitlines()[0])["intent"]
    assert said["name"] == expected["name"]
    assert said["confidence"] == pytest.approx(expected["confidence"], abs=1e-4)


def test_a_wrong_backend_setting_is_named() -> None:
    done = run_shell(["/start"], "--lang", "fr", env={"GUIDE_NLU_BACKEND": "bert"})
    assert done.returncode == 2
    assert "GUIDE_NLU_BACKEND" in done.stderr and "'embedded' or 'rasa'" in done.stderr
    assert not done.stdout
