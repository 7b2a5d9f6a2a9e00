"""Interface text that quotes Japanese examples of what to type ("For example 令和8年4月1日").

The example stays Japanese on English pages, since that is what people type, and is marked
``lang="ja"`` there so that screen readers read it in a Japanese voice.
"""

from __future__ import annotations

from django.utils.functional import Promise, lazy
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from machi.core.templatetags.content import ja


def with_examples(message: str | Promise, **examples: str) -> SafeString:
    """``message`` (with ``%(name)s`` placeholders) escaped, its examples marked by ``ja``."""
    shown = {name: ja(example) for name, example in examples.items()}
    return mark_safe(conditional_escape(str(message)) % shown)  # noqa: S308 - all of it is escaped


#: For texts set at import time (form help texts): built when shown, in the page's language.
with_examples_lazy = lazy(with_examples, SafeString)
