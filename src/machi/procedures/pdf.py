"""PDF copies (WeasyPrint) of an application's answers and of a life-event checklist.

Rendered from HTML templates with the Noto CJK fonts Debian ships (``fonts-noto-cjk``,
installed by ``make``), so Japanese text is embedded and can be searched and copied.

Speed: WeasyPrint takes 1-3 s to import, so the web process imports it at start-up
(``preload``, called by machi.config.wsgi), and its first render takes a few hundred ms
more than later ones (fonts, C type declarations), which ``warm_up`` pays before the first
resident does. A font configuration reads the fontconfig setup and loads the CJK fonts
anew, so renders share configurations from a pool instead of making one per PDF.
"""

from __future__ import annotations

import logging
import queue
from typing import TYPE_CHECKING, Any

from django.template.loader import render_to_string
from django.utils import timezone, translation

from machi.core.formdef.engine import computed_rows, summarize
from machi.procedures.models import Submission
from machi.procedures.selectors import attachment_names, form_spec

if TYPE_CHECKING:
    from weasyprint.text.fonts import FontConfiguration

logger = logging.getLogger(__name__)

# One configuration per concurrent render: a Pango font map must not be used by two
# threads at once (runserver serves each request in a thread). Empty until the first
# render, so gunicorn's master (preload_app) forks no Pango state into its workers.
_font_configurations: queue.SimpleQueue[FontConfiguration] = queue.SimpleQueue()


def preload() -> None:
    """Import WeasyPrint (with Pango, HarfBuzz and fontTools) now, not in the first request.

    Safe before a fork. Without the libraries the site still starts; PDF copies fail.
    """
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as exc:
        logger.warning("PDF rendering is unavailable: %s", exc)


def warm_up() -> None:
    """Render a short Japanese page so the first PDF copy finds the fonts loaded.

    Never before a fork (gunicorn's master): Pango starts threads that a child lacks.
    """
    try:
        _write(render_to_string("procedures/pdf/_style.html") + "<h1>控え</h1><p>亀山市 A1</p>")
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


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    return _write(render_to_string(template, context))


def submission_pdf(submission: Submission, language: str) -> bytes:
    """申請内容の控え: what was sent, with the form version and the 受付番号."""
    spec = form_spec(submission.form)
    with translation.override(language):
        context = {
            "municipality": submission.municipality,
            "municipality_name": submission.municipality.display_name(language),
            "submission": submission,
            "procedure_title": submission.procedure.text(language),
            "sections": summarize(
                spec,
                submission.answers,
                language,
                attachment_names(list(submission.attachments.all())),
            ),
            "computed": computed_rows(spec, submission.answers, language),
            "verified": set(submission.verified_fields),
            "printed_at": timezone.localtime(),
            "language": language,
        }
        return render_pdf("procedures/pdf/submission.html", context)
