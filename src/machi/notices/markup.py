"""Notice text: a Markdown subset, rendered safely.

Staff type paragraphs, lists, headings, links, **bold** and *emphasis*; raw HTML is
shown as text, never run, and images come as attachments (each with its alt text), not
inline. markdown-it-py (CommonMark) parses; its link check already refuses
``javascript:``, ``vbscript:``, ``file:`` and ``data:`` addresses. Headings move one level
down, so the notice's title stays the page's only <h1>.
"""

from __future__ import annotations

from functools import lru_cache

from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "linkify": False}).disable(
        ["image", "html_block", "html_inline"]
    )


def render(text: str) -> SafeString:
    md = _parser()
    tokens = md.parse(text)
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(int(token.tag[1]) + 1, 6)}"
        if token.type == "link_open" and str(token.attrGet("href") or "").startswith("http"):
            token.attrSet("rel", "noopener")
    return mark_safe(md.renderer.render(tokens, md.options, {}))  # noqa: S308 (escaped by markdown-it)


def plain(text: str, limit: int = 140) -> str:
    """The text without its marks, cut at ``limit`` characters (lists, feeds, LINE)."""
    md = _parser()
    words = []
    for token in md.parse(text):
        if token.type == "inline":
            words.append("".join(c.content for c in token.children or () if c.type == "text"))
    flat = " ".join(w for w in words if w)
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
