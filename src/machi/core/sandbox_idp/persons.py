"""The made-up people of the sandbox identity provider, keyed by their login id.

No Flask here: ``demo_info`` lists them without loading the provider.
"""

from __future__ import annotations

#: Claims per person, as デジタル認証アプリ would give them (``name_kana`` is optional).
SANDBOX_PERSONS: dict[str, dict[str, str]] = {
    "hanako": {
        "sub": "c9f1d7a2-5b8e-4e0f-9a63-0d2b7e4c1a58",
        "name": "亀山 花子",
        "address": "三重県亀山市本丸町577",
        "birthdate": "1990-04-01",
        "gender": "female",
    },
    "ichiro": {
        "sub": "4a0e6b3d-91c2-47f5-8d1e-b6a9f2c03e77",
        "name": "関 一郎",
        "name_kana": "セキ イチロウ",
        "address": "三重県亀山市関町新所1",
        "birthdate": "1975-11-23",
        "gender": "male",
    },
}
