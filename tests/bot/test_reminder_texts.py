"""The monthly-update reminders state the deadline as France Travail does: the closing day
is included, until midnight ("au plus tard le 15", not "avant le 15")."""

from __future__ import annotations

from bot import paths
from bot.i18n import load_catalog


def test_reminders_say_at_the_latest_on_the_deadline() -> None:
    french = load_catalog(paths.translations_dir()).entries["fr"]
    for key in ("reminders.monthly_open", "reminders.monthly_soon"):
        text = french[key].text
        assert "au plus tard le {deadline}" in text, key
        assert "avant le {deadline}" not in text, key
        assert "minuit" in text, key
