"""`guide diagram`: a Mermaid state diagram of each flow, generated from dialogues/."""

from __future__ import annotations

from bot import paths
from bot.dialogue.loader import load_dialogues
from bot.dialogue.schema import Flow


def mermaid(flow: Flow) -> str:
    lines = ["stateDiagram-v2", f"    [*] --> {flow.start}"]
    for name, step in flow.steps.items():
        for option in step.options:
            target = option.next or step.next
            if target:
                label = "" if option.value is None else f": {option.value}"
                lines.append(f"    {name} --> {target}{label}")
        for outcome, target in step.outcomes.items():
            lines.append(f"    {name} --> {target}: {outcome}")
        if step.next and not step.options:
            lines.append(f"    {name} --> {step.next}")
        for link in step.buttons:
            lines.append(f"    {name} --> {link.goto.replace('.', '_')}: goto")
        if step.end:
            lines.append(f"    {name} --> [*]")
    return "\n".join(lines)


def print_diagrams(flow_name: str | None) -> int:
    dialogues = load_dialogues(paths.dialogues_dir())
    names = [flow_name] if flow_name else sorted(dialogues.flows)
    for name in names:
        if name not in dialogues.flows:
            print(f"no flow named '{name}'")
            return 1
        print(f"## {name}\n\n```mermaid\n{mermaid(dialogues.flows[name])}\n```\n")
    return 0
