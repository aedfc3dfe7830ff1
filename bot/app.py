"""Assemble the conversation core from the data files: one place that knows the paths."""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Callable
from datetime import date
from typing import Any

from bot import paths
from bot.conversation import Conversation, Store, Thresholds
from bot.courtesy import read_courtesy
from bot.days_said import warm_up
from bot.dialogue.loader import load_dialogues
from bot.distress import Distress, read_distress
from bot.distress_model import load_or_train as load_distress_model
from bot.dont_know import read_dont_know
from bot.engine import Engine
from bot.i18n import declared, load_catalog
from bot.nlu.data import read_negations
from bot.nlu.embedded import EmbeddedNlu, load_or_train
from bot.nlu.rasa import RasaNlu
from bot.nlu.types import NluBackend
from bot.numbers import read_units
from bot.slots import read_slots
from bot.state import KEPT_DAYS, MemoryStore
from bot.synonyms import read_synonyms
from bot.usage import NoUsage, UsageSink
from bot.yes_no import read_yes_no
from rules_engine.parameters import source_info, today_in_paris
from rules_engine.registry import RULES


def progress_to_stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def load_nlu(progress: Callable[[str], Any] | None = progress_to_stderr) -> EmbeddedNlu:
    return load_or_train(paths.nlu_data_dir(), paths.cache_dir(), progress)


def load_distress(threshold: float) -> Distress:
    """The phrase lists of nlu_data/distress.yml with the binary model behind them."""
    lists = read_distress(paths.nlu_data_dir() / "distress.yml", declared(paths.translations_dir()))
    if threshold > 1:
        return lists
    model = load_distress_model(paths.nlu_data_dir(), paths.cache_dir(), threshold)
    return dataclasses.replace(lists, model=model.says_distress)


def build_conversation(
    store: Store | None = None,
    nlu: EmbeddedNlu | None = None,
    today: Callable[[], date] | None = None,
    default_lang: str = "fr",
    rasa_url: str | None = None,
    usage: UsageSink | None = None,
    kept_days: int = KEPT_DAYS,
) -> Conversation:
    """The conversation core with the project's data; raises DataFileError on a bad file.

    With `rasa_url`, intents come from that Rasa server, the embedded model answering
    whenever the server cannot (and still detecting languages). `usage`: where the usage
    counts go (the state database; nowhere by default). `kept_days`: how long the bot
    keeps a user's state after their last message, as /privacy says.
    """
    catalog = load_catalog(paths.translations_dir(), skip_broken=True)
    dialogues = load_dialogues(paths.dialogues_dir())
    model = nlu or load_nlu()
    engine = Engine(dialogues, RULES, source_info)
    backend: NluBackend = model if rasa_url is None else RasaNlu(rasa_url, fallback=model)
    languages = declared(paths.translations_dir())
    negations = read_negations(paths.nlu_data_dir() / "negations.yml")
    units = read_units(paths.nlu_data_dir() / "units.yml", languages)
    warm_up(tuple(languages))
    return Conversation(
        catalog=catalog,
        dialogues=dialogues,
        engine=engine,
        nlu=backend,
        store=store or MemoryStore(),
        thresholds=Thresholds(act=model.settings.threshold, guess=model.settings.floor,
                              distress=model.settings.distress,
                              distress_veto=model.settings.distress_veto),
        default_lang=default_lang,
        today=today or (lambda: today_in_paris()),
        detector=model.detector,
        negations=negations,
        dont_know=read_dont_know(paths.nlu_data_dir() / "dont_know.yml",
                                 declared(paths.translations_dir())),
        units=units,
        slots=read_slots(paths.nlu_data_dir() / "slots.yml", languages, units, negations),
        distress=load_distress(model.settings.distress_model),
        courtesy=read_courtesy(paths.nlu_data_dir() / "courtesy.yml",
                               declared(paths.translations_dir())),
        yes_no=read_yes_no(paths.nlu_data_dir() / "yes_no.yml",
                           declared(paths.translations_dir())),
        synonyms=read_synonyms(paths.translations_dir(), skip_broken=True),
        usage=usage or NoUsage(),
        kept_days=kept_days,
    )
