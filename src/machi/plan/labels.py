"""How plan pages name a fiscal year (令和5年度 on Japanese pages, FY2023 on the others),
a basic policy and a measure, in the page's language.

The 和暦 era is what Japanese readers expect on a municipal plan; an English page would
otherwise show 令和5年度 as untranslated text that most of its readers cannot place.
"""

from __future__ import annotations

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from machi.core.japanese.fiscal_year import fiscal_year_label
from machi.plan.models import BasicPolicy, Measure


def fiscal_year_name(fiscal_year: int) -> str:
    """2023 → "令和5年度" on a Japanese page, "FY2023" on an English one."""
    if (get_language() or "ja").startswith("ja"):
        return fiscal_year_label(fiscal_year)
    return _("FY%(year)s") % {"year": fiscal_year}


def policy_label(policy: BasicPolicy) -> str:
    """基本方針2 (Basic policy 2)."""
    return _("Basic policy %(number)s") % {"number": policy.number}


def measure_label(measure: Measure) -> str:
    """基本方針2 (6) (Basic policy 2 (6)): measure 6 of basic policy 2."""
    return _("Basic policy %(policy)s (%(number)s)") % {
        "policy": measure.policy.number,
        "number": measure.number,
    }
