"""亀山市 demo data: the tenant, a few departments and one account per demo role.

Department names follow the kind of organisation a city of this size has; they are
demo data, not the city's official organisation chart.
"""

from __future__ import annotations

DEMO_PASSWORD = "machi-demo-2026"  # noqa: S105 - printed for the demo

KAMEYAMA = {
    "code": "242101",
    "name": "亀山市",
    "name_kana": "カメヤマシ",
    "name_en": "Kameyama City",
    "prefecture": "三重県",
    "hosts": ["localhost", "127.0.0.1", "kameyama.machi.localhost"],
}

# (code, name, English name, parent code)
DEPARTMENTS = [
    ("100", "総合政策部", "General Policy Department", None),
    ("110", "政策課", "Policy Division", "100"),
    ("200", "市民文化部", "Citizens and Culture Department", None),
    ("210", "市民課", "Citizens Division", "200"),
    ("300", "健康福祉部", "Health and Welfare Department", None),
    ("310", "子ども未来課", "Children's Future Division", "300"),
    ("320", "長寿健康課", "Longevity and Health Division", "300"),
    ("400", "防災安全課", "Disaster Prevention and Safety Division", None),
]

# One clerk per demo division: (e-mail, full name, department code)
CLERKS = [
    ("clerk.seisaku@kameyama.demo", "政策 花子", "110"),
    ("clerk.shimin@kameyama.demo", "市民 一郎", "210"),
    ("clerk.kodomo@kameyama.demo", "未来 さくら", "310"),
    ("clerk.choju@kameyama.demo", "長寿 健", "320"),
    ("clerk.bousai@kameyama.demo", "防災 守", "400"),
]

ADMIN = ("admin@kameyama.demo", "管理 太郎")
RESIDENT = ("resident@kameyama.demo", "亀山 太郎", "カメヤマ タロウ")
