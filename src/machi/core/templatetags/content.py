"""Mark what staff and residents wrote with its language, for English pages.

An English page shows Japanese that staff or residents wrote (a FAQ answer, a dataset's
description, a department's name, a resident's address) as it was written. Screen
readers need to know it is Japanese (WCAG 2.2, 3.1.2 Language of Parts), and the
crawler tells it apart from interface text left untranslated by that mark:

- ``<td{% lang_of value %}>{{ value }}</td>`` adds ``lang="ja"`` to an element whose
  text is Japanese content (also ``<option>``, ``<h1>``, ``<img>`` for its ``alt``);
- ``{{ value|ja }}`` wraps a value inside running text in ``<span lang="ja">``;
- ``{{ value|marked }}`` and ``{% lang_unless_gloss value %}`` do the same for a text that
  may be English glossing a Japanese term in brackets, "Dog registration (犬の登録)",
  marking only the bracketed part (or, on an element, nothing).

On Japanese pages both add nothing: the page is already ``lang="ja"``. Built in (the
``builtins`` of the template settings), so templates need no ``{% load %}``.
"""

from __future__ import annotations

import re

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from machi.core.localized import localized as localized_text

register = template.Library()

# Kana and kanji; punctuation alone (・, ー) does not make a text Japanese.
_JAPANESE = re.compile(r"[\u3041-\u3096\u30a1-\u30fa\u3400-\u9fff\uff66-\uff9d]")


def needs_mark(value: object) -> bool:
    """Whether ``value`` is Japanese shown on a page in another language."""
    language = get_language() or "ja"
    return not language.startswith("ja") and bool(_JAPANESE.search(str(value)))


@register.simple_tag
def lang_of(*values: object) -> SafeString:
    """`` lang="ja"`` when any of ``values`` is Japanese on a page in another language."""
    if any(needs_mark(value) for value in values):
        return mark_safe(' lang="ja"')
    return mark_safe("")


@register.filter(is_safe=True)
def ja(value: object) -> SafeString:
    """``value`` escaped, in ``<span lang="ja">`` when it is Japanese on another language's page."""
    text = value if isinstance(value, str) else str(value)
    if needs_mark(text):
        return format_html('<span lang="ja">{}</span>', text)
    return conditional_escape(text)


@register.simple_tag
def localized(obj: object, name: str) -> str:
    """``obj.<name>_en`` on English pages when it is filled in, else ``obj.<name>``; mark
    the element with ``{% lang_of %}`` for the Japanese fallback."""
    return localized_text(obj, name, get_language() or "ja")


# A part in brackets: the 和暦 of a date, or a Japanese term an English text glosses.
_BRACKETED = re.compile(r"([（(])([^（()）]*)([）)])")


def _japanese_only_in_brackets(text: str) -> bool:
    return needs_mark(text) and not needs_mark(_BRACKETED.sub("", text))


@register.filter(is_safe=True)
def marked(value: object) -> SafeString:
    """Content as shown (a title that may be the Japanese fallback of an English one, an
    answer, a date), escaped, with its Japanese marked ``lang="ja"`` on pages in another
    language: in "2026-11-30 (令和8年11月30日)" or "Dog registration (犬の登録)" only the
    bracketed Japanese, in any other text all of it (as ``ja`` does)."""
    text = str(value)
    if not _japanese_only_in_brackets(text):
        return ja(text)
    parts = []
    for piece in _BRACKETED.split(text):
        parts.append(
            format_html('<span lang="ja">{}</span>', piece)
            if needs_mark(piece)
            else conditional_escape(piece)
        )
    return mark_safe("".join(parts))  # noqa: S308 - every piece is escaped


@register.simple_tag
def lang_unless_gloss(value: object) -> SafeString:
    """`` lang="ja"`` as ``lang_of`` adds it, but not for English that glosses a Japanese
    term in brackets, "Dog registration (犬の登録)": for elements that cannot hold a
    ``marked`` span, such as ``<option>``."""
    text = str(value)
    if _japanese_only_in_brackets(text) and re.search("[A-Za-z]", text):
        return mark_safe("")
    return lang_of(text)
