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


HEADER = ("# Flow diagrams\n\nGenerated from `dialogues/*.yml` by "
          "`guide diagram > dialogues/DIAGRAMS.md`; do not edit by hand.\n\n")


def render(names: list[str] | None = None) -> str:
    dialogues = load_dialogues(paths.dialogues_dir())
    chosen = names or sorted(dialogues.flows)
    return "".join(f"## {name}\n\n```mermaid\n{mermaid(dialogues.flows[name])}\n```\n\n"
                   for name in chosen)


def print_diagrams(flow_name: str | None) -> int:
    if flow_name:
        if flow_name not in load_dialogues(paths.dialogues_dir()).flows:
            print(f"no flow named '{flow_name}'")
            return 1
        print(render([flow_name]), end="")
        return 0
    print(HEADER + render(), end="")
    return 0
