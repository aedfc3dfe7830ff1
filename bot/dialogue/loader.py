"""Load dialogues/*.yml into validated flows, with file and line in every error."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.dialogue.schema import Flow, GlobalConfig, Message
from rules_engine.yamlfile import DataFileError, line_of, load_model

GLOBAL_FILE = "_global.yml"


@dataclass
class Dialogues:
    flows: dict[str, Flow]
    config: GlobalConfig
    files: dict[str, Path] = field(default_factory=dict)
    by_intent: dict[str, str] = field(default_factory=dict)

    def menu(self) -> list[Flow]:
        """The flows shown in the main menu, in their order."""
        shown = [f for f in self.flows.values() if f.menu is not None]
        return sorted(shown, key=lambda f: f.menu or 0)

    def flow_for_intent(self, intent: str) -> Flow | None:
        name = self.by_intent.get(intent)
        return self.flows[name] if name else None

    def opening(self, intent: str, answers: Mapping[str, Any]) -> tuple[Flow, list[Message]]:
        """The flow an intent opens for a user with these answers, and what to say first."""
        flow = self.flow_for_intent(intent)
        assert flow is not None
        opener = flow.openers.get(intent)
        if opener is None:
            return flow, []
        if opener.then and all(answers.get(k) == v for k, v in opener.once.items()):
            return self.flows[opener.then], []
        return flow, list(opener.say)


def load_dialogues(folder: Path) -> Dialogues:
    config = load_model(GlobalConfig, folder / GLOBAL_FILE)
    flows: dict[str, Flow] = {}
    files: dict[str, Path] = {}
    by_intent: dict[str, str] = {}
    for path in sorted(folder.glob("*.yml")):
        if path.name == GLOBAL_FILE:
            continue
        flow = load_model(Flow, path)
        for loc, target in flow.unknown_targets():
            where = ".".join(str(part) for part in loc)
            what = (f"start step '{target}' is not among the steps" if loc == ["start"]
                    else f"unknown step '{target}'")
            raise DataFileError(path, line_of(path, loc), f"{where}: {what}")
        if flow.flow != path.stem:
            raise DataFileError(path, line_of(path, ["flow"]),
                                f"flow: '{flow.flow}' must match the file name '{path.stem}'")
        for intent in flow.intents:
            if intent in by_intent:
                raise DataFileError(path, line_of(path, ["intents"]),
                                    f"intents: '{intent}' is already handled by flow "
                                    f"'{by_intent[intent]}'")
            by_intent[intent] = flow.flow
        flows[flow.flow] = flow
        files[flow.flow] = path
    _check_links(flows, files)
    return Dialogues(flows=flows, config=config, files=files, by_intent=by_intent)


def _check_links(flows: dict[str, Flow], files: dict[str, Path]) -> None:
    for flow in flows.values():
        for intent, opener in flow.openers.items():
            if opener.then is not None and opener.then not in flows:
                path = files[flow.flow]
                raise DataFileError(path, line_of(path, ["openers", intent, "then"]),
                                    f"openers.{intent}.then: unknown flow '{opener.then}'")
        for step_name, step in flow.steps.items():
            for index, link in enumerate(step.buttons):
                target_flow, _, target_step = link.goto.partition(".")
                target = flows.get(target_flow)
                if target is None or (target_step and target_step not in target.steps):
                    path = files[flow.flow]
                    raise DataFileError(path, line_of(path, ["steps", step_name, "buttons", index]),
                                        f"steps.{step_name}.buttons.{index}.goto: "
                                        f"unknown flow or step '{link.goto}'")
