"""Compare the two NLU backends on the same messages, in one run.

For each backend: accuracy per language on the held-back messages (tests/data/nlu_heldout/
and nlu_heldout_new/, written apart from the training data and never trained on), parse
latency p50/p99, training time and the memory (RSS) of the process that serves the model.
For the embedded backend also accuracy by 5-fold cross-validation on the training data.
Rasa is measured when its server answers (`bash scripts/rasa.sh up`).

Run: .venv/bin/python bench/nlu.py [--rasa-url URL] [--no-cv]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

from sklearn.model_selection import StratifiedKFold

from bot import paths
from bot.nlu.data import Example, read_examples, read_training_data
from bot.nlu.embedded import EmbeddedNlu, NluSettings, normalise, train
from bot.nlu.rasa import RasaNlu, RasaUnavailable, default_url
from bot.nlu.types import FALLBACK_INTENT, NluBackend
from rules_engine.yamlfile import load_model

ROOT = Path(__file__).resolve().parent.parent
HELDOUT_DIRS = [ROOT / "tests" / "data" / name for name in ("nlu_heldout", "nlu_heldout_new")]
RASA_HOME = Path(os.environ.get("GUIDE_RASA_HOME", Path.home() / ".cache" / "guide-rasa"))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children, in MB (from /proc)."""
    total = 0
    for candidate in [pid, *children(pid)]:
        try:
            for line in Path(f"/proc/{candidate}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found += [int(entry.name), *children(int(entry.name))]
    return found


async def measure(backend: NluBackend, examples: list[Example], threshold: float
                  ) -> tuple[dict[str, float], list[float]]:
    right: dict[str, int] = defaultdict(int)
    count: dict[str, int] = defaultdict(int)
    latencies = []
    for example in examples:
        started = time.perf_counter()
        result = await backend.parse(example.text, example.lang)
        latencies.append(time.perf_counter() - started)
        predicted = result.name if result.confidence >= threshold else FALLBACK_INTENT
        count[example.lang] += 1
        right[example.lang] += predicted == example.intent
    return {lang: right[lang] / count[lang] for lang in count}, latencies


def cross_validation(examples: list[Example], settings: NluSettings, folds: int = 5
                     ) -> dict[str, float]:
    right: dict[str, int] = defaultdict(int)
    count: dict[str, int] = defaultdict(int)
    labels = [f"{e.lang}:{e.intent}" for e in examples]
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=0)
    for train_index, test_index in splitter.split(examples, labels):
        model = train([examples[i] for i in train_index], settings)
        for i in test_index:
            example = examples[i]
            result = model.parse_sync(example.text)
            predicted = result.name if result.confidence >= settings.threshold else FALLBACK_INTENT
            count[example.lang] += 1
            right[example.lang] += predicted == example.intent
    return {lang: right[lang] / count[lang] for lang in count}


def embedded_rss() -> float:
    """RSS of a fresh process that loads the cached model and parses one message."""
    code = ("from bot.app import load_nlu; from pathlib import Path; m = load_nlu(None); "
            "m.parse_sync('bonjour'); "
            "print([l for l in Path('/proc/self/status').read_text().splitlines() "
            "if l.startswith('VmRSS')][0].split()[1])")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, cwd=ROOT)
    return int(done.stdout.strip()) / 1024


def rasa_train_seconds() -> str:
    files = sorted((RASA_HOME / "models").glob("*.seconds"))
    return files[-1].read_text().strip() + " s" if files else "n/a"


def rasa_server_rss() -> float | None:
    pid_files = sorted(RASA_HOME.glob("server-*.pid"))
    for pid_file in pid_files:
        try:
            return rss_mb(int(pid_file.read_text().strip()))
        except (OSError, ValueError):
            continue
    return None


def table(rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True))
                     for row in rows)


async def main(rasa_url: str, with_cv: bool) -> None:
    settings = load_model(NluSettings, paths.nlu_data_dir() / "config.yml")
    training = read_training_data(paths.nlu_data_dir())
    heldout = [e for folder in HELDOUT_DIRS for p in sorted(folder.glob("*.yml"))
               for e in read_examples(p, p.stem)]
    languages = sorted({e.lang for e in heldout})

    started = time.perf_counter()
    embedded: EmbeddedNlu = train(training, settings)
    embedded_train = time.perf_counter() - started
    normalise("warm up")
    embedded_acc, embedded_lat = await measure(embedded, heldout, settings.threshold)
    cv = cross_validation(training, settings) if with_cv else {}

    rasa_acc: dict[str, float] = {}
    rasa_lat: list[float] = []
    rasa_note = ""
    rasa = RasaNlu(rasa_url, timeout=10.0)
    try:
        await rasa.check()
        await rasa.parse("bonjour")
        rasa_acc, rasa_lat = await measure(rasa, heldout, settings.threshold)
    except RasaUnavailable as exc:
        rasa_note = f"Rasa not measured: {exc}"
    finally:
        await rasa.aclose()

    print(f"{len(training)} training examples, {len(heldout)} held-back messages, "
          f"threshold {settings.threshold}\n")
    rows = [("language", "embedded held-out", "embedded 5-fold CV", "rasa held-out")]
    for lang in languages:
        rows.append((lang, f"{embedded_acc.get(lang, 0):.1%}",
                     f"{cv[lang]:.1%}" if lang in cv else "-",
                     f"{rasa_acc[lang]:.1%}" if lang in rasa_acc else "-"))
    print(table(rows))
    print()
    ms = [x * 1000 for x in embedded_lat]
    rows = [("backend", "parse p50", "parse p99", "training", "serving RSS")]
    rows.append(("embedded", f"{statistics.median(ms):.2f} ms", f"{percentile(ms, 0.99):.2f} ms",
                 f"{embedded_train:.1f} s", f"{embedded_rss():.0f} MB"))
    if rasa_lat:
        rms = [x * 1000 for x in rasa_lat]
        rss = rasa_server_rss()
        rows.append(("rasa", f"{statistics.median(rms):.2f} ms", f"{percentile(rms, 0.99):.2f} ms",
                     rasa_train_seconds(), f"{rss:.0f} MB" if rss else "n/a"))
        rows.append(("rasa / embedded", f"{statistics.median(rms) / statistics.median(ms):.1f}x",
                     f"{percentile(rms, 0.99) / percentile(ms, 0.99):.1f}x", "", ""))
    print(table(rows))
    if rasa_note:
        print(f"\n{rasa_note}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--rasa-url", default=default_url())
    parser.add_argument("--no-cv", action="store_true")
    arguments = parser.parse_args()
    asyncio.run(main(arguments.rasa_url, not arguments.no_cv))
