"""Licences a dataset can carry (利用規約). CKAN clients read them through ``license_list``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class License:
    id: str
    title: str
    title_en: str
    url: str
    od_conformance: str  # "approved" when the Open Definition approves it

    def choice(self) -> tuple[str, str]:
        return self.id, self.title


LICENSES: Final[tuple[License, ...]] = (
    License(
        "cc-by-4.0",
        "クリエイティブ・コモンズ 表示 4.0 国際",
        "Creative Commons Attribution 4.0 International",
        "https://creativecommons.org/licenses/by/4.0/",
        "approved",
    ),
    License(
        "pdl-1.0",
        "公共データ利用規約（第1.0版）",
        "Public Data License (Version 1.0)",
        "https://www.digital.go.jp/resources/open_data/public_data_license_v1.0",
        "approved",
    ),
    License(
        "cc0-1.0",
        "CC0 1.0 全世界 パブリック・ドメイン提供",
        "Creative Commons CCZero",
        "https://creativecommons.org/publicdomain/zero/1.0/",
        "approved",
    ),
    License(
        "cc-by-sa-4.0",
        "クリエイティブ・コモンズ 表示-継承 4.0 国際",
        "Creative Commons Attribution Share-Alike 4.0 International",
        "https://creativecommons.org/licenses/by-sa/4.0/",
        "approved",
    ),
)

BY_ID: Final = {license.id: license for license in LICENSES}
DEFAULT_LICENSE: Final = "cc-by-4.0"


def license_title(license_id: str, language: str = "ja") -> str:
    found = BY_ID.get(license_id)
    if found is None:
        return license_id
    return found.title_en if language == "en" else found.title


FREQUENCIES: Final[tuple[tuple[str, Promise], ...]] = (
    ("continuous", _("continuously (随時)")),
    ("daily", _("daily (毎日)")),
    ("weekly", _("weekly (毎週)")),
    ("monthly", _("monthly (毎月)")),
    ("quarterly", _("quarterly (四半期ごと)")),
    ("annual", _("yearly (毎年)")),
    ("irregular", _("irregularly (不定期)")),
)

#: EU vocabulary for dct:accrualPeriodicity in DCAT-AP.
FREQUENCY_URIS: Final = {
    "continuous": "http://publications.europa.eu/resource/authority/frequency/CONT",
    "daily": "http://publications.europa.eu/resource/authority/frequency/DAILY",
    "weekly": "http://publications.europa.eu/resource/authority/frequency/WEEKLY",
    "monthly": "http://publications.europa.eu/resource/authority/frequency/MONTHLY",
    "quarterly": "http://publications.europa.eu/resource/authority/frequency/QUARTERLY",
    "annual": "http://publications.europa.eu/resource/authority/frequency/ANNUAL",
    "irregular": "http://publications.europa.eu/resource/authority/frequency/IRREG",
}
