"""Walk a site the way a person browses it: follow every same-site link, submit nothing.

From a start page the crawler follows each link on the site and records what a person
would notice: an error status, a page whose ``<main>`` is empty once htmx has settled,
an axe-core violation, and on English pages Japanese text that is not marked as
Japanese content (``lang="ja"``: what staff or residents wrote, names, addresses), which
is interface text left untranslated or content a screen reader would misread.

A link inside an ``hx-boost`` region is followed by clicking it, because htmx, not the
browser, loads that page and swaps part of it in; any other link is a plain navigation.
Pages of the same kind (see ``Crawl.kind``) are visited at most ``per_kind`` times, so
a list of a thousand cases costs two visits, not a thousand.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urldefrag, urlencode, urlsplit, urlunsplit

from machi.testing.browser import axe_violations

# Links that leave the page a person is on for good, or only download.
_NOT_PAGES = re.compile(r"\.(pdf|csv|xlsx|zip|json|ttl|rdf|jsonld|xml|atom|ics|parquet|png|jpe?g)$")

_LINKS_JS = """() => [...document.querySelectorAll('a[href]')].map(a => {
    const boost = a.closest('[hx-boost]');
    return {
        href: a.href,
        boosted: !!boost && boost.getAttribute('hx-boost') === 'true'
                 && a.getAttribute('hx-boost') !== 'false' && !a.hasAttribute('download')
                 && !a.target,
        download: a.hasAttribute('download'),
    };
})"""

_MARK_LINK_JS = """(url) => {
    const link = [...document.querySelectorAll('a[href]')].find(a => a.href.split('#')[0] === url);
    if (link) link.setAttribute('data-crawl-target', '');
    return !!link;
}"""

_MAIN_TEXT_JS = """() => {
    const main = document.querySelector('main');
    return main === null ? null : main.innerText.trim();
}"""

# Japanese text outside an element marked lang="ja" (see machi.core.templatetags.content),
# in text and in the attributes a screen reader or a tooltip reads out. The page title
# cannot carry a mark: a part of it passes when the page shows that text marked.
_UNTRANSLATED_JS = r"""() => {
    const japanese = /[\u3041-\u3096\u30a1-\u30fa\u3400-\u9fff\uff66-\uff9d]/;
    // An English text that glosses a term in brackets, "received (受付済)", is translated.
    const gloss = (text) => /[A-Za-z]/.test(text)
        && !japanese.test(text.replace(/[（(「『][^）)」』]*[）)」』]/g, ''));
    const marked = (el) => {
        const owner = el.closest('[lang]');
        return owner !== null && owner.getAttribute('lang').startsWith('ja');
    };
    // Where the text is, so the template that renders it can be found.
    const where = (el) => {
        const path = [];
        for (let node = el; node && node !== document.body && path.length < 3;
             node = node.parentElement) {
            const cls = node.classList.length ? '.' + [...node.classList].join('.') : '';
            path.unshift(node.tagName.toLowerCase() + (node.id ? '#' + node.id : cls));
        }
        return path.join(' > ');
    };
    const found = [];
    const shown = new Set([...document.querySelectorAll('[lang^="ja"]')]
        .filter((el) => el !== document.documentElement).map((el) => el.textContent.trim()));
    for (const part of document.title.split(' | ')) {
        if (!japanese.test(part) || gloss(part) || shown.has(part.trim())) continue;
        found.push({where: '<title>', text: part});
    }
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
        const text = walker.currentNode.data;
        const el = walker.currentNode.parentElement;
        if (!el || !japanese.test(text) || gloss(text)) continue;
        if (el.closest('script, style, template, noscript') || marked(el)) continue;
        found.push({where: where(el), text: text});
    }
    for (const el of document.querySelectorAll('[aria-label], [placeholder], [title], img[alt]')) {
        if (marked(el)) continue;
        for (const name of ['aria-label', 'placeholder', 'title', 'alt']) {
            const value = el.getAttribute(name);
            if (value && japanese.test(value) && !gloss(value)) {
                found.push({where: `${where(el)}[${name}]`, text: value});
            }
        }
    }
    return found;
}"""


@dataclass
class Problem:
    url: str
    what: str
    detail: str = ""

    def __str__(self) -> str:
        return f"{self.url}: {self.what} {self.detail}".rstrip()


@dataclass
class Crawl:
    base: str
    per_kind: int = 2
    fanout: int = 6
    english: bool = False
    axe: bool = True
    skip: tuple[str, ...] = ()
    # Pages under these paths are opened and checked; other same-site links are only
    # requested (their status checked), as another role's walk covers them.
    area: tuple[str, ...] = ("/",)
    # The Django admin edits data: nearly every cell is what staff wrote, unmarked.
    english_skip: tuple[str, ...] = ("/admin/",)
    problems: list[Problem] = field(default_factory=list)
    visited: list[str] = field(default_factory=list)
    _kinds: dict[str, int] = field(default_factory=dict)
    _children: dict[str, set[str]] = field(default_factory=dict)
    _console: list[str] = field(default_factory=list)

    def same_site(self, url: str) -> bool:
        return url.startswith(self.base + "/")

    def kind(self, url: str) -> str:
        """One key for the pages that share a template: ids folded, and a path segment
        folded once ``fanout`` different values have been seen at its place (slugs of
        datasets or procedures); filters and search words give the same page."""
        parts = urlsplit(url)
        folded: list[str] = []
        for segment in parts.path.split("/"):
            if re.fullmatch(r"[0-9]+|[0-9a-f-]{16,}|v[0-9]+", segment):
                segment = "#"
            else:
                siblings = self._children.setdefault("/".join(folded), set())
                if segment not in siblings and len(siblings) >= self.fanout:
                    segment = "*"
                siblings.add(segment)
            folded.append(segment)
        return "/".join(folded) + ("?" if parts.query else "")

    def wanted(self, url: str) -> bool:
        path = urlsplit(url).path
        return self.same_site(url) and not any(path.startswith(s) for s in self.skip)

    def run(self, page: Any, start: str) -> list[Problem]:
        # A script or style the page's own CSP refuses is a defect a person may notice.
        # (axe itself adds styles while it measures; those come after the check below.)
        page.on("console", self._note_refusal)
        queue: deque[tuple[str, str, bool]] = deque([(start, "", False)])
        seen = {start}
        while queue:
            url, source, boosted = queue.popleft()
            kind = self.kind(url) + (" boosted" if boosted else "")
            if self._kinds.get(kind, 0) >= (1 if "?" in kind else self.per_kind):
                continue
            self._kinds[kind] = self._kinds.get(kind, 0) + 1
            if not self._visit(page, url, source, boosted, kind):
                continue
            for link in page.evaluate(_LINKS_JS):
                href = _without_state(urldefrag(link["href"])[0])
                if href in seen or not self.wanted(href):
                    continue
                seen.add(href)
                path = urlsplit(href).path
                outside = not any(path.startswith(prefix) for prefix in self.area)
                if link["download"] or outside or _NOT_PAGES.search(path):
                    self._check_status(page, href, url)
                    continue
                queue.append((href, url, bool(link["boosted"])))
        return self.distinct_problems()

    def distinct_problems(self) -> list[Problem]:
        """The same text on every page of a kind is one defect, reported once."""
        seen: set[tuple[str, str, str]] = set()
        distinct = []
        for problem in self.problems:
            key = (self.kind(problem.url), problem.what, problem.detail)
            if key not in seen:
                seen.add(key)
                distinct.append(problem)
        return distinct

    def _note_refusal(self, message: Any) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            self._console.append(message.text[:200])

    def _check_status(self, page: Any, url: str, source: str) -> None:
        response = page.request.get(url, max_redirects=0)
        self.visited.append(url)
        if response.status >= 400:
            self.problems.append(Problem(url, f"HTTP {response.status}", f"(linked from {source})"))

    def _visit(self, page: Any, url: str, source: str, boosted: bool, kind: str) -> bool:
        self.visited.append(url)
        self._console.clear()
        if boosted and source:
            page.goto(source)
            page.wait_for_load_state("networkidle")
            if not page.evaluate(_MARK_LINK_JS, url):
                self.problems.append(Problem(url, "link gone", f"(from {source})"))
                return False
            link = page.locator("[data-crawl-target]").first
            with page.expect_response(lambda r: urldefrag(r.url)[0] == url) as answer:
                link.click()
            status = answer.value.status
        else:
            try:
                response = page.goto(url)
            except Exception as error:  # a download or an aborted navigation
                if "Download is starting" in str(error):
                    self._check_status(page, url, source)
                    return False
                self.problems.append(Problem(url, "could not be opened", str(error)[:200]))
                return False
            status = response.status if response is not None else 0
        if status >= 400:
            self.problems.append(Problem(url, f"HTTP {status}", f"(linked from {source})"))
            return False
        # htmx loads parts after the page; axe and the empty-page check wait for them.
        page.wait_for_load_state("networkidle" if self.axe else "load")
        if "text/html" not in (page.evaluate("document.contentType") or ""):
            return False
        if not self.same_site(page.url):
            return False  # a redirect to another site (an identity provider)
        main = page.evaluate(_MAIN_TEXT_JS)
        if not main:
            how = "reached by clicking a boosted link" if boosted else ""
            self.problems.append(Problem(url, "empty <main>", how))
        for refused in self._console:
            self.problems.append(Problem(url, "CSP refused:", refused))
        if self.english and not urlsplit(url).path.startswith(self.english_skip):
            for text in unmarked_japanese(page):
                self.problems.append(Problem(url, "untranslated:", text))
        if self.axe and self._kinds[kind] == 1:
            for violation in axe_violations(page):
                targets = [n["target"] for n in violation["nodes"]][:3]
                self.problems.append(Problem(url, f"axe {violation['id']}", str(targets)))
        return True


def unmarked_japanese(page: Any) -> list[str]:
    """Japanese on an English page outside ``lang="ja"``, each as "where: text"."""
    return [
        f"{found['where']}: {found['text'].strip()[:60]}"
        for found in page.evaluate(_UNTRANSLATED_JS)
    ]


def _without_state(url: str) -> str:
    """Drop query parameters that only carry where one came from (the admin's
    ``_changelist_filters``, ``_popup``): the page is the same."""
    parts = urlsplit(url)
    if "_" not in parts.query:
        return url
    kept = [
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not k.startswith("_")
    ]
    return urlunsplit(parts._replace(query=urlencode(kept)))
