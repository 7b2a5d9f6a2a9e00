"""The problems the validator reports: stable codes, severity and bilingual wording.

Messages are kept here, in Japanese and English side by side, rather than in gettext
catalogues: a stored report must read the same whatever language the reader has chosen,
and the publisher's staff often forward it to a vendor who reads English.

Templates use ``str.format`` fields. Every problem has ``column`` and ``value``; the other
fields are listed next to each code. ``fix_with`` is used instead of ``fix`` when the
validator can suggest the corrected value (``{suggestion}``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

Severity = Literal["error", "warning", "info"]
SEVERITIES: Final[tuple[Severity, ...]] = ("error", "warning", "info")


@dataclass(frozen=True, slots=True)
class Wording:
    ja: str
    en: str


@dataclass(frozen=True, slots=True)
class CodeSpec:
    severity: Severity
    message: Wording
    fix: Wording
    fix_with: Wording | None = None


def _w(ja: str, en: str) -> Wording:
    return Wording(ja, en)


_SAVE_AS_CSV = _w(
    "表計算ソフトで開き、「CSV UTF-8（コンマ区切り）」形式で保存し直してください。",
    "Open it in your spreadsheet program and save it as 'CSV UTF-8 (comma delimited)'.",
)
_USE_SUGGESTION = _w("「{suggestion}」と入力してください。", "Enter '{suggestion}'.")

CODES: Final[dict[str, CodeSpec]] = {
    # --- the file as a whole ------------------------------------------------------------
    "file.empty": CodeSpec(
        "error",
        _w("ファイルが空です。", "The file is empty."),
        _w(
            "見出し行とデータの行がある CSV ファイルを選んでください。",
            "Choose a CSV file with a header row and rows of data.",
        ),
    ),
    "file.not-csv": CodeSpec(  # kind_ja, kind_en
        "error",
        _w("CSV ファイルではありません（{kind_ja}）。", "This is not a CSV file ({kind_en})."),
        _SAVE_AS_CSV,
    ),
    "file.no-rows": CodeSpec(
        "warning",
        _w("見出し行だけで、データの行がありません。", "There is a header row but no data."),
        _w("データの行を入れてください。", "Add the rows of data."),
    ),
    "encoding.unknown": CodeSpec(  # line: where the first byte UTF-8 cannot read is
        "error",
        _w(
            "文字コードを判別できません。UTF-8 としても Shift_JIS（CP932）としても読めない文字が"
            "あります（{line}行目付近）。",
            "The character encoding is not recognised: the file is neither UTF-8 nor "
            "Shift_JIS (CP932); there is an unreadable character near line {line}.",
        ),
        _w(
            "文字コードを UTF-8 にして保存し直してください。",
            "Save the file again with the UTF-8 encoding.",
        ),
    ),
    "encoding.utf16": CodeSpec(
        "error",
        _w("UTF-16 で保存されたファイルです。", "The file is saved as UTF-16."),
        _SAVE_AS_CSV,
    ),
    "encoding.cp932": CodeSpec(
        "info",
        _w(
            "文字コードは Shift_JIS（CP932）です。正しく読み込みました。",
            "The character encoding is Shift_JIS (CP932); the file was read correctly.",
        ),
        _w(
            "公開するときは、どの環境でも文字化けしにくい UTF-8 を勧めます。",
            "For publishing, UTF-8 is recommended: it reads correctly everywhere.",
        ),
    ),
    "ragged-row": CodeSpec(  # cells, header_count
        "error",
        _w(
            "この行のセルは {cells} 個で、見出しの {header_count} 個と数が合いません。",
            "This row has {cells} cells but the header has {header_count}.",
        ),
        _w(
            "区切りのコンマの数を確かめてください。値にコンマや改行を含むときは、値全体を"
            '「"」で囲みます。',
            "Check the commas in this row. A value containing a comma or a line break must "
            'be enclosed in double quotes (").',
        ),
    ),
    "blank-row": CodeSpec(
        "warning",
        _w("空の行です。", "This row is empty."),
        _w("空の行を削除してください。", "Delete the empty row."),
    ),
    # --- headers ------------------------------------------------------------------------
    "header.blank": CodeSpec(  # column_number
        "error",
        _w("{column_number}列目の見出しが空です。", "Column {column_number} has no header."),
        _w(
            "見出しを入力するか、使わない列なら削除してください。",
            "Enter a header, or delete the column if it is not used.",
        ),
    ),
    "header.duplicate": CodeSpec(  # first
        "error",
        _w(
            "見出し「{column}」が{first}列目と重複しています。",
            "The header '{column}' repeats column {first}.",
        ),
        _w(
            "同じ列を一つにまとめるか、別の見出しにしてください。",
            "Merge the two columns or give one of them another header.",
        ),
    ),
    "header.missing": CodeSpec(  # level_ja, level_en, english_name
        "error",
        _w(
            "{level_ja}の列「{column}」がありません。",
            "The {level_en} column '{column}' ({english_name}) is missing.",
        ),
        _w("列「{column}」を追加してください。", "Add a column headed '{column}'."),
    ),
    "header.unknown": CodeSpec(  # schema_title, schema_title_en
        "info",
        _w(
            "列「{column}」は「{schema_title}」の標準にない列です。",
            "The column '{column}' is not part of the standard '{schema_title_en}'.",
        ),
        _w(
            "標準の列のつづりが違うなら直してください。独自の列ならこのままで構いません。",
            "If it is a standard column spelt differently, correct the header; an extra "
            "column of your own can stay.",
        ),
    ),
    "header.normalised": CodeSpec(  # field
        "info",
        _w(
            "見出し「{column}」を、全角・半角や番号を整えて「{field}」として読みました。",
            "The header '{column}' was read as '{field}' after normalising its characters "
            "or numbering.",
        ),
        _w("見出しを「{field}」と書いてください。", "Write the header as '{field}'."),
    ),
    "header.misspelt": CodeSpec(  # field
        "warning",
        _w(
            "見出し「{column}」は「{field}」の書き誤りとして読みました。",
            "The header '{column}' was taken as a misspelling of '{field}'.",
        ),
        _w("見出しを「{field}」に直してください。", "Correct the header to '{field}'."),
    ),
    "header.legacy-name": CodeSpec(  # field
        "warning",
        _w(
            "見出し「{column}」は旧「推奨データセット」の名前です。現行の標準では「{field}」です。",
            "The header '{column}' is the name used by the older Recommended Data Sets "
            "(推奨データセット); the current standard calls it '{field}'.",
        ),
        _w("見出しを「{field}」に直してください。", "Rename the header to '{field}'."),
    ),
    "header.order": CodeSpec(
        "info",
        _w("列の並びが標準の順序と違います。", "The columns are not in the standard order."),
        _w(
            "定義書の順に並べると、ほかの自治体のデータと合わせやすくなります。",
            "Ordering them as in the standard makes the file easier to combine with other "
            "municipalities' data.",
        ),
    ),
    "layout.legacy": CodeSpec(  # schema_title, legacy_number
        "warning",
        _w(
            "旧「推奨データセット」（{legacy_number} {schema_title}）の列構成です。",
            "The file uses the layout of the older Recommended Data Sets (推奨データセット): "
            "{legacy_number} {schema_title_en}.",
        ),
        _w(
            "現行の「自治体標準オープンデータセット」の列構成に変換してください"
            "（NO→ID、住所→所在地_連結表記、都道府県名＋市区町村名→地方公共団体名 など）。",
            "Convert it to the current layout of the Local Government Standard Open Data Set "
            "(自治体標準オープンデータセット) and rename its columns (NO → ID, 住所 → "
            "所在地_連結表記, 都道府県名 + 市区町村名 → 地方公共団体名 …).",
        ),
    ),
    "layout.unknown": CodeSpec(
        "info",
        _w(
            "どの標準データセットの列構成とも一致しないため、共通の確認（文字コード、行の形、"
            "全角数字、和暦、機種依存文字）だけを行いました。",
            "The columns match no standard dataset, so only the general checks (encoding, "
            "row shape, full-width digits, Japanese-era dates, platform-dependent characters) "
            "were made.",
        ),
        _w(
            "標準データセットのファイルなら、スキーマを指定するとすべての列を確認できます。",
            "If this is a standard dataset, choose its schema to check every column.",
        ),
    ),
    "layout.ambiguous": CodeSpec(
        "info",
        _w(
            "現行の列構成ですが、どの標準データセットかを見出しから決められないため、共通項目"
            "（名称、所在地、緯度・経度など）だけを確認しました。",
            "The file uses the current layout, but its headers do not tell which standard "
            "dataset it is, so only the shared columns (name, address, coordinates …) were "
            "checked.",
        ),
        _w(
            "スキーマを指定すると、すべての列を確認できます。",
            "Choose the schema to check every column.",
        ),
    ),
    # --- cells --------------------------------------------------------------------------
    "required.missing": CodeSpec(
        "error",
        _w("必須項目「{column}」が空です。", "The required column '{column}' is empty."),
        _w("値を入力してください。", "Enter a value."),
    ),
    "type.integer": CodeSpec(
        "error",
        _w(
            "「{column}」の値「{value}」は整数ではありません。",
            "'{value}' in '{column}' is not a whole number.",
        ),
        _w("半角数字だけで入力してください（例: 12）。", "Use digits only, for example 12."),
        _USE_SUGGESTION,
    ),
    "type.number": CodeSpec(
        "error",
        _w(
            "「{column}」の値「{value}」は数値ではありません。",
            "'{value}' in '{column}' is not a number.",
        ),
        _w(
            "半角数字と小数点で入力してください（例: 34.855714）。",
            "Use digits and a decimal point, for example 34.855714.",
        ),
        _USE_SUGGESTION,
    ),
    "type.date": CodeSpec(
        "error",
        _w(
            "「{column}」の値「{value}」は日付として読めません。",
            "'{value}' in '{column}' cannot be read as a date.",
        ),
        _w(
            "西暦の YYYY-MM-DD 形式で入力してください（例: 2024-04-01）。",
            "Write dates as YYYY-MM-DD, for example 2024-04-01.",
        ),
        _USE_SUGGESTION,
    ),
    "type.time": CodeSpec(
        "error",
        _w(
            "「{column}」の値「{value}」は時刻として読めません。",
            "'{value}' in '{column}' cannot be read as a time.",
        ),
        _w(
            "24時間表記の hh:mm 形式で入力してください（例: 09:00）。",
            "Write times as hh:mm on the 24-hour clock, for example 09:00.",
        ),
        _USE_SUGGESTION,
    ),
    "wareki-date": CodeSpec(
        "error",
        _w(
            "「{column}」の値「{value}」は和暦で書かれていて、機械では日付として読めません。",
            "'{value}' in '{column}' is a Japanese-era date, which machines cannot read.",
        ),
        _w(
            "西暦の YYYY-MM-DD 形式で入力してください（例: 2024-04-01）。",
            "Write the date as YYYY-MM-DD, for example 2024-04-01.",
        ),
        _w("「{suggestion}」と入力してください。", "Enter '{suggestion}'."),
    ),
    "excel-serial-date": CodeSpec(
        "error",
        _w(
            "「{column}」の値「{value}」は Excel の日付のシリアル値のようです。",
            "'{value}' in '{column}' looks like an Excel date serial number.",
        ),
        _w(
            "西暦の YYYY-MM-DD 形式で入力してください。",
            "Write the date as YYYY-MM-DD.",
        ),
        _USE_SUGGESTION,
    ),
    "fullwidth-digits": CodeSpec(
        "error",
        _w(
            "「{column}」の値「{value}」に全角の数字が含まれています。",
            "'{value}' in '{column}' contains full-width digits.",
        ),
        _w("半角の数字で入力してください。", "Use half-width (ASCII) digits."),
        _w("半角で「{suggestion}」と入力してください。", "Enter '{suggestion}' in ASCII."),
    ),
    "constraint.enum": CodeSpec(  # allowed_ja, allowed_en
        "error",
        _w(
            "「{column}」の値「{value}」は使える値（{allowed_ja}）のどれでもありません。",
            "'{value}' in '{column}' is not one of the allowed values ({allowed_en}).",
        ),
        _w("{allowed_ja}のどれかを入力してください。", "Enter one of {allowed_en}."),
        _USE_SUGGESTION,
    ),
    "constraint.pattern": CodeSpec(  # pattern
        "error",
        _w(
            "「{column}」の値「{value}」が決められた形式（{pattern}）に合いません。",
            "'{value}' in '{column}' does not have the required form ({pattern}).",
        ),
        _w(
            "半角英数字など、決められた形式で入力してください。",
            "Enter it in the required form (for example, ASCII letters and digits only).",
        ),
        _USE_SUGGESTION,
    ),
    "constraint.minimum": CodeSpec(  # minimum
        "error",
        _w(
            "「{column}」の値「{value}」が最小値 {minimum} より小さくなっています。",
            "'{value}' in '{column}' is below the minimum of {minimum}.",
        ),
        _w("{minimum} 以上の値を入力してください。", "Enter {minimum} or more."),
    ),
    "constraint.maximum": CodeSpec(  # maximum
        "error",
        _w(
            "「{column}」の値「{value}」が最大値 {maximum} を超えています。",
            "'{value}' in '{column}' is above the maximum of {maximum}.",
        ),
        _w("{maximum} 以下の値を入力してください。", "Enter {maximum} or less."),
    ),
    "latitude.range": CodeSpec(
        "error",
        _w(
            "緯度「{value}」が日本の範囲（北緯20度から46度）にありません。",
            "The latitude {value} is outside Japan (20 to 46 degrees north).",
        ),
        _w(
            "十進法の度で入力してください（例: 34.855714）。緯度と経度が入れ替わっていないかも"
            "確かめてください。",
            "Enter decimal degrees, for example 34.855714, and check that latitude and "
            "longitude are not swapped.",
        ),
    ),
    "longitude.range": CodeSpec(
        "error",
        _w(
            "経度「{value}」が日本の範囲（東経122度から154度）にありません。",
            "The longitude {value} is outside Japan (122 to 154 degrees east).",
        ),
        _w(
            "十進法の度で入力してください（例: 136.451728）。緯度と経度が入れ替わっていないかも"
            "確かめてください。",
            "Enter decimal degrees, for example 136.451728, and check that latitude and "
            "longitude are not swapped.",
        ),
    ),
    "localgov-code.format": CodeSpec(
        "error",
        _w(
            "「{column}」の値「{value}」は6桁の全国地方公共団体コードではありません。",
            "'{value}' in '{column}' is not a 6-digit local government code.",
        ),
        _w(
            "検査数字を含む6桁の半角数字で入力してください（例: 242101）。",
            "Enter the 6 digits including the check digit, for example 242101.",
        ),
    ),
    "localgov-code.leading-zero": CodeSpec(
        "error",
        _w(
            "「{column}」の値「{value}」は、先頭の0が抜けた全国地方公共団体コードのようです。",
            "'{value}' in '{column}' looks like a local government code that lost its "
            "leading zero.",
        ),
        _w("「0」から始まる6桁で入力してください。", "Enter all 6 digits, starting with 0."),
        _w(
            "「{suggestion}」と入力してください（表計算ソフトは先頭の0を消すことがあるので、"
            "文字列として保存します）。",
            "Enter '{suggestion}' (spreadsheets drop leading zeros; store it as text).",
        ),
    ),
    "localgov-code.check-digit": CodeSpec(  # expected
        "error",
        _w(
            "全国地方公共団体コード「{value}」の検査数字（6桁目）が正しくありません。"
            "最初の5桁からは {expected} になります。",
            "The check digit (6th digit) of the local government code {value} is wrong: "
            "the first five digits give {expected}.",
        ),
        _w(
            "総務省の全国地方公共団体コードの一覧で確かめてください。",
            "Look the code up in the official list of local government codes.",
        ),
    ),
    "corporate-number.format": CodeSpec(
        "error",
        _w(
            "「{column}」の値「{value}」は13桁の法人番号ではありません。",
            "'{value}' in '{column}' is not a 13-digit corporate number.",
        ),
        _w("13桁の半角数字で入力してください。", "Enter the 13 digits."),
    ),
    "corporate-number.check-digit": CodeSpec(
        "error",
        _w(
            "法人番号「{value}」の検査用数字（1桁目）が正しくありません。",
            "The check digit (first digit) of the corporate number {value} is wrong.",
        ),
        _w(
            "国税庁法人番号公表サイトで確かめてください。",
            "Look the number up on the National Tax Agency's corporate number site.",
        ),
    ),
    "phone.format": CodeSpec(
        "warning",
        _w(
            "「{column}」の値「{value}」は電話番号として読めません。",
            "'{value}' in '{column}' cannot be read as a telephone number.",
        ),
        _w(
            "市外局番から、ハイフン区切りで一つだけ入力してください（例: 0595-82-1111）。",
            "Enter one number, with the area code and hyphens, for example 0595-82-1111.",
        ),
        _USE_SUGGESTION,
    ),
    "postal-code.format": CodeSpec(
        "error",
        _w(
            "「{column}」の値「{value}」は7桁の郵便番号ではありません。",
            "'{value}' in '{column}' is not a 7-digit postal code.",
        ),
        _w(
            "ハイフンなしの7桁の半角数字で入力してください（例: 5190195）。",
            "Enter 7 digits without a hyphen, for example 5190195.",
        ),
        _USE_SUGGESTION,
    ),
    "kana.halfwidth": CodeSpec(
        "warning",
        _w(
            "「{column}」の値「{value}」に半角カナが含まれています。",
            "'{value}' in '{column}' contains half-width katakana.",
        ),
        _w("全角カタカナで入力してください。", "Use full-width katakana."),
        _w("全角カタカナで「{suggestion}」と入力してください。", "Enter '{suggestion}'."),
    ),
    "kana.invalid": CodeSpec(
        "warning",
        _w(
            "「{column}」の値「{value}」は全角カタカナだけで書かれていません。",
            "'{value}' in '{column}' is not written in full-width katakana only.",
        ),
        _w(
            "読みを全角カタカナで入力してください（例: カメヤマシヤクショ）。",
            "Enter the reading in full-width katakana (for example カメヤマシヤクショ).",
        ),
        _w("全角カタカナで「{suggestion}」と入力してください。", "Enter '{suggestion}'."),
    ),
    "format.uri": CodeSpec(
        "error",
        _w(
            "「{column}」の値「{value}」は URL（http:// または https:// で始まるアドレス）では"
            "ありません。",
            "'{value}' in '{column}' is not a URL starting with http:// or https://.",
        ),
        _w(
            "https:// から始まるアドレスを入力してください。",
            "Enter the full address starting with https://.",
        ),
        _USE_SUGGESTION,
    ),
    "format.email": CodeSpec(
        "error",
        _w(
            "「{column}」の値「{value}」はメールアドレスではありません。",
            "'{value}' in '{column}' is not an e-mail address.",
        ),
        _w(
            "半角で、メールアドレスを一つだけ入力してください（例: info@example.lg.jp）。",
            "Enter one address in ASCII, for example info@example.lg.jp.",
        ),
    ),
    "duplicate-id": CodeSpec(  # rows_ja, rows_en
        "error",
        _w(
            "「{column}」の値「{value}」が重複しています（{rows_ja}）。",
            "'{value}' in '{column}' is used more than once (rows {rows_en}).",
        ),
        _w(
            "行ごとに異なる値を付けてください。",
            "Give every row a different value.",
        ),
    ),
    "platform-char": CodeSpec(  # chars
        "warning",
        _w(
            "「{column}」の値「{value}」に機種依存文字（{chars}）が含まれています。",
            "'{value}' in '{column}' contains platform-dependent characters ({chars}).",
        ),
        _w(
            "機種依存文字を使わずに書いてください。",
            "Write it without platform-dependent characters.",
        ),
        _w(
            "「{suggestion}」のように書き換えてください。",
            "Write it as '{suggestion}'.",
        ),
    ),
    "formula-cell": CodeSpec(
        "warning",
        _w(
            "「{column}」の値「{value}」は表計算ソフトで数式として実行されます。",
            "'{value}' in '{column}' would run as a formula in a spreadsheet.",
        ),
        _w(
            "数式ではなく文字として書いてください（先頭の =、+、-、@ を外すか、"
            "前に ' を付けます）。",
            "Write it as text, not a formula: remove the leading =, +, - or @, or put ' before it.",
        ),
        _w(
            "「{suggestion}」のように書き換えてください。",
            "Write it as '{suggestion}'.",
        ),
    ),
    "whitespace": CodeSpec(
        "info",
        _w(
            "「{column}」の値「{value}」の前後に空白があります。",
            "'{value}' in '{column}' has spaces before or after it.",
        ),
        _w("前後の空白を削除してください。", "Delete the spaces around the value."),
        _w(
            "前後の空白を削除して「{suggestion}」としてください。",
            "Delete the surrounding spaces: '{suggestion}'.",
        ),
    ),
}

#: Problems that stop the validator: nothing else can be checked.
FATAL_CODES: Final = frozenset({"file.empty", "file.not-csv", "encoding.unknown", "encoding.utf16"})
