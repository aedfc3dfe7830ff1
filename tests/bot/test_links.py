"""Link buttons: the page each opens (rules_engine/parameters/links/), in the user's
language, and how a volunteer sees them in the shell."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.channels.shell import render_json, render_plain
from bot.conversation import Result
from bot.i18n import load_catalog
from bot.links import PREFIX, find_link, link_ids
from bot.lint import lint
from bot.messages import Button, Reply
from bot.paths import translations_dir

DAY = date(2026, 12, 4)


def test_a_button_has_data_or_an_address_never_both_nor_neither() -> None:
    Button("Menu", data="c:menu")
    Button("Site", url="https://francetravail.fr")
    with pytest.raises(ValueError):
        Button("Both", data="c:menu", url="https://francetravail.fr")
    with pytest.raises(ValueError):
        Button("Neither")


def test_a_page_opens_in_the_users_language_and_no_button_where_it_has_none() -> None:
    french = find_link("refugies_info_register", "fr", DAY)
    english = find_link("refugies_info_register", "en", DAY)
    assert french is not None and "/fr/" in french.url
    assert english is not None and "/en/" in english.url
    # the Arabic page was not seen in Arabic: no button rather than a page they cannot read
    assert find_link("refugies_info_register", "ar", DAY) is None
    # France Travail's pages are one address for everyone
    assert find_link("login", "ar", DAY) == find_link("login", "fr", DAY)
    assert find_link("nowhere", "fr", DAY) is None


def test_every_link_has_https_addresses_and_a_label_in_every_language() -> None:
    catalog = load_catalog(translations_dir())
    ids = link_ids()
    assert {"register", "login", "monthly_update", "refugies_info_register"} <= set(ids)
    for link_id in ids:
        for lang in catalog.languages():
            assert catalog.has(PREFIX + link_id, lang), (link_id, lang)
            found = find_link(link_id, lang, DAY)
            assert found is None or found.url.startswith("https://")


def test_the_shell_shows_a_link_with_its_address_and_numbers_only_what_can_be_pressed(
        ) -> None:
    result = Result([Reply("Voilà.", [Button("🌐 S'inscrire", url="https://example.org/x"),
                                      Button("📄 Papiers", data="g:documents"),
                                      Button("🏠 Menu", data="c:menu")])])
    lines = render_plain(result).splitlines()
    assert lines[1:4] == ["  🌐 S'inscrire → https://example.org/x", "  [1] 📄 Papiers",
                          "  [2] 🏠 Menu"]
    buttons = render_json(result, "fr")
    assert '{"label": "🌐 S\'inscrire", "url": "https://example.org/x"}' in buttons


def test_lint_names_a_link_no_data_file_defines(project: Path) -> None:
    flow = project / "dialogues" / "contact.yml"
    text = flow.read_text(encoding="utf-8")
    assert "links: [login]" in text
    flow.write_text(text.replace("links: [login]", "links: [login, agency_finder]"),
                    encoding="utf-8")
    found = [str(e).replace(str(project) + "/", "") for e in lint()]
    assert any(m.startswith("dialogues/contact.yml:") and "unknown link 'agency_finder'" in m
               for m in found), found
