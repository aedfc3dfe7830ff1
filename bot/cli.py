"""The `guide` command."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from bot.logs import without_text
from rules_engine.yamlfile import DataFileError

if TYPE_CHECKING:
    from bot.i18n import Catalog
    from bot.nlu.data import Example
    from bot.nlu.evaluate import Scored
    from bot.nlu.rasa import RasaNlu


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="guide", description="France Travail guide for refugees")
    commands = parser.add_subparsers(dest="command", required=True)

    shell = commands.add_parser("shell", help="chat with the guide in the terminal")
    shell.add_argument("--lang", help="language code, e.g. fr or en")
    shell.add_argument("--json", action="store_true", help="one JSON object per input")
    shell.add_argument("--date", metavar="YYYY-MM-DD",
                       help="answer as on that day (default: today in Paris)")

    nlu = commands.add_parser("nlu", help="the intent classifier")
    nlu_commands = nlu.add_subparsers(dest="nlu_command", required=True)
    nlu_commands.add_parser("train", help="train (or reuse) the embedded model")
    evaluate = nlu_commands.add_parser("evaluate", help="score on held-back examples")
    evaluate.add_argument("files", nargs="+", type=Path)
    evaluate.add_argument("--backend", choices=["embedded", "rasa"], default="embedded",
                          help="embedded classifier, or a Rasa server (bash scripts/rasa.sh up)")
    evaluate.add_argument("--rasa-url", default=None, metavar="URL",
                          help="Rasa server for --backend rasa "
                               "(default: $GUIDE_RASA_URL or http://127.0.0.1:5005)")
    evaluate.add_argument("--json", action="store_true")

    commands.add_parser("lint", help="check every data file")
    sources = commands.add_parser("sources", help="every source and what relies on it")
    sources.add_argument("--stale", action="store_true",
                         help="only the facts last checked too long ago, with file:line")
    sources.add_argument("--date", metavar="YYYY-MM-DD",
                         help="the day to judge from (default: today in Paris)")
    sources.add_argument("--months", type=int, metavar="N",
                         help="stale after N months (default: $GUIDE_STALE_MONTHS or 6)")
    stats = commands.add_parser("stats", help="usage counts: topics, feedback, messages not "
                                "understood, where people leave a flow")
    stats.add_argument("--days", type=int, default=30, metavar="N",
                       help="the last N days (default: 30)")
    stats.add_argument("--date", metavar="YYYY-MM-DD",
                       help="the last day counted (default: today in Paris)")
    stats.add_argument("--state-url", metavar="URL",
                       help="the bot's state database (default: $GUIDE_STATE_URL or "
                            "sqlite:///<repo>/data/state.db)")
    commands.add_parser("telegram", help="run the Telegram bot (polling); settings from the "
                        "environment, see the README")
    commands.add_parser("webhook", help="run the Telegram bot behind a webhook (production); "
                        "settings from the environment, see the README")

    stories = commands.add_parser("stories", help="run the conversation tests")
    stories.add_argument("files", nargs="*", type=Path)

    translations = commands.add_parser("translations", help="translators' tools")
    tr = translations.add_subparsers(dest="tr_command", required=True)
    tr_status = tr.add_parser("status", help="translated, missing, to review, unsure; "
                              "with --list, the keys in that state and where to edit them")
    tr_status.add_argument("lang", nargs="?", help="one language (default: all)")
    tr_status.add_argument("--list", metavar="STATE", dest="list_state",
                           choices=["translated", "missing", "to_review", "to-review", "unsure"],
                           help="list the keys: missing, to_review, unsure or translated")
    tr_status.add_argument("--json", action="store_true")
    tr.add_parser("sync", help="add missing keys to every language, French as a comment")
    tr_stamp = tr.add_parser("stamp", help="mark as translating the current French: entries "
                             "edited since the last commit, or the keys named")
    tr_stamp.add_argument("lang")
    tr_stamp.add_argument("keys", nargs="*", metavar="KEY")
    tr_export = tr.add_parser("export", help="write a gettext PO file for a language")
    tr_export.add_argument("lang")
    tr_export.add_argument("-o", "--output", type=Path)
    tr_import = tr.add_parser("import", help="read a translated PO file back")
    tr_import.add_argument("lang")
    tr_import.add_argument("file", type=Path)

    diagram = commands.add_parser("diagram", help="a Mermaid diagram of a flow")
    diagram.add_argument("flow", nargs="?", help="flow name (all when left out)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    without_text()  # whatever a library logs, never a user's words nor the token
    try:
        return _run(args)
    except DataFileError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `guide … | head`: the reader left, nothing is wrong
        sys.stderr.close()
        return 0


def _day(text: str | None) -> date | None:
    """The `--date` option; a ValueError names the expected form."""
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"--date must be a day written YYYY-MM-DD, e.g. 2026-02-16 "
                         f"(got {text!r})") from None


def _run(args: argparse.Namespace) -> int:
    if args.command == "shell":
        try:
            day = _day(args.date)
        except ValueError as exc:  # before loading anything: the mistake is the user's
            print(f"error: {exc}", file=sys.stderr)
            return 2
        from bot.app import build_conversation
        from bot.channels.shell import run_shell
        from bot.settings import SettingsError, load_nlu_backend

        try:
            rasa_url = load_nlu_backend().rasa_url()
        except SettingsError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        conversation = build_conversation(today=None if day is None else (lambda: day),
                                          rasa_url=rasa_url)
        return asyncio.run(run_shell(conversation, args.lang, args.json, on=day))
    if args.command == "sources":
        return _sources(args)
    if args.command == "nlu":
        return _nlu(args)
    if args.command == "stats":
        return _stats(args)
    if args.command == "lint":
        from bot.lint import run_lint

        return run_lint()
    if args.command == "stories":
        from bot.stories import run_stories_cli

        return run_stories_cli(args.files)
    if args.command == "telegram":
        from bot.channels.telegram_main import run_polling

        return run_polling()
    if args.command == "webhook":
        from bot.channels.telegram_webhook import run_webhook

        return run_webhook()
    if args.command == "translations":
        return _translations(args)
    if args.command == "diagram":
        from bot.diagram import print_diagrams

        return print_diagrams(args.flow)
    return 2


def _sources(args: argparse.Namespace) -> int:
    from bot.sources_report import run_sources, stale_months
    from rules_engine.parameters import today_in_paris

    try:
        day = _day(args.date) or today_in_paris()
        months = stale_months() if args.months is None else args.months
        if months < 1:
            raise ValueError(f"--months must be 1 or more (got {months})")
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return run_sources(args.stale, day, months)


def _stats(args: argparse.Namespace) -> int:
    from bot.stats import default_state_url, run_stats
    from rules_engine.parameters import today_in_paris

    try:
        day = _day(args.date) or today_in_paris()
        if args.days < 1:
            raise ValueError(f"--days must be 1 or more (got {args.days})")
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return run_stats(args.days, day, args.state_url or default_state_url())


def _nlu(args: argparse.Namespace) -> int:
    from bot.app import load_nlu

    if args.nlu_command == "train":
        model = load_nlu()
        print(f"model ready: {len(model.labels)} intents")
        return 0
    from bot.nlu.data import read_examples
    from bot.nlu.evaluate import format_report, report, score

    scored: list[Scored]
    if args.backend == "rasa":
        from bot import paths
        from bot.nlu.embedded import NluSettings
        from bot.nlu.rasa import RasaNlu, RasaUnavailable
        from rules_engine.yamlfile import load_model

        # the bot's own thresholds apply to whichever backend answers
        settings = load_model(NluSettings, paths.nlu_data_dir() / "config.yml")
        examples = [ex for path in args.files for ex in read_examples(path, path.stem)]
        try:
            rasa = RasaNlu(args.rasa_url)  # no fallback: a server failure stops the evaluation
        except ValueError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        try:
            scored = asyncio.run(_score_rasa(rasa, examples, settings.threshold))
        except RasaUnavailable as exc:
            print(f"error: {exc} (start it with: bash scripts/rasa.sh up)", file=sys.stderr)
            return 1
    else:
        model = load_nlu()
        examples = [ex for path in args.files for ex in read_examples(path, path.stem)]
        scored = asyncio.run(score(model, examples, model.settings.threshold))
    result = report(scored)
    print(json.dumps(result, ensure_ascii=False, indent=1) if args.json else format_report(result))
    return 0


def _list_keys(catalog: Catalog, languages: list[str], state: str, as_json: bool) -> int:
    from bot import paths
    from bot.i18n import SOURCE_LANG
    from bot.translations_state import list_keys

    root = str(paths.ROOT) + "/"
    rows = [(lang, item) for lang in languages if lang != SOURCE_LANG
            for item in list_keys(catalog, lang, state)]
    if as_json:
        print(json.dumps([{"lang": lang, "key": i.key, "file": str(i.path).removeprefix(root),
                           "line": i.line, "states": i.states} for lang, i in rows],
                         ensure_ascii=False, indent=1))
        return 0
    for _, item in rows:
        where = str(item.path).removeprefix(root) + (f":{item.line}" if item.line else "")
        print(f"{where}: {item.key} ({', '.join(item.states)})")
    print(f"{len(rows)} key(s) {state.replace('_', ' ')}", file=sys.stderr)
    return 0


async def _score_rasa(rasa: RasaNlu, examples: list[Example], threshold: float) -> list[Scored]:
    from bot.nlu.evaluate import score

    async with rasa:
        model = await rasa.check()
        print(f"Rasa NLU at {rasa.url}, model {model}", file=sys.stderr)
        return await score(rasa, examples, threshold)


def _translations(args: argparse.Namespace) -> int:
    from bot import paths
    from bot.i18n import load_catalog
    from bot.languages import declared_languages
    from bot.translations_tool import (
        export_po,
        format_status,
        import_po,
        stamp,
        status,
        sync,
    )

    root = paths.translations_dir()
    languages = declared_languages()
    if args.tr_command in ("status", "stamp") and getattr(args, "lang", None) is not None \
            and args.lang not in languages:
        print(f"error: unknown language '{args.lang}' (translations/languages.yml: "
              f"{', '.join(languages)})", file=sys.stderr)
        return 2
    if args.tr_command == "status":
        catalog = load_catalog(root)
        chosen = [args.lang] if args.lang else languages
        if args.list_state:
            return _list_keys(catalog, chosen, args.list_state.replace("-", "_"), args.json)
        rows = status(catalog, chosen)
        if args.json:
            print(json.dumps([r.as_dict() for r in rows], indent=1))
        else:
            print(format_status(rows))
        return 0
    if args.tr_command == "sync":
        for lang, count in sync(root, languages).items():
            print(f"{lang}: {count} key(s) added")
        return 0
    if args.tr_command == "stamp":
        stamped = stamp(root, args.lang, args.keys or None)
        for line in stamped.lines(args.lang):
            print(line)
        return 1 if stamped.refused else 0
    if args.tr_command == "export":
        text = export_po(root, args.lang)
        if args.output:
            args.output.write_text(text, encoding="utf-8")
        else:
            print(text, end="")
        return 0
    if args.tr_command == "import":
        report = import_po(root, args.lang, args.file.read_text(encoding="utf-8"),
                           str(args.file))
        for line in report.lines():
            print(line)
        return 1 if report.refused else 0
    return 2
