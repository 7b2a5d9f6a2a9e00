# ruff: noqa: E501  (a data module: rows of Japanese text read better one per line)
"""The rows of the demo CSV files, as dictionaries keyed by the standard's column names.

Everything here is made up for the demonstration: the places use real 亀山市 町名 and
sensible coordinates, but names of businesses, counts, telephone numbers and dates are
fictional. ``build.py`` writes these rows in each schema's column order.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from machi.opendata.demo.places import (
    LANDMARKS,
    LOCALGOV_CODE,
    LOCALGOV_NAME,
    TOWNS,
    address,
    point,
)

Row = dict[str, str]

WEEKDAYS = "月火水木金"
ALL_WEEK = "月火水木金土日"
PICTURE_LICENSE = "CC BY 4.0"


def days_list(days: str) -> str:
    """曜日 as the standard writes them: 月,火,水."""
    return ",".join(days)


def _ident(n: int) -> str:
    return f"{LOCALGOV_CODE}{n:04d}"


def _base(n: int, name: str, kana: str, english: str) -> Row:
    return {
        "全国地方公共団体コード": LOCALGOV_CODE,
        "ID": _ident(n),
        "地方公共団体名": LOCALGOV_NAME,
        "名称": name,
        "名称_カナ": kana,
        "名称_英語": english,
    }


def _located(
    n: int,
    name: str,
    kana: str,
    english: str,
    town: str,
    banchi: str,
    *,
    building: str = "",
) -> Row:
    row = _base(n, name, kana, english)
    row.update(address(town, banchi, building))
    row["緯度"], row["経度"] = point(town, name)
    return row


# ---------------------------------------------------------------------------------------
# 公共施設一覧
# (name, kana, English, type, town, 番地, telephone, days, opens, closes, note, point)
# fmt: off
_FACILITIES: tuple[tuple[str, ...], ...] = (
    ("亀山市役所", "カメヤマシヤクショ", "Kameyama City Hall", "庁舎", "本丸町", "577",
     "0595-82-1111", WEEKDAYS, "08:30", "17:15", "土日祝日、年末年始は閉庁"),
    ("亀山市関支所", "カメヤマシセキシショ", "Kameyama City Seki Branch Office", "庁舎",
     "関町木崎", "919-1", "0595-96-1211", WEEKDAYS, "08:30", "17:15", "土日祝日、年末年始は閉庁"),
    ("亀山市加太出張所", "カメヤマシカブトシュッチョウジョ", "Kabuto Branch Counter", "庁舎",
     "加太市場", "1862", "0595-98-0011", "火木", "09:00", "16:00", "火曜日と木曜日のみ開所"),
    ("亀山市立図書館", "カメヤマシリツトショカン", "Kameyama City Library", "図書館", "御幸町",
     "263-1", "0595-82-0100", "火水木金土日", "09:30", "19:00", "月曜日、毎月最終木曜日は休館"),
    ("亀山市文化会館", "カメヤマシブンカカイカン", "Kameyama Culture Hall", "文化施設", "東御幸町",
     "39-8", "0595-82-7111", "水木金土日月", "09:00", "22:00", "火曜日休館（祝日の場合は翌日）"),
    ("亀山市総合保健福祉センター", "カメヤマシソウゴウホケンフクシセンター",
     "Kameyama Health and Welfare Center", "保健福祉施設", "羽若町", "545", "0595-84-3311",
     WEEKDAYS, "08:30", "17:15", "愛称「あいあい」"),
    ("亀山市歴史博物館", "カメヤマシレキシハクブツカン", "Kameyama City History Museum", "博物館",
     "若山町", "7-30", "0595-83-3000", "水木金土日月", "09:00", "17:00", "入館は16:30まで"),
    ("西野公園体育館", "ニシノコウエンタイイクカン", "Nishino Park Gymnasium", "体育施設",
     "西丸町", "1-1", "0595-82-3500", ALL_WEEK, "09:00", "21:00", "第2・第4月曜日は休館"),
    ("東野公園体育館", "ヒガシノコウエンタイイクカン", "Higashino Park Gymnasium", "体育施設",
     "東御幸町", "92", "0595-82-8750", ALL_WEEK, "09:00", "21:00", "第1・第3月曜日は休館"),
    ("関文化交流センター", "セキブンカコウリュウセンター", "Seki Culture Exchange Center",
     "文化施設", "関町木崎", "919-1", "0595-96-1122", "火水木金土日", "09:00", "22:00",
     "月曜日休館"),
    ("亀山市青少年研修センター", "カメヤマシセイショウネンケンシュウセンター",
     "Kameyama Youth Training Center", "社会教育施設", "野村", "一丁目2-1", "0595-82-2431",
     "火水木金土日", "09:00", "21:00", "月曜日休館"),
    ("亀山市総合環境センター", "カメヤマシソウゴウカンキョウセンター",
     "Kameyama Environment Center", "清掃施設", "布気町", "1085", "0595-82-5305",
     "月火水木金土", "08:30", "16:00", "ごみの持ち込みは予約制"),
    ("井田川地区コミュニティセンター", "イダガワチクコミュニティセンター",
     "Idagawa Community Center", "コミュニティ施設", "井田川町", "325", "0595-85-0135",
     ALL_WEEK, "09:00", "21:00", "年末年始は休館"),
    ("川崎地区コミュニティセンター", "カワサキチクコミュニティセンター",
     "Kawasaki Community Center", "コミュニティ施設", "川崎町", "4500-1", "0595-85-0321",
     ALL_WEEK, "09:00", "21:00", "年末年始は休館"),
    ("野登地区コミュニティセンター", "ノボリチクコミュニティセンター", "Nobori Community Center",
     "コミュニティ施設", "安坂山町", "1812", "0595-85-0480", ALL_WEEK, "09:00", "21:00",
     "年末年始は休館"),
    ("白川地区コミュニティセンター", "シラカワチクコミュニティセンター",
     "Shirakawa Community Center", "コミュニティ施設", "白木町", "2316", "0595-82-4066",
     ALL_WEEK, "09:00", "21:00", "年末年始は休館"),
    ("昼生地区コミュニティセンター", "ヒルオチクコミュニティセンター", "Hiruo Community Center",
     "コミュニティ施設", "下庄町", "1456", "0595-85-1039", ALL_WEEK, "09:00", "21:00",
     "年末年始は休館"),
    ("神辺地区コミュニティセンター", "カンベチクコミュニティセンター", "Kanbe Community Center",
     "コミュニティ施設", "布気町", "458", "0595-82-4921", ALL_WEEK, "09:00", "21:00",
     "年末年始は休館"),
    ("加太地区コミュニティセンター", "カブトチクコミュニティセンター", "Kabuto Community Center",
     "コミュニティ施設", "加太市場", "1870", "0595-98-0050", ALL_WEEK, "09:00", "21:00",
     "年末年始は休館"),
    ("坂下地区コミュニティセンター", "サカシタチクコミュニティセンター",
     "Sakashita Community Center", "コミュニティ施設", "関町坂下", "592", "0595-96-0520",
     ALL_WEEK, "09:00", "21:00", "年末年始は休館"),
    ("和田地区コミュニティセンター", "ワダチクコミュニティセンター", "Wada Community Center",
     "コミュニティ施設", "和田町", "1488-5", "0595-82-6630", ALL_WEEK, "09:00", "21:00",
     "年末年始は休館"),
    ("みずほ台地区コミュニティセンター", "ミズホダイチクコミュニティセンター",
     "Mizuhodai Community Center", "コミュニティ施設", "みずほ台", "13-1", "0595-85-3900",
     ALL_WEEK, "09:00", "21:00", "年末年始は休館"),
)
# fmt: on

# Points the map should show exactly (庁舎 and the larger halls).


def public_facilities() -> list[Row]:
    rows = []
    for n, (name, kana, en, kind, town, banchi, tel, days, opens, closes, note) in enumerate(
        _FACILITIES, start=1
    ):
        row = _located(n, name, kana, en, town, banchi)
        row.update(
            {
                "名称_通称": "あいあい" if "保健福祉" in name else "",
                "電話番号": tel,
                "団体名": "亀山市",
                "利用可能曜日": days_list(days),
                "開始時間": opens,
                "終了時間": closes,
                "利用可能日時特記事項": note,
                "説明": kind,
                "バリアフリー情報": "車椅子用トイレ;スロープ",
                "URL": f"https://www.city.kameyama.demo/facilities/{n:03d}.html",
            }
        )
        rows.append(row)
    return rows


# ---------------------------------------------------------------------------------------
# 指定緊急避難場所一覧
# (name, kana, English, town, 番地, telephone, capacity, also a 避難所, hazards, districts)
# hazards: 洪水 F, 崖崩れ等 L, 地震 E, 大規模な火事 X, 内水氾濫 I
# fmt: off
_SITES: tuple[tuple[str, ...], ...] = (
    ("亀山東小学校", "カメヤマヒガシショウガッコウ", "Kameyama Higashi Elementary School",
     "東丸町", "163", "0595-82-0014", "620", "1", "FLEXI", "東丸町;東町;江ヶ室;天神"),
    ("亀山西小学校", "カメヤマニシショウガッコウ", "Kameyama Nishi Elementary School", "西丸町",
     "6-1", "0595-82-0256", "580", "1", "FLEXI", "西丸町;本丸町;西町;若山町"),
    ("亀山南小学校", "カメヤマミナミショウガッコウ", "Kameyama Minami Elementary School",
     "南野町", "12-1", "0595-82-3911", "540", "1", "LEXI", "南野町;御幸町;栄町"),
    ("井田川小学校", "イダガワショウガッコウ", "Idagawa Elementary School", "井田川町", "351",
     "0595-85-0004", "480", "1", "LEX", "井田川町;阿野田町"),
    ("川崎小学校", "カワサキショウガッコウ", "Kawasaki Elementary School", "川崎町", "4641",
     "0595-85-0070", "510", "1", "FLEXI", "川崎町;住山町;楠平尾町"),
    ("野登小学校", "ノボリショウガッコウ", "Nobori Elementary School", "安坂山町", "1860",
     "0595-85-0424", "260", "1", "FEXI", "安坂山町;両尾町;小川町;小野町"),
    ("白川小学校", "シラカワショウガッコウ", "Shirakawa Elementary School", "白木町", "2330",
     "0595-82-4012", "240", "1", "FEXI", "白木町"),
    ("神辺小学校", "カンベショウガッコウ", "Kanbe Elementary School", "布気町", "469",
     "0595-82-4015", "300", "1", "FLEXI", "布気町;太岡寺町;長明寺町;亀田町"),
    ("昼生小学校", "ヒルオショウガッコウ", "Hiruo Elementary School", "下庄町", "1475",
     "0595-85-1005", "220", "1", "LEXI", "下庄町;三寺町"),
    ("関小学校", "セキショウガッコウ", "Seki Elementary School", "関町木崎", "1043",
     "0595-96-0014", "450", "1", "FLEXI", "関町木崎;関町中町;関町北裏;関町久我"),
    ("加太小学校", "カブトショウガッコウ", "Kabuto Elementary School", "加太市場", "1920",
     "0595-98-0031", "180", "1", "FEXI", "加太市場;加太中在家;加太北在家;加太板屋;加太向井"),
    ("亀山中学校", "カメヤマチュウガッコウ", "Kameyama Junior High School", "野村", "二丁目1-1",
     "0595-82-0028", "720", "1", "FLEXI", "野村;北町;羽若町;田村町"),
    ("中部中学校", "チュウブチュウガッコウ", "Chubu Junior High School", "羽若町", "398",
     "0595-82-3660", "690", "1", "FLEXI", "羽若町;亀田町;和田町"),
    ("関中学校", "セキチュウガッコウ", "Seki Junior High School", "関町新所", "1960",
     "0595-96-0029", "520", "1", "FLEXI", "関町新所;関町萩原;関町鷲山;関町市瀬"),
    ("西野公園", "ニシノコウエン", "Nishino Park", "西丸町", "1-1", "0595-82-3500", "3200", "",
     "EX", "西丸町;本丸町;若山町"),
    ("東野公園", "ヒガシノコウエン", "Higashino Park", "東御幸町", "92", "0595-82-8750",
     "4100", "", "EX", "東御幸町;江ヶ室;栄町"),
    ("亀山公園", "カメヤマコウエン", "Kameyama Park", "本丸町", "1", "0595-84-5066", "1800",
     "", "EX", "本丸町;西町;東町"),
    ("観音山公園", "カンノンヤマコウエン", "Kannonyama Park", "関町新所", "2080",
     "0595-96-1211", "900", "", "EX", "関町新所;関町萩原"),
    ("亀山市総合保健福祉センター", "カメヤマシソウゴウホケンフクシセンター",
     "Kameyama Health and Welfare Center", "羽若町", "545", "0595-84-3311", "400", "1",
     "FLEXI", "羽若町"),
    ("亀山市文化会館", "カメヤマシブンカカイカン", "Kameyama Culture Hall", "東御幸町", "39-8",
     "0595-82-7111", "650", "1", "FLEXI", "東御幸町;御幸町"),
    ("関文化交流センター", "セキブンカコウリュウセンター", "Seki Culture Exchange Center",
     "関町木崎", "919-1", "0595-96-1122", "300", "1", "FLEXI", "関町木崎;関町中町"),
    ("みずほ台地区コミュニティセンター", "ミズホダイチクコミュニティセンター",
     "Mizuhodai Community Center", "みずほ台", "13-1", "0595-85-3900", "150", "1", "FLEXI",
     "みずほ台;能褒野町"),
    ("坂下地区コミュニティセンター", "サカシタチクコミュニティセンター",
     "Sakashita Community Center", "関町坂下", "592", "0595-96-0520", "90", "1", "EXI",
     "関町坂下;関町沓掛"),
)
# fmt: on

# fmt: off
_HAZARD_COLUMNS = {
    "F": "災害種別_洪水",
    "L": "災害種別_崖崩れ、土石流及び地滑り",
    "E": "災害種別_地震",
    "X": "災害種別_大規模な火事",
    "I": "災害種別_内水氾濫",
}
# fmt: on
# fmt: off
_ALL_HAZARDS = (
    "災害種別_洪水",
    "災害種別_崖崩れ、土石流及び地滑り",
    "災害種別_高潮",
    "災害種別_地震",
    "災害種別_津波",
    "災害種別_大規模な火事",
    "災害種別_内水氾濫",
    "災害種別_火山現象",
)
# fmt: on


def evacuation_sites() -> list[Row]:
    rows = []
    for n, (name, kana, en, town, banchi, tel, capacity, shelter, hazards, areas) in enumerate(
        _SITES, start=1
    ):
        row = _located(n, name, kana, en, town, banchi)
        row["名称_英字"] = row.pop("名称_英語")
        row["郵便番号"] = TOWNS[town].postal
        row["市区町村コード"] = LOCALGOV_CODE
        row["電話番号"] = tel
        row["指定避難所との重複"] = "1" if shelter else ""
        for column in _ALL_HAZARDS:
            row[column] = ""
        for flag in hazards:
            row[_HAZARD_COLUMNS[flag]] = "1"
        row["想定収容人数"] = capacity
        row["対象となる町会・自治会"] = areas
        row["標高"] = ""
        row["URL"] = "https://www.city.kameyama.demo/bousai/hinanjo.html"
        row["備考"] = "指定避難所（避難所）を兼ねる" if shelter else "屋外の避難場所"
        rows.append(row)
    return rows


# ---------------------------------------------------------------------------------------
# AED設置箇所一覧 (saved as CP932: ㈱, 髙 and ～ are in it on purpose)
# (name, kana, English, town, 番地, 設置位置, telephone, days, opens, closes, 小児対応, note)
# fmt: off
_AEDS: tuple[tuple[str, ...], ...] = (
    ("亀山市役所", "カメヤマシヤクショ", "Kameyama City Hall", "本丸町", "577",
     "本庁舎1階 市民課前", "0595-82-1111", WEEKDAYS, "08:30", "17:15", "有",
     "閉庁日は守衛室（1階北口）で対応 8:30～17:15以外も可"),
    ("亀山市関支所", "カメヤマシセキシショ", "Seki Branch Office", "関町木崎", "919-1",
     "1階 正面玄関ホール", "0595-96-1211", WEEKDAYS, "08:30", "17:15", "有", ""),
    ("亀山市立図書館", "カメヤマシリツトショカン", "Kameyama City Library", "御幸町", "263-1",
     "1階 カウンター横", "0595-82-0100", "火水木金土日", "09:30", "19:00", "有", ""),
    ("亀山市文化会館", "カメヤマシブンカカイカン", "Kameyama Culture Hall", "東御幸町", "39-8",
     "1階 事務室前", "0595-82-7111", "水木金土日月", "09:00", "22:00", "有", ""),
    ("亀山市総合保健福祉センター", "カメヤマシソウゴウホケンフクシセンター",
     "Kameyama Health and Welfare Center", "羽若町", "545", "1階 受付", "0595-84-3311",
     WEEKDAYS, "08:30", "17:15", "有", ""),
    ("亀山市歴史博物館", "カメヤマシレキシハクブツカン", "Kameyama City History Museum",
     "若山町", "7-30", "1階 受付", "0595-83-3000", "水木金土日月", "09:00", "17:00", "無", ""),
    ("西野公園体育館", "ニシノコウエンタイイクカン", "Nishino Park Gymnasium", "西丸町", "1-1",
     "1階 事務室前", "0595-82-3500", ALL_WEEK, "09:00", "21:00", "有", ""),
    ("東野公園体育館", "ヒガシノコウエンタイイクカン", "Higashino Park Gymnasium", "東御幸町",
     "92", "1階 ロビー", "0595-82-8750", ALL_WEEK, "09:00", "21:00", "有", ""),
    ("関文化交流センター", "セキブンカコウリュウセンター", "Seki Culture Exchange Center",
     "関町木崎", "919-1", "1階 事務室", "0595-96-1122", "火水木金土日", "09:00", "22:00", "有",
     ""),
    ("亀山東小学校", "カメヤマヒガシショウガッコウ", "Kameyama Higashi Elementary School",
     "東丸町", "163", "体育館入口", "0595-82-0014", WEEKDAYS, "08:00", "17:00", "有",
     "授業日以外は教育委員会へ連絡"),
    ("亀山西小学校", "カメヤマニシショウガッコウ", "Kameyama Nishi Elementary School", "西丸町",
     "6-1", "職員室前", "0595-82-0256", WEEKDAYS, "08:00", "17:00", "有", ""),
    ("井田川小学校", "イダガワショウガッコウ", "Idagawa Elementary School", "井田川町", "351",
     "職員室前", "0595-85-0004", WEEKDAYS, "08:00", "17:00", "有", ""),
    ("川崎小学校", "カワサキショウガッコウ", "Kawasaki Elementary School", "川崎町", "4641",
     "体育館入口", "0595-85-0070", WEEKDAYS, "08:00", "17:00", "有", ""),
    ("関小学校", "セキショウガッコウ", "Seki Elementary School", "関町木崎", "1043",
     "職員室前", "0595-96-0014", WEEKDAYS, "08:00", "17:00", "有", ""),
    ("亀山中学校", "カメヤマチュウガッコウ", "Kameyama Junior High School", "野村",
     "二丁目1-1", "体育館入口", "0595-82-0028", WEEKDAYS, "08:00", "18:00", "有", ""),
    ("関中学校", "セキチュウガッコウ", "Seki Junior High School", "関町新所", "1960",
     "職員室前", "0595-96-0029", WEEKDAYS, "08:00", "18:00", "有", ""),
    ("㈱亀山精密工業 本社工場", "カブシキガイシャカメヤマセイミツコウギョウホンシャコウジョウ",
     "Kameyama Precision Industry Co., Ltd.", "川崎町", "5120-3", "守衛所",
     "0595-85-2231", ALL_WEEK, "00:00", "23:59", "無", "24時間利用可（守衛所に声をかけてください）"),
    ("㈲関宿観光サービス", "ユウゲンガイシャセキジュクカンコウサービス",
     "Sekijuku Tourism Service Ltd.", "関町中町", "482", "1階 案内カウンター",
     "0595-96-2404", ALL_WEEK, "09:00", "17:00", "有", "年末年始（12月29日～1月3日）休み"),
    ("髙橋内科クリニック", "タカハシナイカクリニック", "Takahashi Internal Medicine Clinic",
     "野村", "三丁目5-12", "待合室", "0595-83-1560", "月火水金土", "09:00", "18:00", "有",
     "木曜・日曜・祝日休診"),
    ("髙木歯科医院", "タカギシカイイン", "Takagi Dental Clinic", "栄町", "1488-210", "受付",
     "0595-82-6480", "月火水金土", "09:00", "19:00", "無", ""),
    ("道の駅 関宿", "ミチノエキセキジュク", "Roadside Station Sekijuku", "関町新所", "674-2",
     "物産館入口", "0595-96-2000", ALL_WEEK, "09:00", "18:00", "有", ""),
    ("亀山駅前 観光案内所", "カメヤマエキマエカンコウアンナイジョ",
     "Kameyama Station Tourist Information", "御幸町", "235-4", "案内所内",
     "0595-84-5049", ALL_WEEK, "09:00", "17:00", "有", ""),
    ("石水渓 管理棟", "セキスイケイカンリトウ", "Sekisuikei Valley Management Lodge", "安坂山町",
     "1522", "管理棟入口", "0595-85-0550", ALL_WEEK, "09:00", "16:30", "有",
     "4月～11月のみ（冬期閉鎖）"),
    ("㈱ミエ・ロジテック 亀山センター", "カブシキガイシャミエロジテックカメヤマセンター",
     "Mie Logitech Co., Ltd. Kameyama Center", "阿野田町", "2290-1", "事務所棟1階",
     "0595-85-3810", WEEKDAYS, "08:00", "20:00", "無", ""),
    ("加太地区コミュニティセンター", "カブトチクコミュニティセンター", "Kabuto Community Center",
     "加太市場", "1870", "玄関ホール", "0595-98-0050", ALL_WEEK, "09:00", "21:00", "有", ""),
)
# fmt: on


def aed() -> list[Row]:
    rows = []
    for n, (
        name,
        kana,
        en,
        town,
        banchi,
        where,
        tel,
        days,
        opens,
        closes,
        child,
        note,
    ) in enumerate(_AEDS, start=1):
        row = _located(n, name, kana, en, town, banchi)
        row.update(
            {
                "設置位置": where,
                "電話番号": tel,
                "団体名": name.split(" ")[0] if name[0] in "㈱㈲" else "",
                "利用可能曜日": days_list(days),
                "開始時間": opens,
                "終了時間": closes,
                "利用可能日時特記事項": note,
                "小児対応設備の有無": child,
            }
        )
        rows.append(row)
    return rows


# ---------------------------------------------------------------------------------------
# 公衆トイレ一覧: 38 toilets the city manages
# (name, kana, English, town, 番地, 設置位置, men's stalls (urinals are added), women's stalls,
#  shared, barrier-free, baby, ostomate, opens, closes, note)
# fmt: off
_TOILETS: tuple[tuple[str, ...], ...] = (
    ("亀山駅前公衆トイレ", "カメヤマエキマエコウシュウトイレ", "Kameyama Station Public Toilet",
     "御幸町", "235-1", "駅前ロータリー東側", "3", "3", "1", "1", "有", "有", "", "", "24時間利用可"),
    ("関駅前公衆トイレ", "セキエキマエコウシュウトイレ", "Seki Station Public Toilet",
     "関町木崎", "1024", "駅舎南側", "2", "2", "1", "1", "有", "有", "", "", "24時間利用可"),
    ("井田川駅前公衆トイレ", "イダガワエキマエコウシュウトイレ",
     "Idagawa Station Public Toilet", "井田川町", "298", "駐輪場横", "1", "1", "1", "1", "無",
     "無", "", "", "24時間利用可"),
    ("下庄駅前公衆トイレ", "シモノショウエキマエコウシュウトイレ",
     "Shimonosho Station Public Toilet", "下庄町", "1502", "駅前広場", "1", "1", "0", "0", "無",
     "無", "", "", "24時間利用可"),
    ("加太駅前公衆トイレ", "カブトエキマエコウシュウトイレ", "Kabuto Station Public Toilet",
     "加太市場", "1780", "駅前広場", "1", "1", "0", "0", "無", "無", "", "", "24時間利用可"),
    ("亀山公園公衆トイレ（本丸）", "カメヤマコウエンコウシュウトイレホンマル",
     "Kameyama Park Toilet (Honmaru)", "本丸町", "1", "本丸広場北側", "2", "2", "1", "1", "有",
     "無", "06:00", "21:00", ""),
    ("亀山公園公衆トイレ（菖蒲園）", "カメヤマコウエンコウシュウトイレショウブエン",
     "Kameyama Park Toilet (Iris Garden)", "本丸町", "3", "菖蒲園入口", "1", "2", "1", "1", "有",
     "無", "06:00", "21:00", "菖蒲まつりの期間は22:00まで"),
    ("亀山城多門櫓前公衆トイレ", "カメヤマジョウタモンヤグラマエコウシュウトイレ",
     "Kameyama Castle Tamon Yagura Toilet", "本丸町", "576", "多門櫓北側駐車場", "1", "1",
     "1", "1", "有", "有", "", "", "24時間利用可"),
    ("西野公園公衆トイレ（野球場）", "ニシノコウエンコウシュウトイレヤキュウジョウ",
     "Nishino Park Toilet (Ballpark)", "西丸町", "1-2", "野球場一塁側", "2", "2", "1", "1",
     "無", "無", "06:00", "21:00", ""),
    ("西野公園公衆トイレ（テニスコート）", "ニシノコウエンコウシュウトイレテニスコート",
     "Nishino Park Toilet (Tennis Courts)", "西丸町", "1-3", "テニスコート南側", "1", "1",
     "1", "1", "有", "無", "06:00", "21:00", ""),
    ("東野公園公衆トイレ（グラウンド）", "ヒガシノコウエンコウシュウトイレグラウンド",
     "Higashino Park Toilet (Ground)", "東御幸町", "92-1", "グラウンド東側", "2", "2", "1",
     "1", "有", "有", "06:00", "21:00", ""),
    ("東野公園公衆トイレ（遊具広場）", "ヒガシノコウエンコウシュウトイレユウグヒロバ",
     "Higashino Park Toilet (Playground)", "東御幸町", "92-2", "遊具広場横", "1", "1", "1",
     "1", "有", "無", "06:00", "21:00", ""),
    ("関宿 西の追分休憩施設トイレ", "セキジュクニシノオイワケキュウケイシセツトイレ",
     "Sekijuku Nishi-no-Oiwake Rest Area Toilet", "関町新所", "1", "休憩施設内", "1", "1",
     "1", "1", "有", "有", "08:00", "18:00", ""),
    ("関宿 東の追分公衆トイレ", "セキジュクヒガシノオイワケコウシュウトイレ",
     "Sekijuku Higashi-no-Oiwake Public Toilet", "関町木崎", "1", "鳥居の南側", "1", "1", "1",
     "1", "有", "無", "08:00", "18:00", ""),
    ("関宿 中町公衆トイレ", "セキジュクナカマチコウシュウトイレ",
     "Sekijuku Nakamachi Public Toilet", "関町中町", "475", "町並み文化センター裏", "1", "2",
     "1", "1", "有", "有", "08:00", "18:00", ""),
    ("関宿 観光駐車場トイレ", "セキジュクカンコウチュウシャジョウトイレ",
     "Sekijuku Tourist Parking Toilet", "関町木崎", "2090", "第1駐車場西側", "2", "3", "1",
     "1", "有", "有", "", "", "24時間利用可"),
    ("道の駅 関宿 屋外トイレ", "ミチノエキセキジュクオクガイトイレ",
     "Roadside Station Sekijuku Outdoor Toilet", "関町新所", "674-2", "駐車場北側", "3", "4",
     "1", "1", "有", "有", "", "", "24時間利用可"),
    ("観音山公園公衆トイレ", "カンノンヤマコウエンコウシュウトイレ",
     "Kannonyama Park Public Toilet", "関町新所", "2080", "山頂広場", "1", "1", "0", "0", "無",
     "無", "08:00", "17:00", "冬期（12月から2月）は閉鎖"),
    ("関ロッジ前公衆トイレ", "セキロッジマエコウシュウトイレ", "Seki Lodge Public Toilet",
     "関町鷲山", "1457", "ロッジ入口横", "1", "1", "1", "1", "無", "無", "08:00", "20:00", ""),
    ("石水渓 第1駐車場トイレ", "セキスイケイダイイチチュウシャジョウトイレ",
     "Sekisuikei Parking Lot 1 Toilet", "安坂山町", "1520", "第1駐車場", "2", "2", "1", "1",
     "有", "無", "08:00", "18:00", "冬期（12月から3月）は閉鎖"),
    ("石水渓 キャンプ場トイレ", "セキスイケイキャンプジョウトイレ",
     "Sekisuikei Campsite Toilet", "安坂山町", "1530", "炊事棟横", "2", "2", "0", "0", "無",
     "無", "", "", "キャンプ場の営業期間（4月から11月）のみ"),
    ("鈴鹿峠 公衆トイレ", "スズカトウゲコウシュウトイレ", "Suzuka Pass Public Toilet",
     "関町坂下", "1569", "旧東海道 峠口", "1", "1", "0", "0", "無", "無", "08:00", "17:00", ""),
    ("坂下宿 公衆トイレ", "サカシタジュクコウシュウトイレ", "Sakashita-juku Public Toilet",
     "関町坂下", "580", "坂下宿案内板横", "1", "1", "1", "1", "無", "無", "08:00", "18:00", ""),
    ("筆捨山 展望所トイレ", "フデステヤマテンボウショトイレ",
     "Mt. Fudesute Observation Point Toilet", "関町沓掛", "2400", "展望所駐車場", "1", "1",
     "0", "0", "無", "無", "08:00", "17:00", ""),
    ("亀山サンシャインパーク公衆トイレ", "カメヤマサンシャインパークコウシュウトイレ",
     "Kameyama Sunshine Park Public Toilet", "布気町", "1555", "芝生広場入口", "2", "2", "1",
     "1", "有", "有", "08:30", "17:00", "月曜日（祝日の場合は翌日）休園"),
    ("野登寺 参道トイレ", "ノボリジサンドウトイレ", "Noboriji Temple Approach Toilet",
     "安坂山町", "2138", "参道駐車場", "1", "1", "0", "0", "無", "無", "08:00", "17:00", "",
     ),
    ("野村一里塚 公衆トイレ", "ノムライチリヅカコウシュウトイレ",
     "Nomura Ichirizuka Public Toilet", "野村", "一丁目10-4", "一里塚東側", "1", "1", "1", "1",
     "無", "無", "", "", "24時間利用可"),
    ("和田一里塚 公衆トイレ", "ワダイチリヅカコウシュウトイレ", "Wada Ichirizuka Public Toilet",
     "和田町", "1566", "一里塚広場", "1", "1", "0", "0", "無", "無", "", "", "24時間利用可"),
    ("能褒野 歴史の森トイレ", "ノボノレキシノモリトイレ", "Nobono History Forest Toilet",
     "田村町", "1409", "駐車場横", "1", "1", "1", "1", "無", "無", "08:00", "18:00", ""),
    ("井田川河川敷公園トイレ", "イダガワカセンジキコウエントイレ",
     "Idagawa Riverside Park Toilet", "井田川町", "750", "河川敷広場", "1", "1", "0", "0", "無",
     "無", "06:00", "20:00", "増水時は閉鎖"),
    ("川崎ふれあい広場トイレ", "カワサキフレアイヒロバトイレ", "Kawasaki Fureai Plaza Toilet",
     "川崎町", "4520", "広場東側", "1", "1", "1", "1", "有", "無", "06:00", "21:00", ""),
    ("みずほ台中央公園トイレ", "ミズホダイチュウオウコウエントイレ",
     "Mizuhodai Central Park Toilet", "みずほ台", "2-1", "公園中央", "1", "1", "1", "1", "有",
     "無", "06:00", "21:00", ""),
    ("南野公園トイレ", "ミナミノコウエントイレ", "Minamino Park Toilet", "南野町", "10-3",
     "公園北側", "1", "1", "0", "0", "無", "無", "06:00", "21:00", ""),
    ("亀山市文化会館 屋外トイレ", "カメヤマシブンカカイカンオクガイトイレ",
     "Kameyama Culture Hall Outdoor Toilet", "東御幸町", "39-8", "第2駐車場", "1", "1", "1",
     "1", "有", "有", "07:00", "22:00", ""),
    ("加太 梶ヶ坂公園トイレ", "カブトカジガサカコウエントイレ", "Kabuto Kajigasaka Park Toilet",
     "加太梶ヶ坂", "402", "公園入口", "1", "1", "0", "0", "無", "無", "08:00", "18:00", ""),
    ("太岡寺 河川公園トイレ", "タイコウジカセンコウエントイレ", "Taikoji Riverside Park Toilet",
     "太岡寺町", "880", "駐車場横", "1", "1", "1", "1", "無", "無", "06:00", "20:00", ""),
    ("小野 ふれあいの森トイレ", "オノフレアイノモリトイレ", "Ono Fureai Forest Toilet",
     "小野町", "1201", "森の入口", "1", "1", "0", "0", "無", "無", "08:00", "17:00", ""),
    ("昼生 多目的広場トイレ", "ヒルオタモクテキヒロバトイレ", "Hiruo Multipurpose Field Toilet",
     "三寺町", "921", "広場西側", "1", "1", "1", "1", "無", "無", "07:00", "19:00", ""),
)
# fmt: on


def _toilet_row(n: int, values: tuple[str, ...]) -> Row:
    (
        name,
        kana,
        en,
        town,
        banchi,
        where,
        men,
        women,
        shared,
        bf,
        baby,
        ostomy,
        opens,
        closes,
        note,
    ) = values
    row = _located(n, name, kana, en, town, banchi)
    m, w = int(men), int(women)
    row.update(
        {
            "設置位置": where,
            "男性トイレ総数": str(m + max(1, m)),
            "男性トイレ数（小便器）": str(max(1, m)),
            "男性トイレ数（和式）": "1" if m > 1 else "0",
            "男性トイレ数（洋式）": str(m - 1 if m > 1 else m),
            "女性トイレ総数": women,
            "女性トイレ数（和式）": "1" if w > 2 else "0",
            "女性トイレ数（洋式）": str(w - 1 if w > 2 else w),
            "男女共用トイレ総数": shared,
            "男女共用トイレ数（和式）": "0",
            "男女共用トイレ数（洋式）": shared,
            "バリアフリートイレ数": bf,
            "車椅子使用者用トイレ有無": "有" if bf != "0" else "無",
            "乳幼児用設備設置トイレ有無": baby,
            "オストメイト設置トイレ有無": ostomy,
            "利用開始時間": opens,
            "利用終了時間": closes,
            "利用可能時間特記事項": note,
        }
    )
    return row


def public_toilets() -> list[Row]:
    return [_toilet_row(n, values) for n, values in enumerate(_TOILETS, start=1)]


# ---------------------------------------------------------------------------------------
# 子育て施設一覧
# (name, kana, English, type, town, 番地, telephone, capacity, ages, opens, closes, days,
#  一時預かり, 延長保育, note)
# fmt: off
_CHILDCARE: tuple[tuple[str, ...], ...] = (
    ("亀山市立亀山保育所", "カメヤマシリツカメヤマホイクショ", "Kameyama Nursery", "保育所",
     "東町", "一丁目3-5", "0595-82-1270", "120", "0歳から5歳", "07:30", "18:30", "月火水木金土",
     "有", "有", ""),
    ("亀山市立和田保育園", "カメヤマシリツワダホイクエン", "Wada Nursery", "保育所", "和田町",
     "1488-72", "0595-82-3363", "90", "6か月から5歳", "07:30", "18:30", "月火水木金土", "無", "有",
     ""),
    ("亀山市立井田川保育所", "カメヤマシリツイダガワホイクショ", "Idagawa Nursery", "保育所",
     "井田川町", "340", "0595-85-0210", "75", "1歳から5歳", "07:30", "18:30", "月火水木金土", "無",
     "有", ""),
    ("亀山市立川崎保育所", "カメヤマシリツカワサキホイクショ", "Kawasaki Nursery", "保育所",
     "川崎町", "4630", "0595-85-0155", "90", "6か月から5歳", "07:30", "18:30", "月火水木金土", "有",
     "有", ""),
    ("亀山市立関保育所", "カメヤマシリツセキホイクショ", "Seki Nursery", "保育所", "関町木崎",
     "1060", "0595-96-0245", "80", "6か月から5歳", "07:30", "18:30", "月火水木金土", "有", "有", ""),
    ("みずほ台保育園", "ミズホダイホイクエン", "Mizuhodai Nursery", "保育所", "みずほ台", "8-2",
     "0595-85-3322", "100", "0歳から5歳", "07:00", "19:00", "月火水木金土", "有", "有",
     "社会福祉法人が運営"),
    ("のぼの森保育園", "ノボノモリホイクエン", "Nobono Forest Nursery", "保育所", "田村町",
     "1720", "0595-83-1100", "60", "0歳から5歳", "07:00", "19:00", "月火水木金土", "有", "有",
     "社会福祉法人が運営"),
    ("亀山市立亀山幼稚園", "カメヤマシリツカメヤマヨウチエン", "Kameyama Kindergarten",
     "幼稚園", "西丸町", "6-3", "0595-82-0261", "140", "3歳から5歳", "08:30", "14:00", WEEKDAYS,
     "無", "無", "預かり保育は17:00まで"),
    ("亀山市立関幼稚園", "カメヤマシリツセキヨウチエン", "Seki Kindergarten", "幼稚園",
     "関町木崎", "1045", "0595-96-0042", "70", "4歳から5歳", "08:30", "14:00", WEEKDAYS, "無",
     "無", "預かり保育は17:00まで"),
    ("亀山あおぞら認定こども園", "カメヤマアオゾラニンテイコドモエン",
     "Kameyama Aozora Certified Center for Early Childhood Education and Care",
     "認定こども園", "羽若町", "612-1", "0595-83-2525", "150", "0歳から5歳", "07:00", "19:00",
     "月火水木金土", "有", "有", "学校法人が運営（幼保連携型）"),
    ("せきのまち認定こども園", "セキノマチニンテイコドモエン",
     "Sekinomachi Certified Center for Early Childhood Education and Care", "認定こども園",
     "関町新所", "1880", "0595-96-3030", "110", "0歳から5歳", "07:00", "19:00", "月火水木金土",
     "有", "有", "社会福祉法人が運営"),
    ("亀山市子育て支援センター", "カメヤマシコソダテシエンセンター",
     "Kameyama Childcare Support Center", "地域子育て支援拠点", "羽若町", "545",
     "0595-84-3318", "", "0歳から就学前", "09:00", "16:00", WEEKDAYS + "土", "無", "無",
     "総合保健福祉センター内。親子で自由に遊べます"),
    ("関子育て支援センター", "セキコソダテシエンセンター", "Seki Childcare Support Center",
     "地域子育て支援拠点", "関町木崎", "919-1", "0595-96-1133", "", "0歳から就学前", "09:00",
     "16:00", WEEKDAYS, "無", "無", "関文化交流センター内"),
    ("亀山市児童センター", "カメヤマシジドウセンター", "Kameyama Children's Center",
     "児童館", "野村", "一丁目2-1", "0595-82-2480", "", "0歳から18歳", "09:00", "18:00",
     "火水木金土日", "無", "無", ""),
    ("東小放課後児童クラブ", "ヒガシショウホウカゴジドウクラブ",
     "Higashi After-school Club", "放課後児童クラブ", "東丸町", "165", "0595-82-9201", "60",
     "小学1年から6年", "13:00", "19:00", WEEKDAYS + "土", "無", "無", "長期休業中は7:30から"),
    ("井田川放課後児童クラブ", "イダガワホウカゴジドウクラブ", "Idagawa After-school Club",
     "放課後児童クラブ", "井田川町", "355", "0595-85-1880", "40", "小学1年から6年", "13:00",
     "19:00", WEEKDAYS + "土", "無", "無", "長期休業中は7:30から"),
    ("関放課後児童クラブ", "セキホウカゴジドウクラブ", "Seki After-school Club",
     "放課後児童クラブ", "関町木崎", "1041", "0595-96-2355", "40", "小学1年から6年", "13:00",
     "19:00", WEEKDAYS + "土", "無", "無", "長期休業中は7:30から"),
    ("ファミリー・サポート・センターかめやま", "ファミリーサポートセンターカメヤマ",
     "Family Support Center Kameyama", "ファミリー・サポート・センター", "羽若町", "545",
     "0595-84-3319", "", "生後3か月から小学6年", "08:30", "17:15", WEEKDAYS, "有", "無",
     "会員登録が必要です"),
)
# fmt: on


def childcare_facilities() -> list[Row]:
    rows = []
    for n, values in enumerate(_CHILDCARE, start=1):
        (
            name,
            kana,
            en,
            kind,
            town,
            banchi,
            tel,
            capacity,
            ages,
            opens,
            closes,
            days,
            temp,
            extended,
            note,
        ) = values
        row = _located(n, name, kana, en, town, banchi)
        row.update(
            {
                "種別": kind,
                "電話番号": tel,
                "団体名": "亀山市" if name.startswith("亀山市") else "",
                "認可等年月日": "",
                "収容定員": capacity,
                "受入年齢": ages,
                "利用可能曜日": days_list(days),
                "開始時間": opens,
                "終了時間": closes,
                "利用可能日時特記事項": "祝日、年末年始は休み"
                + ("。延長保育あり" if extended == "有" else ""),
                "一時預かりの有無": temp,
                "URL": f"https://www.city.kameyama.demo/kosodate/shisetsu/{n:03d}.html",
                "備考": note,
            }
        )
        rows.append(row)
    return rows


# ---------------------------------------------------------------------------------------
# イベント一覧 (令和8年度)
# (name, kana, English, start, end, opens, closes, venue, town, 番地, fee, description,
#  capacity, entry deadline, how to enter, category)
# fmt: off
_EVENTS_FIRST_HALF: tuple[tuple[str, ...], ...] = (
    ("亀山公園 さくらまつり", "カメヤマコウエンサクラマツリ", "Kameyama Park Cherry Blossom Festival",
     "2026-04-04", "2026-04-05", "10:00", "16:00", "亀山公園", "本丸町", "1", "無料",
     "桜の下で地元の飲食店や和太鼓の演奏を楽しめます。", "", "", "", "祭り"),
    ("亀山城 多門櫓 特別公開", "カメヤマジョウタモンヤグラトクベツコウカイ",
     "Kameyama Castle Tamon Yagura Special Opening", "2026-05-03", "2026-05-05", "10:00",
     "16:00", "亀山城多門櫓", "本丸町", "576", "無料", "普段は入れない多門櫓の内部を公開します。",
     "", "", "", "文化"),
    ("亀山公園 菖蒲まつり", "カメヤマコウエンショウブマツリ", "Kameyama Park Iris Festival",
     "2026-06-06", "2026-06-14", "09:00", "17:00", "亀山公園 菖蒲園", "本丸町", "3", "無料",
     "約5,000株の花菖蒲が見ごろを迎えます。", "", "", "", "祭り"),
    ("親子で楽しむ 水辺の生きもの観察会", "オヤコデタノシムミズベノイキモノカンサツカイ",
     "Family Riverside Wildlife Watching", "2026-07-25", "2026-07-25", "09:30", "12:00",
     "石水渓", "安坂山町", "1520", "1人200円", "川の生きものを捕まえて観察します。",
     "30", "2026-07-15", "電話または市ホームページの申込フォーム", "子育て"),
    ("亀山夏まつり 納涼花火大会", "カメヤマナツマツリノウリョウハナビタイカイ",
     "Kameyama Summer Festival Fireworks", "2026-08-01", "2026-08-01", "18:00", "21:00",
     "西野公園", "西丸町", "1-1", "無料", "約2,000発の花火が夏の夜空を彩ります。", "", "", "",
     "祭り"),
    ("東海道関宿まつり", "トウカイドウセキジュクマツリ", "Tokaido Sekijuku Festival",
     "2026-07-18", "2026-07-19", "10:00", "21:00", "関宿 中町周辺", "関町中町", "482", "無料",
     "関の山車4基が宿場町を巡行します。", "", "", "", "祭り"),
    ("市民健康ウォーキング 旧東海道を歩こう", "シミンケンコウウォーキングキュウトウカイドウヲアルコウ",
     "Citizens' Walking Event on the Old Tokaido", "2026-09-27", "2026-09-27", "08:30",
     "12:30", "亀山市役所 集合", "本丸町", "577", "無料", "野村一里塚から関宿まで約8キロを歩きます。",
     "100", "2026-09-18", "長寿健康課へ電話", "健康"),
)
# fmt: on

# The second version changes the festival's hours and adds the second half of the year.
_SEKIJUKU_FESTIVAL_FIX = ("10:00", "21:30")
# fmt: off
_EVENTS_SECOND_HALF: tuple[tuple[str, ...], ...] = (
    ("亀山市民文化祭", "カメヤマシミンブンカサイ", "Kameyama Citizens' Culture Festival",
     "2026-10-31", "2026-11-03", "09:30", "16:30", "亀山市文化会館", "東御幸町", "39-8", "無料",
     "市民の文化団体による展示と舞台発表です。", "", "", "", "文化"),
    ("かめやまフードフェスタ", "カメヤマフードフェスタ", "Kameyama Food Festa", "2026-11-15",
     "2026-11-15", "10:00", "15:00", "東野公園", "東御幸町", "92", "無料",
     "亀山みそ焼きうどんなど市内の味が集まります。", "", "", "", "観光"),
    ("石水渓 紅葉ライトアップ", "セキスイケイコウヨウライトアップ", "Sekisuikei Autumn Leaves Light-up",
     "2026-11-14", "2026-11-29", "17:00", "20:30", "石水渓", "安坂山町", "1520", "無料",
     "渓谷の紅葉を夜間に照らします。", "", "", "", "観光"),
    ("冬の関宿 灯りの町並み", "フユノセキジュクアカリノマチナミ", "Sekijuku Winter Lanterns",
     "2026-12-12", "2026-12-13", "16:30", "20:00", "関宿", "関町中町", "482", "無料",
     "宿場の軒先に行灯をともします。", "", "", "", "観光"),
    ("親子クリスマスコンサート", "オヤコクリスマスコンサート", "Family Christmas Concert",
     "2026-12-20", "2026-12-20", "14:00", "15:30", "亀山市文化会館 中ホール", "東御幸町", "39-8",
     "大人500円、高校生以下無料", "0歳から入場できるコンサートです。", "300", "2026-12-10",
     "文化会館窓口または電話", "子育て"),
    ("亀山市成人式（二十歳のつどい）", "カメヤマシセイジンシキハタチノツドイ",
     "Coming-of-Age Ceremony", "2027-01-10", "2027-01-10", "13:30", "15:00", "亀山市文化会館",
     "東御幸町", "39-8", "無料", "対象者には案内状を送ります。", "", "", "", "行政"),
    ("亀山シティマラソン", "カメヤマシティマラソン", "Kameyama City Marathon", "2027-02-14",
     "2027-02-14", "09:00", "13:00", "西野公園", "西丸町", "1-1", "一般3,000円、中学生以下1,000円",
     "ハーフ、10キロ、親子ペアの部があります。", "1500", "2026-12-25", "大会ホームページから申込",
     "スポーツ"),
    ("ひな人形展 関宿のおひなさま", "ヒナニンギョウテンセキジュクノオヒナサマ",
     "Sekijuku Hina Doll Exhibition", "2027-02-20", "2027-03-08", "09:00", "16:30",
     "関まちなみ資料館", "関町中町", "482", "300円", "宿場の家々に伝わるひな人形を展示します。",
     "", "", "", "文化"),
)
# fmt: on


def _fee(text: str) -> str:
    """料金(基本) is a whole number of yen: the first amount in the text, 0 when free."""
    if text == "無料":
        return "0"
    amounts = re.findall(r"[0-9][0-9,]*", text)
    return amounts[0].replace(",", "") if amounts else ""


def _event_row(n: int, values: tuple[str, ...], *, hours: tuple[str, str] | None = None) -> Row:
    (
        name,
        kana,
        en,
        start,
        end,
        opens,
        closes,
        venue,
        town,
        banchi,
        fee,
        description,
        capacity,
        deadline,
        how,
        category,
    ) = values
    if hours is not None:
        opens, closes = hours
    # "亀山市文化会館 中ホール" is at the 文化会館.
    landmark = venue if venue in LANDMARKS else venue.split(" ")[0]
    row: Row = {
        "全国地方公共団体コード": LOCALGOV_CODE,
        "ID": _ident(n),
        "地方公共団体名": LOCALGOV_NAME,
        "イベント名": name,
        "イベント名_カナ": kana,
        "イベント名_英語": en,
        "開始日": start,
        "終了日": end,
        "開始時間": opens,
        "終了時間": closes,
        "開始日時特記事項": "雨天中止" if category in ("祭り", "スポーツ") else "",
        "説明": description,
        "料金(基本)": _fee(fee),
        "料金(詳細)": "" if fee == "無料" else fee,
        "連絡先名称": "亀山市 商工観光課",
        "連絡先電話番号": "0595-84-5049",
        "連絡先内線番号": "",
        "主催者": "亀山市" if category != "祭り" else "亀山市観光協会（デモ）",
        "場所名称": venue,
    }
    row.update(address(town, banchi))
    row["緯度"], row["経度"] = point(town, landmark)
    row.update(
        {
            "アクセス方法": "",
            "駐車場情報": "臨時駐車場あり" if category == "祭り" else "",
            "定員": capacity,
            "参加申込終了日": deadline,
            "参加申込終了時間": "17:00" if deadline else "",
            "参加申込方法": how,
            "URL": f"https://www.city.kameyama.demo/event/{start.replace('-', '')}.html",
            "備考": f"分類: {category}",
        }
    )
    return row


def events_first_half() -> list[Row]:
    return [_event_row(n, e) for n, e in enumerate(_EVENTS_FIRST_HALF, start=1)]


def events_whole_year() -> list[Row]:
    rows = []
    for n, values in enumerate(_EVENTS_FIRST_HALF + _EVENTS_SECOND_HALF, start=1):
        fix = _SEKIJUKU_FESTIVAL_FIX if values[0] == "東海道関宿まつり" else None
        rows.append(_event_row(n, values, hours=fix))
    return rows


# ---------------------------------------------------------------------------------------
# 地域・年齢別人口 (町名別、令和8年11月1日現在)
SURVEY_DATE = dt.date(2026, 11, 1)
AGE_BANDS = (*(f"{a}-{a + 4}歳" for a in range(0, 100, 5)), "100歳以上")
# Share of each 5-year band in a city like 亀山市 (both sexes), per mille.
_AGE_PROFILE = (36, 42, 45, 46, 48, 49, 50, 56, 61, 73, 70, 62, 59, 60, 72, 60, 46, 30, 14, 4, 1)
# (町名, total population, ageing: -2 young new town … +3 old mountain village)
# fmt: off
_TOWN_POPULATION: tuple[tuple[str, int, int], ...] = (
    ("本丸町", 747, 1), ("西丸町", 556, 1), ("東丸町", 503, 1), ("若山町", 1238, 0),
    ("西町", 440, 2), ("東町", 1029, 1), ("江ヶ室", 1545, 0), ("御幸町", 1137, 0),
    ("東御幸町", 1801, -1), ("栄町", 1975, -1), ("南野町", 1317, 0), ("羽若町", 2193, -1),
    ("野村", 2641, 0), ("天神", 963, 0), ("北町", 333, 1), ("和田町", 2869, -1),
    ("亀田町", 1677, 0), ("布気町", 1724, 0), ("太岡寺町", 638, 1), ("長明寺町", 477, 1),
    ("阿野田町", 1878, -1), ("田村町", 2082, -1), ("井田川町", 1420, 0), ("川崎町", 3176, 0),
    ("住山町", 900, 1), ("能褒野町", 590, 0), ("みずほ台", 1621, -2), ("楠平尾町", 389, 2),
    ("安坂山町", 697, 2), ("両尾町", 264, 3), ("小川町", 323, 2), ("小野町", 370, 2),
    ("下庄町", 1407, 1), ("三寺町", 353, 2), ("白木町", 569, 2), ("関町木崎", 1509, 1),
    ("関町新所", 1824, 0), ("関町中町", 424, 2), ("関町北裏", 284, 2), ("関町鷲山", 664, 1),
    ("関町萩原", 352, 2), ("関町久我", 498, 1), ("関町沓掛", 379, 2), ("関町坂下", 172, 3),
    ("関町市瀬", 210, 3), ("加太市場", 332, 3), ("加太中在家", 219, 3), ("加太北在家", 257, 3),
    ("加太板屋", 155, 3), ("加太向井", 119, 3), ("加太梶ヶ坂", 88, 3),
)
# fmt: on


def _split(total: int, weights: list[float]) -> list[int]:
    """``total`` split in proportion to ``weights`` (largest remainders, so it adds up)."""
    raw = [total * w / sum(weights) for w in weights]
    counts = [int(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: (counts[i] - raw[i], i))
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


def _male_share(band: int) -> float:
    """Men are about half up to 60; fewer at older ages."""
    if band < 12:
        return 0.51
    return max(0.26, 0.50 - (band - 11) * 0.024)


def population_by_town() -> list[Row]:
    rows = []
    for n, (town, total, ageing) in enumerate(_TOWN_POPULATION, start=1):
        weights = [
            share * (1 - 0.09 * ageing if band < 12 else 1 + 0.16 * ageing)
            for band, share in enumerate(_AGE_PROFILE)
        ]
        bands = _split(total, weights)
        row: Row = {
            "全国地方公共団体コード": LOCALGOV_CODE,
            "ID": _ident(n),
            "地方公共団体名": LOCALGOV_NAME,
            "調査年月日": SURVEY_DATE.isoformat(),
            "地域コード": f"{LOCALGOV_CODE}{n:03d}",
            "地域名": town,
        }
        men_total = women_total = 0
        counts: list[tuple[str, int, int]] = []
        for band, people in enumerate(bands):
            men = round(people * _male_share(band))
            counts.append((AGE_BANDS[band], men, people - men))
            men_total += men
            women_total += people - men
        row["総人口"] = str(total)
        row["男性"] = str(men_total)
        row["女性"] = str(women_total)
        for label, men, women in counts:
            row[f"{label}の男性"] = str(men)
            row[f"{label}の女性"] = str(women)
        rows.append(row)
    return rows


# fmt: off
POPULATION_HEADER = (
    "全国地方公共団体コード",
    "ID",
    "地方公共団体名",
    "調査年月日",
    "地域コード",
    "地域名",
    "総人口",
    "男性",
    "女性",
    *(f"{band}の{sex}" for band in AGE_BANDS for sex in ("男性", "女性")),
)
# fmt: on


# ---------------------------------------------------------------------------------------
# 観光施設一覧
# fmt: off
TOURIST_HEADER = (
    "全国地方公共団体コード", "ID", "地方公共団体名", "名称", "名称_カナ", "名称_英語",
    "POIコード", "所在地_全国地方公共団体コード", "所在地_連結表記", "所在地_都道府県", "所在地_市区町村", "所在地_町字",
    "所在地_番地以下", "建物名等(方書)", "緯度", "経度", "電話番号", "内線番号", "法人番号",
    "団体名", "利用可能曜日", "開始時間", "終了時間", "利用可能日時特記事項", "料金(基本)",
    "料金(詳細)", "説明", "説明_英語", "アクセス方法", "駐車場情報", "バリアフリー情報",
    "画像", "画像_ライセンス", "URL", "備考",
)
# fmt: on
# (name, kana, English, town, 番地, telephone, days, opens, closes, fee, description,
#  English description, access, parking, point)
# fmt: off
_TOURIST: tuple[tuple[str, ...], ...] = (
    ("関宿", "セキジュク", "Seki-juku Post Town", "関町中町", "482", "0595-96-1215", ALL_WEEK,
     "", "", "無料", "東海道47番目の宿場町。約1.8キロにわたり江戸時代の町並みが残ります。",
     "The 47th post town of the Tokaido with Edo-period streets along 1.8 km.",
     "JR関西本線 関駅から徒歩10分", "観光駐車場あり（無料）"),
    ("関まちなみ資料館", "セキマチナミシリョウカン", "Seki Townscape Museum", "関町中町",
     "482", "0595-96-2404", "火水木金土日", "09:00", "16:30", "300円",
     "町家を公開し、関宿の暮らしと町並み保存の歩みを紹介します。",
     "A restored townhouse showing life in Seki-juku.", "JR関西本線 関駅から徒歩12分", "関宿観光駐車場"),
    ("関宿旅籠玉屋歴史資料館", "セキジュクハタゴタマヤレキシシリョウカン",
     "Sekijuku Hatago Tamaya Museum", "関町中町", "444-1", "0595-96-0468", "火水木金土日",
     "09:00", "16:30", "300円", "江戸時代の旅籠の建物と道具を公開しています。",
     "An Edo-period inn open to visitors.", "JR関西本線 関駅から徒歩15分", "関宿観光駐車場"),
    ("関地蔵院", "セキジゾウイン", "Seki Jizoin Temple", "関町新所", "1173-2", "0595-96-0163",
     ALL_WEEK, "", "", "無料", "日本最古の地蔵菩薩といわれる本尊を祀る寺院です。",
     "A temple said to house Japan's oldest Jizo.", "JR関西本線 関駅から徒歩10分", "なし"),
    ("亀山城多門櫓", "カメヤマジョウタモンヤグラ", "Kameyama Castle Tamon Yagura", "本丸町",
     "576", "0595-83-3000", "土日", "10:00", "16:00", "無料",
     "三重県内に残る唯一の城郭建築。石垣の上に建つ櫓を公開します。",
     "The only castle building left in Mie Prefecture.", "JR亀山駅から徒歩15分", "亀山公園駐車場"),
    ("亀山市歴史博物館", "カメヤマシレキシハクブツカン", "Kameyama City History Museum",
     "若山町", "7-30", "0595-83-3000", "水木金土日月", "09:00", "17:00", "常設展200円",
     "亀山の歴史を古代から近代まで紹介します。", "Local history from ancient times.",
     "JR亀山駅から徒歩20分", "あり（無料）"),
    ("石水渓", "セキスイケイ", "Sekisuikei Valley", "安坂山町", "1520", "0595-85-0550",
     ALL_WEEK, "", "", "無料", "鈴鹿山脈のふもとの渓谷。夏は川遊び、秋は紅葉が楽しめます。",
     "A valley at the foot of the Suzuka Mountains.", "名阪国道 関ICから車で20分",
     "あり（無料、約200台）"),
    ("鈴鹿峠", "スズカトウゲ", "Suzuka Pass", "関町坂下", "1569", "0595-96-1215", ALL_WEEK,
     "", "", "無料", "旧東海道の難所。鏡岩や万人講常夜燈が残ります。",
     "A historic mountain pass on the old Tokaido.", "関宿から車で15分", "国道1号沿いに駐車場あり"),
    ("筆捨山", "フデステヤマ", "Mt. Fudesute", "関町沓掛", "2400", "0595-96-1215", ALL_WEEK,
     "", "", "無料", "狩野元信が描くのをあきらめたと伝わる奇岩の山です。",
     "A rocky hill that inspired a legend about a painter.", "関宿から車で10分",
     "展望所駐車場（10台）"),
    ("亀山公園", "カメヤマコウエン", "Kameyama Park", "本丸町", "1", "0595-84-5049", ALL_WEEK,
     "", "", "無料", "亀山城跡の公園。春は桜、初夏は花菖蒲が咲きます。",
     "A castle park with cherry blossoms and irises.", "JR亀山駅から徒歩15分", "あり（無料）"),
    ("亀山サンシャインパーク", "カメヤマサンシャインパーク", "Kameyama Sunshine Park",
     "布気町", "1555", "0595-82-9696", "火水木金土日", "08:30", "17:00", "無料",
     "芝生広場と遊具、太陽光発電の展示がある公園です。",
     "A park with lawns, playground equipment and a solar exhibit.", "JR亀山駅から車で10分",
     "あり（無料）"),
    ("野登寺", "ノボリジ", "Noboriji Temple", "安坂山町", "2138", "0595-85-0560", ALL_WEEK,
     "", "", "無料", "野登山の山頂近くにある古刹。ブナ林が広がります。",
     "An old temple near the top of Mt. Nobori.", "市街地から車で40分", "参道駐車場あり"),
    ("道の駅 関宿", "ミチノエキセキジュク", "Roadside Station Sekijuku", "関町新所", "674-2",
     "0595-96-2000", ALL_WEEK, "09:00", "18:00", "無料", "地元の野菜や名物の関の戸を買えます。",
     "Local produce and the famous Seki-no-to sweets.", "名阪国道 関ICからすぐ", "あり（無料）"),
)
# fmt: on


def tourist_facilities() -> list[Row]:
    rows = []
    for n, values in enumerate(_TOURIST, start=1):
        (
            name,
            kana,
            en,
            town,
            banchi,
            tel,
            days,
            opens,
            closes,
            fee,
            desc,
            desc_en,
            access,
            parking,
        ) = values
        row = _located(n, name, kana, en, town, banchi)
        row.update(
            {
                "電話番号": tel,
                "団体名": "亀山市" if fee == "無料" else "",
                "利用可能曜日": days_list(days),
                "開始時間": opens,
                "終了時間": closes,
                "利用可能日時特記事項": "" if opens else "見学自由",
                "料金(基本)": fee,
                "説明": desc,
                "説明_英語": desc_en,
                "アクセス方法": access,
                "駐車場情報": parking,
                "URL": f"https://www.city.kameyama.demo/kanko/spot/{n:03d}.html",
            }
        )
        rows.append(row)
    return rows


# ---------------------------------------------------------------------------------------
# 文化財一覧
# fmt: off
CULTURAL_HEADER = (
    "全国地方公共団体コード", "ID", "地方公共団体名", "名称", "名称_カナ", "名称_英語",
    "文化財分類", "種類", "場所名称", "所在地_全国地方公共団体コード", "所在地_連結表記", "所在地_都道府県", "所在地_市区町村",
    "所在地_町字", "所在地_番地以下", "建物名等(方書)", "緯度", "経度", "員数", "員数(単位)", "画像",
    "画像_ライセンス", "概要", "概要_英語", "説明", "説明_英語", "URL", "文化財指定日",
    "所有者等", "公開日", "公開開始時間", "公開終了時間", "公開時間特記事項", "バリアフリー情報",
    "備考",
)
# fmt: on
# (name, kana, English, 分類, 種類, place, town, 番地, count, unit, summary, designated, owner,
#  open days, point)
# fmt: off
_CULTURAL: tuple[tuple[str, ...], ...] = (
    ("関宿重要伝統的建造物群保存地区", "セキジュクジュウヨウデントウテキケンゾウブツグンホゾンチク",
     "Sekijuku Preservation District for Groups of Traditional Buildings", "国選定",
     "重要伝統的建造物群保存地区", "関宿", "関町中町", "一帯", "", "",
     "東海道の宿場町の町並み。約25ヘクタール。", "1984-12-10", "", ""),
    ("地蔵院本堂", "ジゾウインホンドウ", "Jizoin Main Hall", "国指定", "重要文化財（建造物）",
     "関地蔵院", "関町新所", "1173-2", "1", "棟", "元禄期に建てられた本堂。", "2003-12-25",
     "宗教法人（デモ）", ALL_WEEK),
    ("地蔵院愛染堂", "ジゾウインアイゼンドウ", "Jizoin Aizen Hall", "国指定",
     "重要文化財（建造物）", "関地蔵院", "関町新所", "1173-2", "1", "棟",
     "室町時代の様式を伝える堂。", "2003-12-25", "宗教法人（デモ）", ALL_WEEK),
    ("亀山城多門櫓", "カメヤマジョウタモンヤグラ", "Kameyama Castle Tamon Yagura", "県指定",
     "史跡", "亀山公園", "本丸町", "576", "1", "棟", "江戸時代前期の櫓。県内唯一の城郭建築。",
     "1953-02-21", "亀山市", "土日"),
    ("能褒野王塚古墳", "ノボノオウヅカコフン", "Nobono Otsuka Tumulus", "国指定", "史跡",
     "能褒野", "田村町", "1409", "1", "基", "県内最大級の前方後円墳。", "1981-03-14", "", ""),
    ("野村一里塚", "ノムライチリヅカ", "Nomura Milestone Mound", "国指定", "史跡",
     "旧東海道", "野村", "一丁目10-4", "1", "基", "旧東海道の一里塚。北側の塚と椋の木が残る。",
     "1934-01-22", "亀山市", ALL_WEEK),
    ("石水渓", "セキスイケイ", "Sekisuikei Valley", "市指定", "名勝", "石水渓", "安坂山町",
     "1520", "", "", "安楽川上流の渓谷。巨岩と清流の景観。", "1972-04-01", "", ALL_WEEK),
    ("関の山車", "セキノヤマ", "Seki Festival Floats", "市指定", "有形民俗文化財",
     "関宿 山車倉", "関町中町", "482", "4", "基", "関宿の夏祭りに曳かれる山車。", "1983-07-01",
     "関町山車保存会（デモ）", ""),
    ("関宿祇園夏まつり", "セキジュクギオンナツマツリ", "Sekijuku Gion Summer Festival", "市指定",
     "無形民俗文化財", "関宿", "関町中町", "482", "", "", "江戸時代から続く祇園祭。", "1990-04-01",
     "関町山車保存会（デモ）", ""),
    ("野登山のブナ林", "ノボリヤマノブナリン", "Beech Forest of Mt. Nobori", "県指定",
     "天然記念物", "野登山", "安坂山町", "2138", "", "", "標高の低い場所に残るブナの群落。",
     "1963-03-19", "", ALL_WEEK),
    ("旧舘家住宅", "キュウタテケジュウタク", "Former Tate Family Residence", "市指定",
     "有形文化財（建造物）", "関宿", "関町中町", "490", "1", "棟", "幕末の町家。", "1995-04-01",
     "亀山市", "火水木金土日"),
    ("太岡寺畷", "タイコウジナワテ", "Taikoji Nawate Causeway", "市指定", "史跡", "旧東海道",
     "太岡寺町", "880", "", "", "鈴鹿川沿いに約2キロ続いた東海道の畷道。", "1988-04-01", "", ""),
)
# fmt: on


def cultural_properties() -> list[Row]:
    rows = []
    for n, values in enumerate(_CULTURAL, start=1):
        (
            name,
            kana,
            en,
            level,
            kind,
            place,
            town,
            banchi,
            count,
            unit,
            summary,
            designated,
            owner,
            days,
        ) = values
        row = _located(n, name, kana, en, town, banchi)
        row.update(
            {
                "文化財分類": level,
                "種類": kind,
                "場所名称": place,
                "員数": count,
                "員数(単位)": unit,
                "概要": summary,
                "文化財指定日": designated,
                "所有者等": owner,
                "公開日": days_list(days),
                "公開時間特記事項": "外観のみ見学自由" if not days else "",
                "URL": f"https://www.city.kameyama.demo/bunkazai/{n:03d}.html",
            }
        )
        rows.append(row)
    return rows


# ---------------------------------------------------------------------------------------
# ごみの分別方法一覧
# fmt: off
GARBAGE_HEADER = (
    "全国地方公共団体コード", "ID", "地方公共団体名", "地区名", "ゴミの品目", "ゴミの品目_カナ",
    "ゴミの品目_英字", "分別区分", "注意点", "備考", "粗大ごみ回収料金",
)
# fmt: on
# fmt: off
_GARBAGE: tuple[tuple[str, str, str, str, str, str], ...] = (
    ("生ごみ", "ナマゴミ", "Kitchen waste", "燃やすごみ", "水をよく切ってください", ""),
    ("紙おむつ", "カミオムツ", "Disposable diapers", "燃やすごみ", "汚物はトイレに流してください", ""),
    ("衣類", "イルイ", "Clothes", "資源物（古布）", "汚れたものは燃やすごみへ", ""),
    ("新聞紙", "シンブンシ", "Newspapers", "資源物（古紙）", "ひもで十文字に縛ってください", ""),
    ("段ボール", "ダンボール", "Cardboard", "資源物（古紙）", "たたんでひもで縛ってください", ""),
    ("雑誌・本", "ザッシホン", "Magazines and books", "資源物（古紙）", "ひもで縛ってください", ""),
    ("牛乳パック", "ギュウニュウパック", "Milk cartons", "資源物（古紙）", "洗って開いて乾かしてください", ""),
    ("アルミ缶", "アルミカン", "Aluminium cans", "資源物（缶）", "中をすすいでください", ""),
    ("スチール缶", "スチールカン", "Steel cans", "資源物（缶）", "中をすすいでください", ""),
    ("スプレー缶", "スプレーカン", "Spray cans", "有害ごみ", "中身を使い切り、穴は開けないでください", ""),
    ("びん（無色）", "ビンムショク", "Clear glass bottles", "資源物（びん）", "キャップを外してすすいでください", ""),
    ("びん（茶色）", "ビンチャイロ", "Brown glass bottles", "資源物（びん）", "キャップを外してすすいでください", ""),
    ("ペットボトル", "ペットボトル", "PET bottles", "資源物（ペットボトル）", "キャップとラベルを外してください", ""),
    ("プラスチック製容器包装", "プラスチックセイヨウキホウソウ", "Plastic packaging",
     "資源物（プラ）", "汚れを落としてください", "プラマークが目印"),
    ("発泡スチロール", "ハッポウスチロール", "Polystyrene foam", "資源物（プラ）", "汚れたものは燃やすごみへ", ""),
    ("乾電池", "カンデンチ", "Dry batteries", "有害ごみ", "透明な袋に入れてください", ""),
    ("蛍光管", "ケイコウカン", "Fluorescent tubes", "有害ごみ", "割らずに購入時のケースに入れてください", ""),
    ("体温計（水銀）", "タイオンケイスイギン", "Mercury thermometers", "有害ごみ", "割れないように包んでください", ""),
    ("ライター", "ライター", "Lighters", "有害ごみ", "中身を使い切ってください", ""),
    ("陶磁器", "トウジキ", "Ceramics", "埋立ごみ", "割れたものは紙に包んでください", ""),
    ("ガラス食器", "ガラスショッキ", "Glass tableware", "埋立ごみ", "割れたものは紙に包んでください", ""),
    ("金属製のなべ・やかん", "キンゾクセイノナベヤカン", "Metal pots and kettles", "資源物（金属）", "", ""),
    ("傘", "カサ", "Umbrellas", "埋立ごみ", "", ""),
    ("小型家電", "コガタカデン", "Small appliances", "資源物（小型家電）",
     "回収ボックス（市役所、関支所）へ", "データは消去してください"),
    ("スマートフォン", "スマートフォン", "Smartphones", "資源物（小型家電）",
     "回収ボックス（市役所、関支所）へ", "データは消去してください"),
    ("剪定枝", "センテイエダ", "Pruned branches", "燃やすごみ", "長さ50センチ以下に束ねてください", ""),
    ("草・落ち葉", "クサオチバ", "Grass and leaves", "燃やすごみ", "土を落として乾かしてください", ""),
    ("食用油", "ショクヨウアブラ", "Cooking oil", "燃やすごみ", "紙や布に染み込ませてください", ""),
    ("自転車", "ジテンシャ", "Bicycles", "粗大ごみ", "", ""),
    ("たんす", "タンス", "Chests of drawers", "粗大ごみ", "", ""),
    ("布団", "フトン", "Futons", "粗大ごみ", "", ""),
    ("カーペット", "カーペット", "Carpets", "粗大ごみ", "", ""),
    ("ソファー", "ソファー", "Sofas", "粗大ごみ", "", ""),
    ("テレビ", "テレビ", "Televisions", "市では収集しません",
     "家電リサイクル法の対象です。購入店か指定引取場所へ", ""),
    ("冷蔵庫", "レイゾウコ", "Refrigerators", "市では収集しません",
     "家電リサイクル法の対象です。購入店か指定引取場所へ", ""),
    ("エアコン", "エアコン", "Air conditioners", "市では収集しません",
     "家電リサイクル法の対象です。購入店か指定引取場所へ", ""),
    ("パソコン", "パソコン", "Personal computers", "市では収集しません", "メーカーの回収を利用してください", ""),
    ("タイヤ", "タイヤ", "Tyres", "市では収集しません", "販売店に相談してください", ""),
)
# fmt: on
_BULKY_FEES = {
    "自転車": "500",
    "たんす": "1000",
    "布団": "500",
    "カーペット": "500",
    "ソファー": "1000",
}


def garbage_sorting() -> list[Row]:
    rows = []
    for n, (item, kana, en, category, caution, remarks) in enumerate(_GARBAGE, start=1):
        rows.append(
            {
                "全国地方公共団体コード": LOCALGOV_CODE,
                "ID": _ident(n),
                "地方公共団体名": LOCALGOV_NAME,
                "地区名": "全域",
                "ゴミの品目": item,
                "ゴミの品目_カナ": kana,
                "ゴミの品目_英字": en,
                "分別区分": category,
                "注意点": caution,
                "備考": remarks,
                "粗大ごみ回収料金": _BULKY_FEES.get(item, ""),
            }
        )
    return rows


# ---------------------------------------------------------------------------------------
# 医療機関一覧
# fmt: off
MEDICAL_HEADER = (
    "全国地方公共団体コード", "ID", "地方公共団体名", "名称", "名称_カナ", "名称_英語",
    "医療機関の種類", "所在地_全国地方公共団体コード", "所在地_連結表記", "所在地_都道府県", "所在地_市区町村", "所在地_町字",
    "所在地_番地以下", "建物名等(方書)", "緯度", "経度", "電話番号", "FAX番号", "法人番号",
    "診療科目", "診療日", "診療開始時間", "診療終了時間", "診療日時特記事項", "時間外対応",
    "病床数", "URL", "画像", "画像_ライセンス", "備考",
)
# fmt: on
# (name, kana, English, type, town, 番地, telephone, departments, days, opens, closes, note,
#  beds)
# fmt: off
_MEDICAL: tuple[tuple[str, ...], ...] = (
    ("亀山市立医療センター", "カメヤマシリツイリョウセンター", "Kameyama City Medical Center",
     "病院", "亀田町", "466-1", "0595-83-0990", "内科;外科;整形外科;小児科;眼科;リハビリテーション科",
     WEEKDAYS, "08:30", "11:30", "受付は11:30まで", "100"),
    ("野村ファミリークリニック", "ノムラファミリークリニック", "Nomura Family Clinic", "診療所",
     "野村", "三丁目8-2", "0595-82-1212", "内科;小児科", "月火水金土", "09:00", "18:00",
     "木曜・日曜・祝日休診、土曜は12:00まで", ""),
    ("髙橋内科クリニック", "タカハシナイカクリニック", "Takahashi Internal Medicine Clinic",
     "診療所", "野村", "三丁目5-12", "0595-83-1560", "内科;循環器内科", "月火水金土", "09:00",
     "18:00", "木曜・日曜・祝日休診", ""),
    ("みゆき整形外科", "ミユキセイケイゲカ", "Miyuki Orthopaedics", "診療所", "御幸町", "210-3",
     "0595-82-7788", "整形外科;リハビリテーション科", "月火水金土", "09:00", "18:30",
     "木曜午後・日曜・祝日休診", ""),
    ("関宿こどもクリニック", "セキジュクコドモクリニック", "Sekijuku Children's Clinic", "診療所",
     "関町新所", "1210", "0595-96-3131", "小児科", "月火水木金", "09:00", "18:00",
     "土曜は予防接種のみ（予約制）", ""),
    ("井田川眼科", "イダガワガンカ", "Idagawa Eye Clinic", "診療所", "井田川町", "420-2",
     "0595-85-2020", "眼科", "月火水金土", "09:00", "18:00", "木曜・日曜休診", ""),
    ("川崎内科・消化器科", "カワサキナイカショウカキカ", "Kawasaki Internal Medicine",
     "診療所", "川崎町", "4810", "0595-85-1515", "内科;消化器内科", "月火水木金", "08:30",
     "17:30", "土曜・日曜休診", "19"),
    ("さかえ皮ふ科", "サカエヒフカ", "Sakae Dermatology", "診療所", "栄町", "1488-15",
     "0595-82-4141", "皮膚科", "月火水金土", "09:30", "18:30", "木曜・日曜休診", ""),
    ("和田耳鼻咽喉科", "ワダジビインコウカ", "Wada ENT Clinic", "診療所", "和田町", "1511",
     "0595-82-8282", "耳鼻咽喉科", "月火水金土", "09:00", "18:00", "木曜・日曜休診", ""),
    ("みずほ台レディースクリニック", "ミズホダイレディースクリニック",
     "Mizuhodai Women's Clinic", "診療所", "みずほ台", "6-12", "0595-85-4040", "産婦人科",
     "月火水木金", "09:00", "17:00", "土曜は午前のみ", "12"),
    ("髙木歯科医院", "タカギシカイイン", "Takagi Dental Clinic", "歯科診療所", "栄町",
     "1488-210", "0595-82-6480", "歯科;小児歯科", "月火水金土", "09:00", "19:00", "木曜・日曜休診",
     ""),
    ("東丸歯科クリニック", "ヒガシマルシカクリニック", "Higashimaru Dental Clinic", "歯科診療所",
     "東丸町", "210", "0595-82-3030", "歯科;矯正歯科", "月火水木金土", "09:30", "19:00",
     "日曜・祝日休診", ""),
    ("関デンタルオフィス", "セキデンタルオフィス", "Seki Dental Office", "歯科診療所",
     "関町木崎", "1512", "0595-96-1818", "歯科", "月火水金土", "09:00", "18:00",
     "木曜・日曜休診", ""),
    ("加太診療所", "カブトシンリョウジョ", "Kabuto Clinic", "診療所", "加太市場", "1850",
     "0595-98-0022", "内科", "火金", "09:00", "12:00", "市の委託による出張診療（デモ）", ""),
)
# fmt: on


def medical_institutions() -> list[Row]:
    rows = []
    for n, values in enumerate(_MEDICAL, start=1):
        (name, kana, en, kind, town, banchi, tel, departments, days, opens, closes, note, beds) = (
            values
        )
        row = _located(n, name, kana, en, town, banchi)
        row.update(
            {
                "医療機関の種類": kind,
                "電話番号": tel,
                "診療科目": departments,
                "診療日": days_list(days),
                "診療開始時間": opens,
                "診療終了時間": closes,
                "診療日時特記事項": note,
                "時間外対応": "救急外来あり（24時間）" if kind == "病院" else "",
                "病床数": beds,
                "URL": "",
            }
        )
        rows.append(row)
    return rows


# ---------------------------------------------------------------------------------------
# 公衆無線LANアクセスポイント一覧
# fmt: off
WIFI_HEADER = (
    "全国地方公共団体コード", "ID", "地方公共団体名", "名称", "名称_カナ", "名称_英語",
    "所在地_全国地方公共団体コード", "所在地_連結表記", "所在地_都道府県", "所在地_市区町村", "所在地_町字", "所在地_番地以下",
    "建物名等(方書)", "緯度", "経度", "設置者", "電話番号", "SSID", "URL", "利用開始時間",
    "利用終了時間", "利用可能時間特記事項", "画像", "画像_ライセンス", "備考",
)
# fmt: on
# fmt: off
_WIFI: tuple[tuple[str, ...], ...] = (
    ("亀山市役所", "カメヤマシヤクショ", "Kameyama City Hall", "本丸町", "577", "1階 市民ロビー",
     "08:30", "17:15"),
    ("亀山市関支所", "カメヤマシセキシショ", "Seki Branch Office", "関町木崎", "919-1",
     "1階 ロビー", "08:30", "17:15"),
    ("亀山市立図書館", "カメヤマシリツトショカン", "Kameyama City Library", "御幸町", "263-1",
     "館内全域", "09:30", "19:00"),
    ("亀山駅前 観光案内所", "カメヤマエキマエカンコウアンナイジョ",
     "Kameyama Station Tourist Information", "御幸町", "235-4", "案内所と駅前広場", "", ""),
    ("関宿 まちなみ文化センター", "セキジュクマチナミブンカセンター",
     "Sekijuku Townscape Culture Center", "関町中町", "475", "館内と前の通り", "09:00", "16:30"),
    ("道の駅 関宿", "ミチノエキセキジュク", "Roadside Station Sekijuku", "関町新所", "674-2",
     "物産館と駐車場", "", ""),
    ("亀山市歴史博物館", "カメヤマシレキシハクブツカン", "Kameyama City History Museum",
     "若山町", "7-30", "1階 ロビー", "09:00", "17:00"),
    ("亀山市文化会館", "カメヤマシブンカカイカン", "Kameyama Culture Hall", "東御幸町", "39-8",
     "1階 ロビー", "09:00", "22:00"),
    ("亀山市総合保健福祉センター", "カメヤマシソウゴウホケンフクシセンター",
     "Kameyama Health and Welfare Center", "羽若町", "545", "1階 ロビー", "08:30", "17:15"),
    ("石水渓 管理棟", "セキスイケイカンリトウ", "Sekisuikei Valley Management Lodge",
     "安坂山町", "1522", "管理棟周辺", "09:00", "16:30"),
    ("西野公園体育館", "ニシノコウエンタイイクカン", "Nishino Park Gymnasium", "西丸町", "1-1",
     "アリーナとロビー", "09:00", "21:00"),
    ("亀山中学校 体育館", "カメヤマチュウガッコウタイイクカン",
     "Kameyama Junior High School Gymnasium", "野村", "二丁目1-1", "体育館（避難所開設時のみ）",
     "", ""),
)
# fmt: on


def public_wifi() -> list[Row]:
    rows = []
    for n, (name, kana, en, town, banchi, where, opens, closes) in enumerate(_WIFI, start=1):
        row = _located(n, name, kana, en, town, banchi, building=where)
        shelter_only = "避難所" in where
        row.update(
            {
                "設置者": "亀山市",
                "電話番号": "0595-84-5024",
                "SSID": "00000JAPAN" if shelter_only else "KAMEYAMA_Free_Wi-Fi",
                "URL": "https://www.city.kameyama.demo/wifi/",
                "利用開始時間": opens,
                "利用終了時間": closes,
                "利用可能時間特記事項": (
                    "災害時に開放" if shelter_only else ("" if opens else "24時間利用可")
                ),
                "備考": "1回60分、1日4回まで" if not shelter_only else "",
            }
        )
        rows.append(row)
    return rows


# ---------------------------------------------------------------------------------------
# 一般会計当初予算（款別）: thousands of yen, FY2024-2026
# fmt: off
BUDGET_HEADER = (
    "全国地方公共団体コード", "地方公共団体名", "会計", "区分", "款番号", "款",
    "令和6年度当初予算額(千円)", "令和7年度当初予算額(千円)", "令和8年度当初予算額(千円)",
    "前年度比較増減(千円)", "備考",
)
# fmt: on
# fmt: off
_REVENUE: tuple[tuple[str, int, int, int], ...] = (
    ("市税", 11_284_000, 11_512_000, 11_603_000),
    ("地方譲与税", 268_000, 271_000, 274_000),
    ("利子割交付金", 4_000, 5_000, 6_000),
    ("配当割交付金", 52_000, 58_000, 61_000),
    ("地方消費税交付金", 1_312_000, 1_348_000, 1_366_000),
    ("地方特例交付金", 86_000, 402_000, 88_000),
    ("地方交付税", 1_620_000, 1_705_000, 1_742_000),
    ("分担金及び負担金", 142_000, 139_000, 136_000),
    ("使用料及び手数料", 318_000, 322_000, 325_000),
    ("国庫支出金", 3_456_000, 3_602_000, 3_688_000),
    ("県支出金", 1_498_000, 1_541_000, 1_573_000),
    ("財産収入", 38_000, 41_000, 43_000),
    ("寄附金", 120_000, 150_000, 180_000),
    ("繰入金", 1_180_000, 1_062_000, 1_255_000),
    ("繰越金", 300_000, 300_000, 300_000),
    ("諸収入", 432_000, 441_000, 447_000),
    ("市債", 1_870_000, 1_596_000, 1_913_000),
)
# fmt: on
# fmt: off
_EXPENDITURE_WEIGHTS: tuple[tuple[str, int], ...] = (
    ("議会費", 11), ("総務費", 118), ("民生費", 382), ("衛生費", 98), ("労働費", 3),
    ("農林水産業費", 22), ("商工費", 27), ("土木費", 102), ("消防費", 52), ("教育費", 109),
    ("災害復旧費", 1), ("公債費", 69), ("予備費", 6),
)
# fmt: on


def general_account_budget() -> list[Row]:
    totals = (
        sum(r[1] for r in _REVENUE),
        sum(r[2] for r in _REVENUE),
        sum(r[3] for r in _REVENUE),
    )
    rows: list[Row] = []

    def add(kind: str, number: int, item: str, amounts: tuple[int, int, int], note: str) -> None:
        rows.append(
            {
                "全国地方公共団体コード": LOCALGOV_CODE,
                "地方公共団体名": LOCALGOV_NAME,
                "会計": "一般会計",
                "区分": kind,
                "款番号": str(number) if number else "",
                "款": item,
                "令和6年度当初予算額(千円)": str(amounts[0]),
                "令和7年度当初予算額(千円)": str(amounts[1]),
                "令和8年度当初予算額(千円)": str(amounts[2]),
                "前年度比較増減(千円)": str(amounts[2] - amounts[1]),
                "備考": note,
            }
        )

    for number, (item, fy2024, fy2025, fy2026) in enumerate(_REVENUE, start=1):
        add("歳入", number, item, (fy2024, fy2025, fy2026), "")
    add("歳入", 0, "歳入合計", totals, "")
    weights = [w for _, w in _EXPENDITURE_WEIGHTS]
    per_year = [_split(t // 1000, [float(w) for w in weights]) for t in totals]
    for number, (item, _weight) in enumerate(_EXPENDITURE_WEIGHTS, start=1):
        spent = [per_year[y][number - 1] * 1000 for y in range(3)]
        add("歳出", number, item, (spent[0], spent[1], spent[2]), "")
    add("歳出", 0, "歳出合計", totals, "歳入合計と一致")
    return rows


def iter_all() -> Iterator[tuple[str, list[Row]]]:
    """Every row set by a short name (for checks while building)."""
    yield "public-facilities", public_facilities()
    yield "evacuation-sites", evacuation_sites()
    yield "aed", aed()
    yield "public-toilets", public_toilets()
    yield "childcare-facilities", childcare_facilities()
    yield "events", events_whole_year()
    yield "population-by-town", population_by_town()
    yield "tourist-facilities", tourist_facilities()
    yield "cultural-properties", cultural_properties()
    yield "garbage-sorting", garbage_sorting()
    yield "medical-institutions", medical_institutions()
    yield "public-wifi", public_wifi()
    yield "general-account-budget", general_account_budget()
