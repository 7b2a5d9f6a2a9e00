"""Japanese text an English page shows outside ``lang="ja"``, for tests without a browser.

The same rule as the crawler's English walk (machi.testing.crawler): Japanese in text and
in the attributes a screen reader reads out must sit inside an element marked
``lang="ja"`` (content staff or residents wrote), unless it is English that glosses a term
in brackets, "received (受付済)". A page title passes when the page shows its text marked
(or when it is such a gloss).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_JAPANESE = re.compile(r"[\u3041-\u3096\u30a1-\u30fa\u3400-\u9fff\uff66-\uff9d]")
_BRACKETED = re.compile(r"[（(「『][^）)」』]*[）)」』]")
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}
_SKIPPED = {"script", "style", "template", "noscript"}
_READ_OUT = ("aria-label", "placeholder", "title", "alt")


def _gloss(text: str) -> bool:
    return bool(re.search("[A-Za-z]", text)) and not _JAPANESE.search(_BRACKETED.sub("", text))


class _Finder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str]] = []  # (tag, the language in force)
        self.found: list[str] = []
        self.marked_texts: list[str] = []
        self._marked_open: list[tuple[int, list[str]]] = []  # (depth, text parts)
        self.title = ""

    def _language(self) -> str:
        return self.stack[-1][1] if self.stack else ""

    def _in(self, tags: set[str]) -> bool:
        return any(tag in tags for tag, _ in self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        language = values.get("lang", self._language())
        if not language.startswith("ja"):
            for name in _READ_OUT:
                value = values.get(name, "")
                if _JAPANESE.search(value) and not _gloss(value):
                    self.found.append(f"<{tag}>[{name}] {value}")
        if tag in _VOID:
            return
        self.stack.append((tag, language))
        if "lang" in values and language.startswith("ja") and tag != "html":
            self._marked_open.append((len(self.stack), []))

    def handle_endtag(self, tag: str) -> None:
        if not any(open_tag == tag for open_tag, _ in self.stack):
            return
        while self.stack:
            depth = len(self.stack)
            if self._marked_open and self._marked_open[-1][0] == depth:
                _, parts = self._marked_open.pop()
                self.marked_texts.append("".join(parts).strip())
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        for _, parts in self._marked_open:
            parts.append(data)
        if self._in({"title"}):
            self.title += data
            return
        if self._in(_SKIPPED) or not _JAPANESE.search(data) or _gloss(data):
            return
        if not self._language().startswith("ja"):
            self.found.append(data.strip())


def unmarked_japanese(html: str, *, within: str = "main", title: bool = True) -> list[str]:
    """Japanese text in ``html`` (only inside the first ``<within>`` element, and the
    title unless ``title`` is false) that is neither marked ``lang="ja"`` nor a gloss."""
    start = html.find(f"<{within}")
    end = html.find(f"</{within}>", start)
    finder = _Finder()
    finder.feed(html[start : end + len(within) + 3] if start >= 0 and end >= 0 else html)
    finder.close()
    head = _Finder()
    head.feed(html[: html.find("</title>") + 8] if title and "</title>" in html else "")
    shown = set(finder.marked_texts)
    problems = [
        f"<title> {part}"
        for part in head.title.split(" | ")
        if _JAPANESE.search(part) and not _gloss(part) and part.strip() not in shown
    ]
    return problems + finder.found
