"""What the 亀山市 demo catalog holds: groups (分類), datasets, resources and their files.

All of it is fictional demo data; every dataset is marked ``is_demo`` and says so in its
description. The files live in ``data/`` next to this module (made by ``build.py``).

Two files are there on purpose to show what the validator does:

* ``aed.csv`` is encoded in CP932 (with ㈱, 髙 and ～ in it), as files saved by Excel on
  Windows often are; it decodes and validates cleanly and its encoding is shown as CP932.
* ``events-with-errors.csv`` is an update of the イベント一覧 with mistakes in it (和暦
  date, 全角 digits, a latitude outside Japan, a wrong check digit, a duplicate ID, a
  missing 必須 value). It is uploaded as a new, unpublished version, so staff see the
  report while the public keeps the clean published file.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from importlib import resources

DEMO_NOTE = "デモ用に作成した架空のデータです。Fictional data made for the demo."
SPATIAL = "三重県亀山市"
DATA_PACKAGE = "machi.opendata.demo"


@dataclass(frozen=True)
class DemoGroup:
    name: str
    title: str
    title_en: str
    description: str


@dataclass(frozen=True)
class DemoVersion:
    """One file of a resource, in upload order. ``publish=False`` leaves it for staff review."""

    source: str  # file name in data/
    change_note: str = ""
    publish: bool = True


@dataclass(frozen=True)
class DemoResource:
    name: str
    filename: str  # the name the public downloads
    description: str
    versions: tuple[DemoVersion, ...]
    schema_name: str = ""
    format: str = "CSV"
    encoding: str = "utf-8"  # what the validator should find


@dataclass(frozen=True)
class DemoDataset:
    name: str
    title: str
    title_en: str
    notes: str
    department_code: str
    groups: tuple[str, ...]
    tags: tuple[str, ...]
    resources: tuple[DemoResource, ...]
    contact_name: str
    contact_email: str
    contact_phone: str
    license_id: str = "cc-by-4.0"
    frequency: str = "irregular"
    temporal_start: dt.date | None = None
    temporal_end: dt.date | None = None

    @property
    def description(self) -> str:
        return f"{self.notes}\n\n{DEMO_NOTE}"


def read_data_file(source: str) -> bytes:
    """The bytes of a demo file, read from the installed package."""
    return resources.files(DATA_PACKAGE).joinpath("data", source).read_bytes()


GROUPS: tuple[DemoGroup, ...] = (
    DemoGroup("bousai", "防災", "Disaster prevention", "避難場所、AEDなど災害への備えのデータ。"),
    DemoGroup(
        "kosodate-kyoiku",
        "子育て・教育",
        "Childcare and education",
        "保育所、幼稚園、子育て支援の施設など。",
    ),
    DemoGroup("kenko-fukushi", "健康・福祉", "Health and welfare", "医療機関、健康づくりなど。"),
    DemoGroup(
        "kanko-bunka",
        "観光・文化",
        "Tourism and culture",
        "観光施設、文化財、イベントなど。",
    ),
    DemoGroup(
        "seikatsu-kankyo",
        "生活・環境",
        "Living and environment",
        "ごみの分別、公衆トイレ、公衆無線LANなど暮らしのデータ。",
    ),
    DemoGroup(
        "gyozaisei",
        "行政・財政",
        "Administration and finance",
        "人口、予算、市の計画と評価など。",
    ),
    DemoGroup("shisetsu", "施設", "Facilities", "市内の公共施設の所在地と連絡先。"),
)

PUBLIC_FACILITIES = DemoDataset(
    name="public-facilities",
    title="公共施設一覧",
    title_en="Public facilities",
    notes=(
        "亀山市が所有・管理する公共施設（庁舎、図書館、体育館、公民館、地区コミュニティ"
        "センターなど）の名称、所在地、緯度経度、連絡先、利用可能時間です。"
        "自治体標準オープンデータセット「公共施設一覧」の形式で公開しています。"
    ),
    department_code="110",
    groups=("shisetsu", "gyozaisei"),
    tags=("公共施設", "施設", "庁舎", "図書館", "体育館", "自治体標準オープンデータセット"),
    resources=(
        DemoResource(
            name="公共施設一覧",
            filename="242101_public_facilities.csv",
            description="公共施設一覧（CSV、UTF-8）",
            schema_name="public-facilities",
            versions=(DemoVersion("public-facilities.csv", "初版"),),
        ),
    ),
    contact_name="亀山市 総合政策部 政策課",
    contact_email="seisaku@city.kameyama.demo",
    contact_phone="0595-84-5021",
    frequency="annual",
)

EVACUATION_SITES = DemoDataset(
    name="evacuation-sites",
    title="指定緊急避難場所一覧",
    title_en="Designated emergency evacuation sites",
    notes=(
        "災害対策基本法に基づき亀山市が指定した指定緊急避難場所の一覧です。"
        "災害の種別（洪水、崖崩れ・土石流・地滑り、地震、大規模な火事など）ごとの対応と、"
        "指定避難所（避難所）を兼ねているかどうか、想定収容人数を載せています。"
        "避難所・避難場所の確認や、防災マップ・アプリでの利用にお使いください。"
    ),
    department_code="400",
    groups=("bousai", "shisetsu"),
    tags=("防災", "避難所", "指定避難所", "避難場所", "災害", "地震", "洪水"),
    resources=(
        DemoResource(
            name="指定緊急避難場所一覧",
            filename="242101_evacuation_sites.csv",
            description="指定緊急避難場所一覧（CSV、UTF-8）。指定避難所との重複を含みます。",
            schema_name="evacuation-sites",
            versions=(DemoVersion("evacuation-sites.csv", "初版"),),
        ),
    ),
    contact_name="亀山市 防災安全課",
    contact_email="bousai@city.kameyama.demo",
    contact_phone="0595-84-5066",
    frequency="irregular",
)

AED = DemoDataset(
    name="aed",
    title="AED設置箇所一覧",
    title_en="AED locations",
    notes=(
        "市内の公共施設や事業所に設置されたAED（自動体外式除細動器）の設置場所、"
        "設置位置、利用可能時間です。事業所からの届出をもとに作成しています。"
        "ファイルは Excel で開きやすい CP932（Shift_JIS の拡張）で保存しています。"
    ),
    department_code="400",
    groups=("bousai", "kenko-fukushi"),
    tags=("AED", "救命", "防災", "救急", "自治体標準オープンデータセット"),
    resources=(
        DemoResource(
            name="AED設置箇所一覧",
            filename="242101_aed.csv",
            description="AED設置箇所一覧（CSV、文字コード CP932）",
            schema_name="aed",
            encoding="cp932",
            versions=(DemoVersion("aed.csv", "初版"),),
        ),
    ),
    contact_name="亀山市 防災安全課",
    contact_email="bousai@city.kameyama.demo",
    contact_phone="0595-84-5066",
    license_id="pdl-1.0",
    frequency="quarterly",
)

PUBLIC_TOILETS = DemoDataset(
    name="public-toilets",
    title="公衆トイレ一覧",
    title_en="Public toilets",
    notes=(
        "亀山市が管理する公衆トイレ38か所の所在地、設置位置、便器の数、"
        "バリアフリー設備（車椅子、乳幼児用設備、オストメイト）と利用可能時間です。"
    ),
    department_code="620",
    groups=("seikatsu-kankyo", "shisetsu"),
    tags=("公衆トイレ", "トイレ", "バリアフリー", "オストメイト", "観光"),
    resources=(
        DemoResource(
            name="公衆トイレ一覧",
            filename="242101_public_toilets.csv",
            description="公衆トイレ一覧（CSV、UTF-8）",
            schema_name="public-toilets",
            versions=(DemoVersion("public-toilets.csv", "初版"),),
        ),
    ),
    contact_name="亀山市 産業環境部 環境課",
    contact_email="kankyo@city.kameyama.demo",
    contact_phone="0595-84-5068",
    frequency="annual",
)

CHILDCARE_FACILITIES = DemoDataset(
    name="childcare-facilities",
    title="子育て施設一覧",
    title_en="Childcare facilities",
    notes=(
        "市内の保育所、幼稚園、認定こども園、子育て支援センター、児童センター、"
        "放課後児童クラブの所在地、定員、対象年齢、開所時間です。"
    ),
    department_code="310",
    groups=("kosodate-kyoiku", "shisetsu"),
    tags=("子育て", "保育所", "幼稚園", "認定こども園", "子育て支援"),
    resources=(
        DemoResource(
            name="子育て施設一覧",
            filename="242101_childcare_facilities.csv",
            description="子育て施設一覧（CSV、UTF-8）",
            schema_name="childcare-facilities",
            versions=(DemoVersion("childcare-facilities.csv", "初版"),),
        ),
    ),
    contact_name="亀山市 健康福祉部 子ども未来課",
    contact_email="kodomo@city.kameyama.demo",
    contact_phone="0595-84-3312",
    frequency="annual",
)

EVENTS = DemoDataset(
    name="events",
    title="イベント一覧",
    title_en="Events",
    notes=(
        "令和8年度に亀山市内で開かれる祭り、講座、スポーツ大会、子育てイベントなどの"
        "日程、会場、料金、申込方法です。上半期分を4月に、下半期分を10月に追加しました。"
    ),
    department_code="610",
    groups=("kanko-bunka",),
    tags=("イベント", "観光", "祭り", "講座", "関宿"),
    resources=(
        DemoResource(
            name="イベント一覧",
            filename="242101_events.csv",
            description="イベント一覧（CSV、UTF-8）",
            schema_name="events",
            versions=(
                DemoVersion("events-2026-04.csv", "令和8年度上半期のイベントを掲載"),
                DemoVersion(
                    "events-2026-10.csv", "下半期のイベントを追加、東海道関宿まつりの時間を訂正"
                ),
                # The validator demo: an update with mistakes, left for staff to review.
                DemoVersion(
                    "events-with-errors.csv",
                    "3月のイベントを追加（担当課から届いたファイル、公開前の確認待ち）",
                    publish=False,
                ),
            ),
        ),
    ),
    contact_name="亀山市 産業環境部 商工観光課",
    contact_email="kanko@city.kameyama.demo",
    contact_phone="0595-84-5049",
    frequency="monthly",
    temporal_start=dt.date(2026, 4, 1),
    temporal_end=dt.date(2027, 3, 31),
)

POPULATION = DemoDataset(
    name="population-by-town",
    title="地域・年齢別人口（町名別）",
    title_en="Population by town and age",
    notes=(
        "住民基本台帳による町名別・5歳階級別・男女別の人口です（令和8年11月1日現在）。"
        "外国人住民を含みます。"
    ),
    department_code="110",
    groups=("gyozaisei",),
    tags=("人口", "年齢別人口", "町名", "統計", "住民基本台帳"),
    resources=(
        DemoResource(
            name="地域・年齢別人口（令和8年11月1日現在）",
            filename="242101_population_20261101.csv",
            description="町名別・5歳階級別・男女別の人口（CSV、UTF-8）",
            versions=(DemoVersion("population-by-town.csv", "令和8年11月1日現在"),),
        ),
    ),
    contact_name="亀山市 総合政策部 政策課",
    contact_email="seisaku@city.kameyama.demo",
    contact_phone="0595-84-5021",
    frequency="monthly",
    temporal_start=dt.date(2026, 11, 1),
    temporal_end=dt.date(2026, 11, 1),
)

TOURIST_FACILITIES = DemoDataset(
    name="tourist-facilities",
    title="観光施設一覧",
    title_en="Tourist facilities",
    notes=(
        "東海道の宿場町・関宿、亀山城多門櫓、石水渓など、市内の観光施設の所在地、"
        "営業時間、料金、アクセス方法です。"
    ),
    department_code="610",
    groups=("kanko-bunka",),
    tags=("観光", "関宿", "東海道", "亀山城", "自然"),
    resources=(
        DemoResource(
            name="観光施設一覧",
            filename="242101_tourist_facilities.csv",
            description="観光施設一覧（CSV、UTF-8）",
            versions=(DemoVersion("tourist-facilities.csv", "初版"),),
        ),
    ),
    contact_name="亀山市 産業環境部 商工観光課",
    contact_email="kanko@city.kameyama.demo",
    contact_phone="0595-84-5049",
    frequency="irregular",
)

CULTURAL_PROPERTIES = DemoDataset(
    name="cultural-properties",
    title="文化財一覧",
    title_en="Cultural properties",
    notes=(
        "国・県・市が指定または選定した、市内の文化財（建造物、史跡、名勝、天然記念物、"
        "無形民俗文化財など）の名称、種別、所在地、指定日です。"
    ),
    department_code="810",
    groups=("kanko-bunka",),
    tags=("文化財", "史跡", "歴史", "関宿", "教育"),
    resources=(
        DemoResource(
            name="文化財一覧",
            filename="242101_cultural_properties.csv",
            description="文化財一覧（CSV、UTF-8）",
            versions=(DemoVersion("cultural-properties.csv", "初版"),),
        ),
    ),
    contact_name="亀山市 教育委員会事務局 教育総務課",
    contact_email="kyoiku@city.kameyama.demo",
    contact_phone="0595-84-5077",
    frequency="irregular",
)

GARBAGE_SORTING = DemoDataset(
    name="garbage-sorting",
    title="ごみの分別方法一覧",
    title_en="How to sort household waste",
    notes=(
        "家庭から出るごみの品目ごとの分別区分（燃やすごみ、埋立ごみ、資源物、粗大ごみなど）"
        "と出し方の注意点です。品目を探すアプリやチャットボットでの利用を想定しています。"
    ),
    department_code="620",
    groups=("seikatsu-kankyo",),
    tags=("ごみ", "分別", "リサイクル", "資源物", "粗大ごみ"),
    resources=(
        DemoResource(
            name="ごみの分別方法一覧",
            filename="242101_garbage_sorting.csv",
            description="ごみの分別方法一覧（CSV、UTF-8）",
            versions=(DemoVersion("garbage-sorting.csv", "初版"),),
        ),
    ),
    contact_name="亀山市 産業環境部 環境課",
    contact_email="kankyo@city.kameyama.demo",
    contact_phone="0595-84-5068",
    license_id="pdl-1.0",
    frequency="annual",
)

MEDICAL_INSTITUTIONS = DemoDataset(
    name="medical-institutions",
    title="医療機関一覧",
    title_en="Medical institutions",
    notes="市内の病院、診療所、歯科診療所の所在地、診療科目、診療日と時間です。",
    department_code="320",
    groups=("kenko-fukushi",),
    tags=("医療", "病院", "診療所", "歯科", "健康"),
    resources=(
        DemoResource(
            name="医療機関一覧",
            filename="242101_medical_institutions.csv",
            description="医療機関一覧（CSV、UTF-8）",
            versions=(DemoVersion("medical-institutions.csv", "初版"),),
        ),
    ),
    contact_name="亀山市 健康福祉部 長寿健康課",
    contact_email="choju@city.kameyama.demo",
    contact_phone="0595-84-3316",
    frequency="annual",
)

PUBLIC_WIFI = DemoDataset(
    name="public-wifi",
    title="公衆無線LANアクセスポイント一覧",
    title_en="Public Wi-Fi access points",
    notes=(
        "市の施設や観光地で無料で使える公衆無線LAN（KAMEYAMA_Free_Wi-Fi）の"
        "アクセスポイントの設置場所と利用時間です。"
    ),
    department_code="120",
    groups=("seikatsu-kankyo", "kanko-bunka"),
    tags=("Wi-Fi", "公衆無線LAN", "観光", "防災", "インターネット"),
    resources=(
        DemoResource(
            name="公衆無線LANアクセスポイント一覧",
            filename="242101_public_wifi.csv",
            description="公衆無線LANアクセスポイント一覧（CSV、UTF-8）",
            versions=(DemoVersion("public-wifi.csv", "初版"),),
        ),
    ),
    contact_name="亀山市 総合政策部 デジタル推進課",
    contact_email="digital@city.kameyama.demo",
    contact_phone="0595-84-5024",
    frequency="irregular",
)

BUDGET = DemoDataset(
    name="general-account-budget",
    title="一般会計当初予算（款別）",
    title_en="General account initial budget by item",
    notes=(
        "一般会計当初予算の歳入・歳出を款別に、令和6年度から令和8年度まで並べたものです。"
        "金額の単位は千円です。"
    ),
    department_code="530",
    groups=("gyozaisei",),
    tags=("予算", "財政", "一般会計", "歳入", "歳出"),
    resources=(
        DemoResource(
            name="一般会計当初予算（款別、令和6年度から令和8年度）",
            filename="242101_general_account_budget.csv",
            description="款別の当初予算額（千円、CSV、UTF-8）",
            versions=(DemoVersion("general-account-budget.csv", "令和8年度当初予算を追加"),),
        ),
    ),
    contact_name="亀山市 総務部 財務課",
    contact_email="zaimu@city.kameyama.demo",
    contact_phone="0595-84-5031",
    frequency="annual",
    temporal_start=dt.date(2024, 4, 1),
    temporal_end=dt.date(2027, 3, 31),
)

DATASETS: tuple[DemoDataset, ...] = (
    PUBLIC_FACILITIES,
    EVACUATION_SITES,
    AED,
    PUBLIC_TOILETS,
    CHILDCARE_FACILITIES,
    EVENTS,
    POPULATION,
    TOURIST_FACILITIES,
    CULTURAL_PROPERTIES,
    GARBAGE_SORTING,
    MEDICAL_INSTITUTIONS,
    PUBLIC_WIFI,
    BUDGET,
)

#: The file with mistakes in it, for ``manage.py validate_opendata`` and the version page.
ERROR_FILE = "events-with-errors.csv"
ERROR_SCHEMA = "events"
CP932_FILE = "aed.csv"
