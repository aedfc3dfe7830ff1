"""Score an NLU backend on examples it was not trained on."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from sklearn.metrics import precision_recall_fscore_support

from bot.nlu.data import Example
from bot.nlu.types import FALLBACK_INTENT, NluBackend


@dataclass(frozen=True)
class Scored:
    text: str
    expected: str
    predicted: str
    confidence: float


async def score(backend: NluBackend, examples: list[Example], threshold: float) -> list[Scored]:
    """`predicted` is what the bot acts on: the fallback below the confidence threshold."""
    scored = []
    for example in examples:
        result = await backend.parse(example.text, example.lang)
        predicted = result.name if result.confidence >= threshold else FALLBACK_INTENT
        scored.append(Scored(example.text, example.intent, predicted, result.confidence))
    return scored


def report(scored: list[Scored]) -> dict[str, Any]:
    expected = [s.expected for s in scored]
    predicted = [s.predicted for s in scored]
    labels = sorted(set(expected))
    if not scored:
        return {"accuracy": 0.0, "n": 0, "per_intent": {}, "confusions": [], "examples": []}
    precision, recall, f1, support = precision_recall_fscore_support(
        expected, predicted, labels=labels, zero_division=0)
    per_intent = {
        label: {"precision": round(float(p), 4), "recall": round(float(r), 4),
                "f1": round(float(f), 4), "support": int(n)}
        for label, p, r, f, n in zip(labels, precision, recall, f1, support, strict=True)
    }
    confusions = Counter((s.expected, s.predicted) for s in scored if s.expected != s.predicted)
    correct = sum(1 for s in scored if s.expected == s.predicted)
    return {
        "accuracy": round(correct / len(scored), 4) if scored else 0.0,
        "n": len(scored),
        "per_intent": per_intent,
        "confusions": [{"expected": e, "predicted": p, "count": c}
                       for (e, p), c in confusions.most_common()],
        "examples": [{"text": s.text, "expected": s.expected, "predicted": s.predicted,
                      "confidence": round(s.confidence, 4)} for s in scored],
    }


def format_report(result: dict[str, Any]) -> str:
    lines = [f"accuracy: {result['accuracy']:.1%} on {result['n']} examples", "",
             f"{'intent':<26} {'precision':>9} {'recall':>7} {'n':>4}"]
    for label, row in result["per_intent"].items():
        lines.append(f"{label:<26} {row['precision']:>9.2f} {row['recall']:>7.2f} "
                     f"{row['support']:>4}")
    if result["confusions"]:
        lines += ["", "confusions (expected -> predicted: count):"]
        lines += [f"  {c['expected']} -> {c['predicted']}: {c['count']}"
                  for c in result["confusions"]]
    return "\n".join(lines)
