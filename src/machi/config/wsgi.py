"""WSGI entry point. Runs machi's own system checks first so bad settings stop start-up."""

import os
import sys

from django.core.checks import Error, run_checks
from django.core.management.base import SystemCheckError
from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "machi.config.settings")

application = get_wsgi_application()

_errors = [m for m in run_checks(tags=["machi"]) if isinstance(m, Error)]
if _errors:
    raise SystemCheckError("\n".join(str(e) for e in _errors))

# Import every view now (in gunicorn's master with preload_app) instead of on each
# worker's first request, which took 2-4 s: LINE gives up on a webhook after a second or two.
_url_patterns = get_resolver().url_patterns


def _preload() -> None:
    """Likewise what the first request of its kind would wait for: the PDF engine (the
    first PDF copy took seconds) and the holiday calendar that dates a new case (the first
    submission)."""
    from machi.core import pdf
    from machi.core.japanese import business_days

    pdf.preload()
    business_days.preload()
    # gunicorn forks its workers after loading this module, and Pango's and OpenMP's threads
    # would not survive the fork: its workers load the fonts and the sentence encoders in
    # post_worker_init (deploy/gunicorn.conf.py).
    if "gunicorn" not in sys.modules:
        from machi.assistant import encoders

        pdf.warm_up()
        encoders.warm_up()


_preload()
