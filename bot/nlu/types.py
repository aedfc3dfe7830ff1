"""What any NLU backend returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

FALLBACK_INTENT = "nlu_fallback"


@dataclass(frozen=True)
class IntentResult:
    name: str
    confidence: float
    ranking: list[tuple[str, float]] = field(default_factory=list)


class NluBackend(Protocol):
    async def parse(self, text: str, lang: str | None = None) -> IntentResult: ...
