"""Reading uploads: encodings, BOM, not-a-CSV, empty files, ragged and blank rows."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from machi.opendata.validation import UnreadableFileError, read_table, validate_bytes

DATA = Path(__file__).parent / "data" / "validation"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)


def _xlsx() -> bytes:
    """A (minimal) Excel workbook: a ZIP with the xl/ parts."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", "<worksheet/>")
    return buffer.getvalue()


def _codes(content: bytes) -> list[str]:
    return [p.code for p in validate_bytes(content).problems]


def test_cp932_with_nec_and_ibm_characters_is_decoded_correctly() -> None:
    text = "名称,営業時間,備考\n㈱亀山①髙橋,営業時間9:00～17:00,関\n"
    content = text.encode("cp932")
    with pytest.raises(UnicodeDecodeError):
        content.decode("shift_jis")  # the trap the validator avoids
    frame, encoding, has_bom = read_table(content)
    assert (encoding, has_bom) == ("cp932", False)
    assert frame.row(0) == ("㈱亀山①髙橋", "営業時間9:00～17:00", "関")
    report = validate_bytes(content)
    assert report.encoding == "cp932" and report.readable
    info = report.problems_with("encoding.cp932")
    assert info and info[0].severity == "info"
    assert "Shift_JIS（CP932）" in info[0].message_ja


def test_utf8_with_bom_is_reported_with_the_bom_flag() -> None:
    content = (DATA / "public-toilets-current.csv").read_bytes()
    assert content.startswith(b"\xef\xbb\xbf")
    frame, encoding, has_bom = read_table(content)
    assert (encoding, has_bom) == ("utf-8", True)
    assert frame.columns[0] == "全国地方公共団体コード"  # the BOM is not part of the header
    report = validate_bytes(content)
    assert (report.encoding, report.has_bom, report.rows) == ("utf-8", True, 3)
    assert report.valid and report.problems == []


def test_plain_utf8_without_bom() -> None:
    frame, encoding, has_bom = read_table("名称,住所\n亀山市役所,本丸町577\n".encode())
    assert (encoding, has_bom) == ("utf-8", False)
    assert frame.to_dicts() == [{"名称": "亀山市役所", "住所": "本丸町577"}]


def test_a_file_that_is_neither_utf8_nor_cp932_is_refused_with_the_line() -> None:
    content = "名称,住所\n亀山,本丸町\n".encode() + b"\x85\x40,x\n"
    with pytest.raises(UnreadableFileError) as exc:
        read_table(content)
    assert exc.value.code == "encoding.unknown"
    report = validate_bytes(content)
    assert not report.readable and not report.valid
    [problem] = report.problems
    assert problem.code == "encoding.unknown" and problem.severity == "error"
    assert "3行目付近" in problem.message_ja and "near line 3" in problem.message_en
    assert report.encoding is None


def test_a_bom_says_utf8_so_bad_bytes_after_it_are_not_read_as_cp932() -> None:
    content = b"\xef\xbb\xbf" + "名称,住所\n".encode("cp932")
    report = validate_bytes(content)
    assert [p.code for p in report.problems] == ["encoding.unknown"]


def test_cp932_whose_first_japanese_byte_is_after_150_kb() -> None:
    ascii_rows = "".join(f"{n},facility-{n:06d},34.85,136.45\n" for n in range(6000))
    assert len(ascii_rows) > 150_000
    text = "ID,名称,緯度,経度\n" + ascii_rows + "6000,亀山市役所,34.85,136.45\n"
    content = text.encode("cp932")
    assert content.index("亀".encode("cp932")) > 150_000
    frame, encoding, _bom = read_table(content)
    assert encoding == "cp932"
    assert frame.columns == ["ID", "名称", "緯度", "経度"]
    assert frame.row(-1) == ("6000", "亀山市役所", "34.85", "136.45")
    assert validate_bytes(content).encoding == "cp932"


def test_utf8_broken_far_into_the_file_is_not_taken_for_utf8() -> None:
    good = "ID,名称\n" + "".join(f"{n},亀山{n}\n" for n in range(20000))
    content = good.encode() + b"20000,\xe4\xba\n"  # a character cut in half
    report = validate_bytes(content)
    assert report.encoding is None  # not read as CP932 nonsense either
    [problem] = report.problems
    assert problem.code == "encoding.unknown"
    assert "20002行目付近" in problem.message_ja


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (PNG, "png"),
        (_xlsx(), "xlsx"),
        (b"PK\x03\x04" + b"\x00" * 40, "zip"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "xls"),
        (b"%PDF-1.7\n", "pdf"),
        (b"<!DOCTYPE html><html><body>404</body></html>", "html"),
        ("名称\t住所\n亀山\t本丸町\n".encode(), "tsv"),
        ("名称;住所\n亀山;本丸町\n".encode(), "semicolon"),
        ("亀山市のトイレ一覧です\n".encode(), "no-delimiter"),
        (b"a,b\x00c\n", "binary"),
    ],
)
def test_not_a_csv(content: bytes, kind: str) -> None:
    report = validate_bytes(content)
    assert not report.readable and not report.valid
    [problem] = report.problems
    assert (problem.code, problem.value, problem.severity) == ("file.not-csv", kind, "error")
    assert "CSV ファイルではありません" in problem.message_ja
    assert "CSV UTF-8" in problem.fix_ja
    with pytest.raises(UnreadableFileError):
        read_table(content)


def test_utf16_is_named_as_such() -> None:
    content = "名称,住所\n亀山,本丸町\n".encode("utf-16")
    assert _codes(content) == ["encoding.utf16"]
    assert _codes("名称,住所\n".encode("utf-16-le")) == ["encoding.utf16"]


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf", b"\r\n\r\n", b"   \n"])
def test_empty_file(content: bytes) -> None:
    report = validate_bytes(content)
    assert [p.code for p in report.problems] == ["file.empty"]
    assert not report.valid and report.size == len(content)


def test_header_only_is_a_warning_not_an_error() -> None:
    report = validate_bytes("名称,住所\n".encode())
    assert report.valid
    assert "file.no-rows" in report.by_code


def test_ragged_rows_are_reported_with_their_row_numbers() -> None:
    text = (
        "名称,住所,電話番号\n亀山,本丸町,0595-82-1111\n関,関町\n"
        "坂下,坂下,0595-96-0000,余分\n加太,加太,0595-98-0000\n"
    )
    report = validate_bytes(text.encode())
    ragged = report.problems_with("ragged-row")
    assert [(p.row, p.value) for p in ragged] == [(3, "2"), (4, "4")]
    assert "見出しの 3 個" in ragged[0].message_ja and "the header has 3" in ragged[0].message_en
    assert not report.valid
    frame, _encoding, _bom = read_table(text.encode())
    assert frame.row(1) == ("関", "関町", None)  # missing cell
    assert frame.row(2) == ("坂下", "坂下", "0595-96-0000")  # extra cell dropped


def test_quoted_values_with_commas_and_line_breaks_count_as_one_row() -> None:
    text = (
        '名称,備考,電話番号\n"亀山, 本庁","1階\n2階",0595-82-1111\n'
        '"関""支所""",関町,0595-96-1211\n坂下,x\n'
    )
    report = validate_bytes(text.encode())
    assert [(p.row, p.value) for p in report.problems_with("ragged-row")] == [(4, "2")]
    frame, _encoding, _bom = read_table(text.encode())
    assert frame.get_column("名称").to_list() == ["亀山, 本庁", '関"支所"', "坂下"]
    assert frame.get_column("備考").to_list()[0] == "1階\n2階"


def test_quoted_commas_on_single_lines_take_the_fast_path() -> None:
    text = '名称,備考\n"亀山, 本庁",ok\n"関",x,y\n'
    report = validate_bytes(text.encode())
    assert [(p.row, p.value) for p in report.problems_with("ragged-row")] == [(3, "3")]


def test_blank_rows_and_blank_lines_before_the_header() -> None:
    text = "\n\n名称,住所\n亀山,本丸町\n,\n\n関,関町\n"
    report = validate_bytes(text.encode())
    assert sorted(p.row for p in report.problems_with("blank-row")) == [1, 2, 5, 6]
    assert report.problems_with("ragged-row") == []
    assert report.rows == 4


def test_unterminated_quote_does_not_stop_the_validator() -> None:
    report = validate_bytes('名称,住所\n"亀山,本丸町\n関,関町\n'.encode())
    assert report.readable


def test_classic_mac_line_endings() -> None:
    frame, _encoding, _bom = read_table("名称,住所\r亀山,本丸町\r関,関町\r".encode())
    assert frame.height == 2


def test_blank_and_duplicate_headers() -> None:
    text = "名称,,住所,名称,\n亀山,x,本丸町,亀山,\n"
    report = validate_bytes(text.encode())
    blank = report.problems_with("header.blank")
    assert [(p.row, p.column_number, p.severity) for p in blank] == [
        (1, 2, "error"),  # has data
        (1, 5, "warning"),  # an empty trailing column
    ]
    [duplicate] = report.problems_with("header.duplicate")
    assert (duplicate.row, duplicate.column, duplicate.column_number) == (1, "名称", 4)
    assert "1列目と重複" in duplicate.message_ja
    frame, _encoding, _bom = read_table(text.encode())
    assert frame.columns == ["名称", "column_2", "住所", "名称_2", "column_5"]
