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
    ("120", "デジタル推進課", "Digital Promotion Division", "100"),
    ("200", "市民文化部", "Citizens and Culture Department", None),
    ("210", "市民課", "Citizens Division", "200"),
    ("220", "税務課", "Taxation Division", "200"),
    ("230", "地域づくり課", "Community Development Division", "200"),
    ("240", "保険年金課", "Insurance and Pension Division", "200"),
    ("300", "健康福祉部", "Health and Welfare Department", None),
    ("310", "子ども未来課", "Children's Future Division", "300"),
    ("320", "長寿健康課", "Longevity and Health Division", "300"),
    ("400", "防災安全課", "Disaster Prevention and Safety Division", None),
    ("500", "総務部", "General Affairs Department", None),
    ("510", "総務課", "General Affairs Division", "500"),
    ("520", "職員課", "Personnel Division", "500"),
    ("530", "財務課", "Finance Division", "500"),
    ("600", "産業環境部", "Industry and Environment Department", None),
    ("610", "商工観光課", "Commerce and Tourism Division", "600"),
    ("620", "環境課", "Environment Division", "600"),
    ("700", "会計課", "Accounting Division", None),
    ("800", "教育委員会事務局", "Board of Education Secretariat", None),
    ("810", "教育総務課", "Education General Affairs Division", "800"),
]

# One clerk per demo division: (e-mail, full name, department code)
CLERKS = [
    ("clerk.seisaku@kameyama.demo", "政策 花子", "110"),
    ("clerk.shimin@kameyama.demo", "市民 一郎", "210"),
    ("clerk.kodomo@kameyama.demo", "未来 さくら", "310"),
    ("clerk.choju@kameyama.demo", "長寿 健", "320"),
    ("clerk.bousai@kameyama.demo", "防災 守", "400"),
    ("clerk.kankyo@kameyama.demo", "環境 美咲", "620"),
    ("clerk.hoken@kameyama.demo", "保険 直樹", "240"),
    ("clerk.somu@kameyama.demo", "総務 恵", "510"),
]

# 決裁者 for the demo approval routes: (e-mail, full name, department code, rank 1 係長 … 3 部長)
APPROVERS = [
    ("kakaricho.kankyo@kameyama.demo", "環境 係長", "620", 1),
    ("kacho.kankyo@kameyama.demo", "環境 課長", "620", 2),
    ("bucho.sangyo@kameyama.demo", "産業環境 部長", "600", 3),
    ("kakaricho.kodomo@kameyama.demo", "子ども 係長", "310", 1),
    ("kacho.kodomo@kameyama.demo", "子ども 課長", "310", 2),
    ("kacho.zaimu@kameyama.demo", "財務 課長", "530", 2),
    # approves the notices the districts' まちづくり協議会 write (地域づくり課 supports them)
    ("kacho.chiiki@kameyama.demo", "地域づくり 課長", "230", 2),
]

# The plan's 推進体制 (第4章): a DXリーダー in each division that owns demo initiatives,
# the DX推進委員会 (one member and the chair, the CIO), a デジタルマスター and an
# external デジタルアドバイザー委員. (e-mail, full name, role, department code or None)
PLAN_STAFF = [
    ("clerk.digital@kameyama.demo", "推進 陽子", "clerk", "120"),
    ("cio@kameyama.demo", "情報 統一（CIO・副市長）", "dx_committee_chair", None),
    ("committee@kameyama.demo", "委員 健一（健康福祉部長）", "dx_committee", None),
    ("master@kameyama.demo", "達人 誠（デジタルマスター）", "digital_master", None),
    ("adviser@kameyama.demo", "助言 由美（アドバイザー）", "digital_advisor", None),
] + [
    (f"dx{code}@kameyama.demo", f"DXリーダー {code}", "dx_leader", code)
    for code in (
        *("110", "120", "210", "220", "230", "310", "320"),
        *("400", "510", "520", "530", "610", "700", "810"),
    )
]

# Other apps' demo loaders, run by load_demo after the tenant and accounts exist.
APP_DEMO_COMMANDS = [
    "load_plan_demo",
    "load_procedures_demo",
    "load_casework_demo",
    "load_assistant_demo",
    # Before open data: notices record the plan's KPI 1-(6), which the KPI dataset carries.
    "load_notices_demo",
    "load_opendata_demo",
]

ADMIN = ("admin@kameyama.demo", "管理 太郎")
RESIDENT = ("resident@kameyama.demo", "亀山 太郎", "カメヤマ タロウ")
