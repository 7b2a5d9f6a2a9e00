"""A step with a file that applies after an answer on the same step (like 犬の登録's
狂犬病予防注射済証) and a choice below it, sent through the pages with scripts off; and
furigana typed in hiragana.

A chosen file is never dropped without a word: when another answer on the step is missing
it stays attached, a refused file is reported with its reason only, and the fields the
page re-renders after an answer still list it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation

from machi.core.formdef.definition import Field
from machi.core.formdef.fieldtypes import FieldInvalid, parse_value
from machi.procedures.models import Attachment, Draft
from machi.procedures.services.catalog import form_definition_publish
from machi.testing.applications import (
    Catalog,
    error_summary,
    make_resident,
    png_bytes,
    signed_in,
    start,
)

pytestmark = pytest.mark.django_db

MEGABYTE = 1024 * 1024
FORM = {
    "format": "machi-form/1",
    "steps": [
        {
            "key": "vaccine",
            "title": "狂犬病予防注射",
            "fields": [
                {"key": "kana", "type": "kana", "label": "フリガナ", "required": True},
                {
                    "key": "vaccinated",
                    "type": "radio",
                    "label": "今年度の注射",
                    "required": True,
                    "choices": [{"value": "yes", "label": "済"}, {"value": "no", "label": "未"}],
                },
                {
                    "key": "cert",
                    "type": "file",
                    "label": "注射済証",
                    "show_if": {"field": "vaccinated", "equals": "yes"},
                    "required": True,
                    "max_files": 2,
                    "max_size_mb": 1,
                },
                {
                    "key": "pickup",
                    "type": "radio",
                    "label": "受け取り場所",
                    "required": True,
                    "choices": [
                        {"value": "main", "label": "本庁"},
                        {"value": "seki", "label": "関"},
                    ],
                },
            ],
        }
    ],
    "computed": [
        {
            "key": "fee",
            "label": "手数料",
            "kind": "yen",
            "expr": {
                "if": {"when": {"field": "vaccinated", "equals": "yes"}, "then": 550, "else": 0}
            },
        }
    ],
}


class Step:
    def __init__(self, client: Client, base: str, version: int) -> None:
        self.client, self.base, self.version = client, base, version

    @property
    def draft(self) -> Draft:
        return Draft.objects.get(pk=self.base.rsplit("/", 1)[1])

    def post(self, path: str = "", **fields: Any) -> Any:
        data = {"form_version": str(self.version), "_action": "next"}
        data |= {f"f-{key}": value for key, value in fields.items()}
        return self.client.post(f"{self.base}/steps/vaccine/{path}", data)


@pytest.fixture
def step(catalog: Catalog) -> Step:
    form = form_definition_publish(actor=None, procedure=catalog.photo, definition=FORM)
    client = signed_in(make_resident(catalog.city))
    return Step(client, start(client, "photo"), form.version)


def photo(name: str = "注射済証.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes((40, 30)), content_type="image/png")


def problems(response: Any) -> list[str]:
    return [" ".join(p.split()) for p in error_summary(response)]


def test_file_sent_without_the_choice_below_it_stays_attached(step: Step) -> None:
    response = step.post(kana="カメヤマ", vaccinated="yes", cert=photo())

    assert response.status_code == 400
    assert problems(response) == ["受け取り場所: 受け取り場所を選択してください。"]
    page = response.content.decode()
    assert "注射済証.png" in page  # listed as attached, with a button to remove it
    attachment = Attachment.objects.get()
    assert step.draft.answers["cert"] == [str(attachment.pk)]
    assert "vaccine" not in step.draft.completed_steps

    # Choosing the place is all that is left to do: no file is asked for again.
    done = step.post(kana="カメヤマ", vaccinated="yes", pickup="main")
    assert done.status_code == 302, problems(done)
    assert done["Location"].endswith("/check/")
    check = step.client.get(done["Location"]).content.decode()
    assert "注射済証.png" in check
    assert step.draft.answers["cert"] == [str(attachment.pk)]


def test_file_chosen_before_the_answer_that_asks_for_it_stays_attached(step: Step) -> None:
    """Scripts off, every question is on the page: a file chosen first is not lost."""
    response = step.post(kana="カメヤマ", cert=photo())
    assert response.status_code == 400
    assert "注射済証.png" in response.content.decode()

    done = step.post(kana="カメヤマ", vaccinated="yes", pickup="seki")
    assert done.status_code == 302, problems(done)
    assert [a.name for a in Attachment.objects.all()] == ["注射済証.png"]


def test_refused_picture_is_reported_with_its_reason_only(step: Step) -> None:
    too_large = SimpleUploadedFile(
        "big.png", b"\x89PNG\r\n\x1a\n" + b"0" * (MEGABYTE + 10), content_type="image/png"
    )
    response = step.post(kana="カメヤマ", vaccinated="yes", pickup="main", cert=too_large)

    assert response.status_code == 400
    assert problems(response) == [
        "注射済証: ファイルが1 MBを超えています。"
        "小さいファイルを送るか、解像度を下げてスキャンしてください。"
    ]
    assert not Attachment.objects.exists()


def test_file_for_a_question_that_does_not_apply_is_not_stored(step: Step) -> None:
    response = step.post(kana="カメヤマ", vaccinated="no", pickup="main", cert=photo())
    assert response.status_code == 302, problems(response)
    assert not Attachment.objects.exists()
    assert "cert" not in step.draft.answers


def test_fields_rendered_again_after_an_answer_still_list_the_attached_file(
    step: Step,
) -> None:
    saved = step.post(kana="カメヤマ", vaccinated="yes", pickup="main", cert=photo())
    assert saved.status_code == 302, problems(saved)

    # Back on the step, the resident picks the other place: htmx asks for the fields again.
    refreshed = step.post("refresh/", kana="カメヤマ", vaccinated="yes", pickup="seki")
    assert refreshed.status_code == 200
    assert "注射済証.png" in refreshed.content.decode()


# --- Furigana ---


def test_furigana_typed_in_hiragana_is_stored_and_shown_in_katakana(step: Step) -> None:
    response = step.post(kana="かめやま　たろう", vaccinated="no", pickup="main")
    assert response.status_code == 302, problems(response)
    assert step.draft.answers["kana"] == "カメヤマ　タロウ"
    check = step.client.get(response["Location"]).content.decode()
    assert "カメヤマ　タロウ" in check
    assert "かめやま" not in check


def test_furigana_in_kanji_is_refused_with_a_message_that_says_what_to_type(step: Step) -> None:
    response = step.post(kana="亀山 太郎", vaccinated="no", pickup="main")
    assert response.status_code == 400
    assert problems(response) == [
        "フリガナ: カタカナかひらがなで入力してください（例：カメヤマ タロウ）。"
        "漢字、英字、数字は使えません。"
    ]


KANA = Field(key="kana", type="kana", label="フリガナ")


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("かめやま たろう", "カメヤマ　タロウ"),
        ("かめやま　たろう", "カメヤマ　タロウ"),
        ("  がっこう  ぱん ", "ガッコウ　パン"),
        ("ｶﾒﾔﾏ ﾀﾛｳ", "カメヤマ　タロウ"),
        ("かめやま ﾀﾛｳ", "カメヤマ　タロウ"),
        ("ゔぃーなす", "ヴィーナス"),
        ("か\u3099っこう", "ガッコウ"),  # decomposed, as some keyboards send it
        ("カメヤマ・タロウ", "カメヤマ・タロウ"),
    ],
)
def test_furigana_is_stored_in_katakana(typed: str, stored: str) -> None:
    assert parse_value(KANA, typed, today=dt.date(2026, 4, 1)) == stored


@pytest.mark.parametrize("typed", ["亀山 太郎", "Kameyama Taro", "カメヤマ1", "かめやま!"])
def test_furigana_that_is_not_kana_is_refused(typed: str) -> None:
    with translation.override("en"), pytest.raises(FieldInvalid, match="katakana or hiragana"):
        parse_value(KANA, typed, today=dt.date(2026, 4, 1))
