"""`guide lint`: check every data file people edit; errors as `file:line: message`."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Collection, Iterator
from datetime import date
from pathlib import Path

from bot import checklist, paths, payloads
from bot.courtesy import read_courtesy
from bot.dialogue.loader import GLOBAL_FILE, Dialogues, load_dialogues
from bot.dialogue.schema import Flow
from bot.distress import DISTRESS_INTENT, read_distress
from bot.distress_model import LOOKALIKES, read_lookalikes
from bot.dont_know import DONT_KNOW_INTENT, read_dont_know
from bot.feedback import FEEDBACK_KEYS
from bot.glossary import glossary_warnings, read_glossary
from bot.i18n import SOURCE_LANG, Catalog, declared, load_catalog, placeholders
from bot.links import PREFIX, link_ids
from bot.lint_translations import check_missing, check_plurals
from bot.nlu.data import read_negations, read_training_data
from bot.numbers import NUMBER_KEYS, NUMBER_PLACEHOLDERS, read_units
from bot.privacy import PRIVACY_FILE
from bot.secret_words import read_password_words
from bot.slots import SLOT_KEYS, check_cues, read_slots
from bot.sources_report import lint_warnings, stale_months
from bot.synonyms import check_synonyms, read_synonyms
from bot.translations_context import read_limits
from bot.yes_no import read_yes_no
from rules_engine.parameters import (
    PUBLIC_NAMES,
    check_parameters,
    default_store,
    public_parameters,
    today_in_paris,
)
from rules_engine.registry import RULE_ANSWERS
from rules_engine.yamlfile import DataFileError, line_of, load_yaml

# keys the engine and the conversation core use themselves
ENGINE_KEYS = [
    "welcome.text", "menu.prompt", "help.text", "common.yes", "common.no", "common.next",
    "common.confirm", "common.correct", "common.q.confirm_summary", "common.summary_intro",
    "common.summary_line", "common.back", "common.menu", "common.restart", "common.language",
    "common.help", "common.resume", "common.resume_prompt", "common.resume_topic",
    "common.stale_button", "common.back_at_first", "help.commands", "help.command_line",
    "privacy.text", "privacy.days", "privacy.first_start",
    "common.invalid_number", "common.choose_button", "common.unsure_choose", "common.empty",
    "common.yes_no_choose",
    "common.nothing_to_go_back", "common.sources_intro", "common.source_item",
    "common.source_line", "common.sources_button",
    "common.uncertain_prefix", "common.ok", "common.rule_failed", "common.missing_text",
    "fallback.confirm", "fallback.rephrase", "fallback.human", "language.prompt",
    "language.changed", "language.offer", "privacy.secret_warning", "common.too_long",
    "common.non_text", "common.caption_read", "common.error", "privacy.forget_confirm",
    "privacy.forget_yes", "privacy.forget_no",
    "privacy.forgotten", "common.too_fast",
    "reminders.monthly_open", "reminders.monthly_soon", "reminders.appointment",
]
# values the engine passes to its own messages
ENGINE_PLACEHOLDERS = {"min", "max", "question", "answer", "title", "url", "checked", "topic",
                       "language", "id", "count", "deadline", "site", "month", "days",
                       "command", "description"}
_RULE_KEY = re.compile(r"""["'](rules\.[a-z_]+\.[a-z_.]+)["']""")


def flow_keys(flow: Flow) -> Iterator[tuple[list[str | int], str]]:
    """Every message key a flow names, with where it is in the file."""
    yield ["label"], flow.label
    for intent, opener in flow.openers.items():
        for i, message in enumerate(opener.say):
            yield ["openers", intent, "say", i], message.key
    for name, step in flow.steps.items():
        at: list[str | int] = ["steps", name]
        for i, message in enumerate(step.say):
            yield [*at, "say", i], message.key
        for field in ("ask", "short"):
            value = getattr(step, field)
            if value:
                yield [*at, field], value
        for i, option in enumerate(step.options):
            yield [*at, "options", i], option.label
        for i, link in enumerate(step.buttons):
            yield [*at, "buttons", i], link.label
        for i, link_id in enumerate(step.links):
            yield [*at, "links", i], PREFIX + link_id
        if step.input is not None:
            yield [*at, "input"], step.input.invalid


def link_entries(dialogues: Dialogues) -> dict[str, set[str]]:
    """Steps that buttons of any flow open directly (`goto: flow.step`), by flow."""
    entries: dict[str, set[str]] = {}
    for flow in dialogues.flows.values():
        for step in flow.steps.values():
            for link in step.buttons:
                target_flow, _, target_step = link.goto.partition(".")
                if target_step:
                    entries.setdefault(target_flow, set()).add(target_step)
    return entries


def check_flow_graph(flow: Flow, path: Path, entries: set[str] | None = None
                     ) -> Iterator[DataFileError]:
    # a step opened by a link from another flow is an entry, like the start step
    reachable = {flow.start, *(entries or set())}
    todo = list(reachable)
    while todo:
        for target in flow.steps[todo.pop()].targets():
            if target not in reachable:
                reachable.add(target)
                todo.append(target)
    for name in flow.steps:
        if name not in reachable:
            yield DataFileError(path, line_of(path, ["steps", name]),
                                f"steps.{name}: not reachable from start step '{flow.start}'")
    # from every step, an end (or a jump to another flow) must be reachable
    finishing = {n for n, s in flow.steps.items() if s.end}
    changed = True
    while changed:
        changed = False
        for name, step in flow.steps.items():
            if name not in finishing and any(t in finishing for t in step.targets()):
                finishing.add(name)
                changed = True
    for name in flow.steps:
        if name in reachable and name not in finishing:
            yield DataFileError(path, line_of(path, ["steps", name]),
                                f"steps.{name}: dead end, no way from here leads to an end step")


def check_button_payloads(flow: Flow, path: Path) -> Iterator[DataFileError]:
    """Every button of the flow fits Telegram's 64 bytes of callback data."""
    for name, step in flow.steps.items():
        where = f"{flow.flow}.{name}"
        buttons: list[payloads.Payload] = [payloads.Goto(where), payloads.Sources(where),
                                           payloads.Feedback(flow.flow, up=False)]
        if step.options:
            buttons.append(payloads.Option(where, len(step.options) - 1))
        if step.input is not None:
            buttons.append(payloads.NumberChoice(where, payloads.CHANGE))
        for payload in buttons:
            try:
                payloads.pack(payload)
            except payloads.PayloadTooLong as exc:
                yield DataFileError(path, line_of(path, ["steps", name]), f"steps.{name}: {exc}")
                break


def check_links(flow: Flow, path: Path, known: list[str]) -> Iterator[DataFileError]:
    """Every page a flow's step opens is a link of rules_engine/parameters/links/."""
    for name, step in flow.steps.items():
        for i, link_id in enumerate(step.links):
            if link_id not in known:
                yield DataFileError(path, line_of(path, ["steps", name, "links", i]),
                                    f"steps.{name}.links: unknown link '{link_id}' (no "
                                    f"rules_engine/parameters/links/{link_id}.yml)")


def check_typed_ages(flow: Flow, path: Path, known: Collection[str]
                     ) -> Iterator[DataFileError]:
    """The age a `typed_age` question compares with is a parameter."""
    for name, step in flow.steps.items():
        if step.typed_age is not None and step.typed_age not in known:
            yield DataFileError(path, line_of(path, ["steps", name, "typed_age"]),
                                f"steps.{name}.typed_age: unknown parameter "
                                f"'{step.typed_age}' (rules_engine/parameters/)")


def check_translations(catalog: Catalog, used: dict[str, tuple[Path, int | None]]
                       ) -> Iterator[DataFileError]:
    source = catalog.entries[SOURCE_LANG]
    for key, (path, line) in sorted(used.items()):
        if key not in source:
            yield DataFileError(path, line, f"message key '{key}' is missing in "
                                f"translations/{SOURCE_LANG}/")
    for lang in catalog.languages():
        if lang == SOURCE_LANG:
            continue
        for key, entry in catalog.entries[lang].items():
            path = Path(entry.file)
            if key not in source:
                yield DataFileError(path, line_of(path, [key]),
                                    f"{key}: no such key in the French source")
                continue
            expected, found = placeholders(source[key].text), placeholders(entry.text)
            if expected != found:
                yield DataFileError(path, line_of(path, [key]),
                                    f"{key}: placeholders {sorted(found)} differ from French "
                                    f"{sorted(expected)}")


def check_placeholder_values(catalog: Catalog, dialogues: Dialogues) -> Iterator[DataFileError]:
    """A placeholder no one fills would show its braces to the user."""
    known = set(PUBLIC_NAMES) | ENGINE_PLACEHOLDERS | NUMBER_PLACEHOLDERS | checklist.PLACEHOLDERS
    known |= {s.slot for f in dialogues.flows.values() for s in f.steps.values() if s.slot}
    known |= {k for f in dialogues.flows.values() for s in f.steps.values()
              for o in s.options for k in o.set}
    known |= {k for f in dialogues.flows.values() for s in f.steps.values() for k in s.set}
    known |= {p for f in dialogues.flows.values() for s in f.steps.values()
              for m in s.say for p in m.params}
    known |= {a for f in dialogues.flows.values() for s in f.steps.values() if s.rule
              for a in RULE_ANSWERS.get(s.rule, ())}
    for key, entry in catalog.entries[SOURCE_LANG].items():
        if key.startswith("rules."):
            continue  # filled by the rule's own reason parameters
        unknown = placeholders(entry.text) - known
        if unknown:
            path = Path(entry.file)
            yield DataFileError(path, line_of(path, [key]),
                                f"{key}: no value is ever given for {sorted(unknown)}")


def used_keys(dialogues: Dialogues) -> dict[str, tuple[Path, int | None]]:
    used: dict[str, tuple[Path, int | None]] = {}
    for name, flow in dialogues.flows.items():
        path = dialogues.files[name]
        for loc, key in flow_keys(flow):
            used.setdefault(key, (path, None))
            if used[key][1] is None and used[key][0] == path:
                used[key] = (path, line_of(path, loc))
    engine_file = Path(__file__).with_name("engine.py")
    for key in ENGINE_KEYS:
        used.setdefault(key, (engine_file, None))
    for key in NUMBER_KEYS:
        used.setdefault(key, (Path(__file__).with_name("numbers.py"), None))
    for key in SLOT_KEYS:
        used.setdefault(key, (engine_file, None))
    for key in checklist.KEYS:
        used.setdefault(key, (Path(checklist.__file__), None))
    # what each slash command does (/help, Telegram's command menu); the shell's notes
    config_file = paths.dialogues_dir() / GLOBAL_FILE
    for name in dialogues.config.commands:
        used.setdefault(f"commands.{name}", (config_file, line_of(config_file, ["commands"])))
    for said, note in dialogues.config.shell_notes.items():
        for key in (said, note):
            used.setdefault(key, (config_file, line_of(config_file, ["shell_notes", said])))
    for key in FEEDBACK_KEYS:
        used.setdefault(key, (Path(__file__).with_name("feedback.py"), None))
    for rule_file in sorted((paths.ROOT / "rules_engine").glob("*.py")):
        for number, text in enumerate(rule_file.read_text(encoding="utf-8").splitlines(), 1):
            for key in _RULE_KEY.findall(text):
                used.setdefault(key, (rule_file, number))
    return used


def check_intents(dialogues: Dialogues) -> Iterator[DataFileError]:
    handled = set(dialogues.by_intent) | set(dialogues.config.contextual_intents)
    handled.add(dialogues.config.language_intent)
    handled.add(DISTRESS_INTENT)  # answered by the core itself (bot/distress.py)
    seen: set[str] = set()
    for example in read_training_data(paths.nlu_data_dir()):
        if example.intent not in handled and example.intent not in seen:
            seen.add(example.intent)
            yield DataFileError(example.file, None, f"intent '{example.intent}' is handled "
                                "by no flow (add it to a flow's `intents`)")


def check_config_flows(dialogues: Dialogues) -> Iterator[DataFileError]:
    """The flows _global.yml names exist (a typo would ask "Was this useful?" after a
    menu)."""
    path = paths.dialogues_dir() / GLOBAL_FILE
    for field in ("small_talk", "no_feedback"):
        for index, name in enumerate(getattr(dialogues.config, field)):
            if name not in dialogues.flows:
                yield DataFileError(path, line_of(path, [field, index]),
                                    f"{field}: unknown flow '{name}'")


def check_option_intents(dialogues: Dialogues) -> Iterator[DataFileError]:
    """An option's `intent` must be one the core presses options for, or a typo would make
    typed answers silently fall through to the language model."""
    known = {*dialogues.config.contextual_intents, DONT_KNOW_INTENT}
    for name, flow in dialogues.flows.items():
        path = dialogues.files[name]
        for step_name, step in flow.steps.items():
            for index, option in enumerate(step.options):
                if option.intent is not None and option.intent not in known:
                    yield DataFileError(
                        path, line_of(path, ["steps", step_name, "options", index]),
                        f"steps.{step_name}.options.{index}: intent '{option.intent}' is none "
                        f"of {sorted(known)}")


# the per-language files of nlu_data/, each with the reader that checks it (schema, every
# language of translations/languages.yml, errors with file and line)
LANGUAGE_FILES: tuple[tuple[str, Callable[[Path, list[str]], object]], ...] = (
    ("dont_know.yml", read_dont_know),  # the typed "I don't know"
    ("yes_no.yml", read_yes_no),  # a bare typed yes or no
    ("courtesy.yml", read_courtesy),  # greetings and thanks around a question
    ("units.yml", read_units),  # unit words typed after numbers
    ("slots.yml", read_slots),  # what a message already says (bot/slots.py)
    (PRIVACY_FILE, read_password_words),  # the words that tell a message gives a password
    ("distress.yml", read_distress),  # the phrases of a person in distress
    (LOOKALIKES, read_lookalikes),  # ordinary messages that look like distress
)


def check_language_files() -> Iterator[DataFileError]:
    """Every per-language file of nlu_data/ (LANGUAGE_FILES)."""
    languages = declared(paths.translations_dir())
    for name, read in LANGUAGE_FILES:
        try:
            read(paths.nlu_data_dir() / name, languages)
        except DataFileError as exc:
            yield exc


def check_yaml_files() -> Iterator[DataFileError]:
    folders = [paths.stories_dir(), paths.ROOT / "tests" / "rules_engine" / "cases"]
    for folder in folders:
        for path in sorted(folder.glob("**/*.yml")):
            try:
                load_yaml(path)
            except DataFileError as exc:
                yield exc


def lint() -> list[DataFileError]:
    errors: list[DataFileError] = list(check_parameters())
    errors += check_yaml_files()
    errors += check_language_files()
    try:
        dialogues = load_dialogues(paths.dialogues_dir())
        catalog = load_catalog(paths.translations_dir())
    except DataFileError as exc:
        return [*errors, exc]
    entries = link_entries(dialogues)
    known_links: list[str] | None
    known_parameters: Collection[str] | None
    try:
        known_links, known_parameters = link_ids(), default_store().parameters.keys()
    except DataFileError:
        known_links = known_parameters = None  # a broken parameter file, reported above
    for name, flow in dialogues.flows.items():
        errors += check_flow_graph(flow, dialogues.files[name], entries.get(name))
        errors += check_button_payloads(flow, dialogues.files[name])
        if known_links is not None and known_parameters is not None:
            errors += check_links(flow, dialogues.files[name], known_links)
            errors += check_typed_ages(flow, dialogues.files[name], known_parameters)
    errors += check_translations(catalog, used_keys(dialogues))
    errors += check_placeholder_values(catalog, dialogues)
    errors += check_plurals(catalog)
    for read in (read_glossary, read_limits):
        try:
            read(paths.translations_dir())
        except DataFileError as exc:
            errors.append(exc)
    errors += check_missing(catalog)
    errors += check_option_intents(dialogues)
    errors += check_config_flows(dialogues)
    slots_file = paths.nlu_data_dir() / "slots.yml"
    try:
        errors += check_cues(dialogues, read_slots(slots_file, declared(paths.translations_dir())),
                             slots_file)
    except DataFileError as exc:
        errors.append(exc)
    try:
        errors += check_synonyms(read_synonyms(paths.translations_dir()), catalog, dialogues,
                                 read_negations(paths.nlu_data_dir() / "negations.yml"),
                                 public_parameters(today_in_paris()))
    except DataFileError as exc:
        errors.append(exc)
    try:
        errors += check_intents(dialogues)
    except DataFileError as exc:
        errors.append(exc)
    return errors


def glossary_lint() -> list[str]:
    """Warnings where a translation does not use the glossary's word (none if the
    translations cannot be read: lint reports that as an error)."""
    try:
        root = paths.translations_dir()
        return list(glossary_warnings(load_catalog(root), read_glossary(root), root))
    except DataFileError:
        return []


def run_lint(today: date | None = None) -> int:
    """Errors fail; stale facts (see bot/sources_report.py) are warnings that do not."""
    errors = lint()
    root = str(paths.ROOT) + "/"
    for error in errors:
        print(str(error).removeprefix(root), file=sys.stderr)
    try:
        months = stale_months()
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    warnings = lint_warnings(today or today_in_paris(), months)
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if warnings:
        print(f"{len(warnings)} fact(s) to read again (guide sources --stale)", file=sys.stderr)
    words = glossary_lint()
    for warning in words:
        print(f"warning: {warning.replace(root, '')}", file=sys.stderr)
    if words:
        print(f"{len(words)} translation(s) not using the glossary's word "
              "(translations/glossary.yml)", file=sys.stderr)
    if errors:
        print(f"{len(errors)} problem(s) found", file=sys.stderr)
        return 1
    print("all data files are valid")
    return 0
