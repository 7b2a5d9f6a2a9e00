"""PDF from HTML templates (WeasyPrint): every PDF of the platform is rendered here (a
resident's copy of an application, a life-event checklist, a signed decision notice).

Templates name the Noto CJK fonts Debian ships (``fonts-noto-cjk``, installed by ``make``),
so Japanese text is embedded and can be searched and copied.

Speed: WeasyPrint takes 1-3 s to import, so the web process imports it at start-up
(``preload``, called by machi.config.wsgi), and its first render takes a few hundred ms
more than later ones (fonts, C type declarations), which ``warm_up`` pays before the first
resident does. A font configuration reads the fontconfig setup and loads the CJK fonts
anew, so renders share configurations from a pool instead of making one per PDF.
"""

from __future__ import annotations

import logging
import queue
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from django.template.loader import render_to_string

if TYPE_CHECKING:
    from weasyprint.text.fonts import FontConfiguration

logger = logging.getLogger(__name__)

# One configuration per concurrent render: a Pango font map must not be used by two
# threads at once (runserver serves each request in a thread). Empty until the first
# render, so gunicorn's master (preload_app) forks no Pango state into its workers.
_font_configurations: queue.SimpleQueue[FontConfiguration] = queue.SimpleQueue()

# The face every PDF template names, in the root as they do.
_WARM_UP_PAGE = (
    '<style>html { font-family: "Noto Sans CJK JP", "Noto Sans JP", sans-serif; }</style>'
    "<h1>控え</h1><p>亀山市 A1</p>"
)


def preload() -> None:
    """Import WeasyPrint (with Pango, HarfBuzz and fontTools) now, not in the first request.

    Safe before a fork. Without the libraries the site still starts; PDFs fail.
    """
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as exc:
        logger.warning("PDF rendering is unavailable: %s", exc)


def warm_up() -> None:
    """Render a short Japanese page so the first PDF finds the fonts loaded.

    Never before a fork (gunicorn's master): Pango starts threads that a child lacks.
    """
    try:
        _write(_WARM_UP_PAGE)
    except (ImportError, OSError) as exc:
        logger.warning("PDF rendering is unavailable: %s", exc)


def _write(html: str) -> bytes:
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    try:
        fonts = _font_configurations.get_nowait()
    except queue.Empty:
        fonts = FontConfiguration()
    try:
        return bytes(HTML(string=html).write_pdf(font_config=fonts))
    finally:
        _font_configurations.put(fonts)


def render(template: str | Sequence[str], context: Mapping[str, Any]) -> bytes:
    """The PDF of a Django template (the first of a list that exists), in the active
    language."""
    return _write(render_to_string(template, dict(context)))
