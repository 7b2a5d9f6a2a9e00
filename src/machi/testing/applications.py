"""A small test catalog, imported through the real catalog service, and helpers that fill
in forms through the pages like a resident would: the ``catalog`` fixture for the tests of
every app that works on applications (procedures, casework, assistant)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from machi.core.models import Department, IdentityLevel, Municipality, User
from machi.procedures.models import Draft, Procedure
from machi.procedures.services.importing import catalog_import, parse_catalog_file
from machi.testing.factories import PASSWORD as PASSWORD  # re-exported for the tests
from machi.testing.factories import DepartmentFactory, ResidentFactory

CATALOG = """\
format: machi-procedures/1
municipality: "242101"
categories:
  - {code: living, name: ごみ・くらし, name_en: Waste and living}
  - {code: certificates, name: 届出・証明, name_en: Certificates}
procedures:
  - code: gomi
    category: living
    department: "620"
    title: 粗大ごみ収集の申込
    title_en: Large waste collection
    summary: 大きなごみの収集を申し込みます。
    keywords: 粗大ゴミ そだいごみ 家具
    identity_level: anonymous
    fee: 品目により異なります
    form:
      format: machi-form/1
      steps:
        - key: items
          title: 品目
          fields:
            - key: items
              type: group
              label: 品目
              item_label: 品目
              min_items: 1
              max_items: 5
              fields:
                - key: item
                  type: select
                  label: 品目
                  required: true
                  choices:
                    - {value: sofa, label: ソファ, price: 1000}
                    - {value: bicycle, label: 自転車, price: 500}
                - {key: count, type: number, label: 数, required: true, min: 1, max: 5}
        - key: where
          title: 収集場所
          fields:
            - {key: address, type: address, label: 住所, prefill: address, required: true}
            - {key: day, type: date, label: 希望日, required: true, date_range: future}
            - key: delivery
              type: radio
              label: 連絡方法
              required: true
              choices:
                - {value: mail, label: メール}
                - {value: phone, label: 電話}
            - key: email
              type: email
              label: メールアドレス
              prefill: email
              contact: true
              required: true
              show_if: {field: delivery, equals: mail}
            - key: phone
              type: phone
              label: 電話番号
              prefill: phone
              required: true
              show_if: {field: delivery, equals: phone}
      computed:
        - key: fee
          label: 手数料
          kind: yen
          expr: {sum: {group: items, of: {mul: [{price: item}, {field: count}]}}}
  - code: certificate
    category: certificates
    department: "210"
    title: 住民票の写しの交付請求
    summary: 住民票の写しを請求します。
    keywords: 住民票 写し
    identity_level: verified
    fee: 1通300円
    form:
      format: machi-form/1
      steps:
        - key: applicant
          title: 請求者
          fields:
            - {key: name, type: text, label: 氏名, prefill: name, required: true}
            - {key: birthdate, type: date, label: 生年月日, prefill: birthdate, required: true}
            - {key: address, type: address, label: 住所, prefill: address, required: true}
            - {key: postal_code, type: postal_code, label: 郵便番号, prefill: postal_code}
            - {key: phone, type: phone, label: 電話番号, prefill: phone}
            - {key: copies, type: number, label: 通数, required: true, min: 1, max: 10}
      computed:
        - {key: fee, label: 手数料, kind: yen, expr: {mul: [300, {field: copies}]}}
  - code: photo
    category: living
    department: "620"
    title: 写真つきの届出
    summary: 書類を添付して届け出ます。
    identity_level: signed_in
    form:
      format: machi-form/1
      steps:
        - key: docs
          title: 書類
          fields:
            - {key: note, type: text, label: 内容, required: true}
            - key: files
              type: file
              label: 写真または書類
              required: true
              max_files: 2
              max_size_mb: 1
  - code: moving-out
    category: certificates
    department: "210"
    title: 転出届
    summary: 市外へ引っ越すときの届出です。
    keywords: 引越し 転居
    identity_level: anonymous
    online: false
life_events:
  - code: moving
    title: 引っ越し
    guide:
      questions:
        - key: direction
          type: radio
          label: どこへ引っ越しますか？
          choices:
            - {value: out, label: 市外へ}
            - {value: within, label: 市内で}
        - key: big_waste
          type: radio
          label: 大きなごみを出しますか？
          choices:
            - {value: "yes", label: はい}
            - {value: "no", label: いいえ}
      items:
        - {procedure: moving-out, when: {field: direction, equals: out}}
        - {title: 新住所地で転入届, when: {field: direction, equals: out}}
        - {procedure: gomi, when: {field: big_waste, equals: "yes"}}
"""


@dataclass
class Catalog:
    city: Municipality
    shimin: Department
    kankyo: Department
    gomi: Procedure
    certificate: Procedure
    photo: Procedure


def import_catalog(text: str = CATALOG) -> Any:
    return catalog_import(actor=None, data=parse_catalog_file(text))


@pytest.fixture
def catalog(city: Municipality) -> Catalog:
    shimin = DepartmentFactory.create(municipality=city, code="210", name="市民課")
    kankyo = DepartmentFactory.create(municipality=city, code="620", name="環境課")
    import_catalog()
    procedures = {p.code: p for p in Procedure.objects.filter(municipality=city)}
    return Catalog(
        city=city,
        shimin=shimin,
        kankyo=kankyo,
        gomi=procedures["gomi"],
        certificate=procedures["certificate"],
        photo=procedures["photo"],
    )


def make_resident(city: Municipality, email: str = "hanako@example.jp", **claims: str) -> User:
    """亀山 花子 (``ResidentFactory``); with ``claims``, a verified identity."""
    user = ResidentFactory.create(
        municipality=city, email=email, full_name="亀山 花子", full_name_kana="", claims=claims
    )
    assert (user.identity_level == IdentityLevel.VERIFIED) == bool(claims)
    return user


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def start(client: Client, code: str) -> str:
    """Start an application; return the draft's base URL (``/applications/drafts/<id>``)."""
    response = client.post(f"/procedures/{code}/start/")
    assert response.status_code == 302, response
    location = response["Location"]
    assert "/steps/" in location, location
    return location.split("/steps/")[0]


def post_step(client: Client, base: str, step: str, data: dict[str, Any], version: int = 1) -> Any:
    return client.post(f"{base}/steps/{step}/", {"form_version": str(version), **data})


def fill_gomi(client: Client, base: str, *, email: str = "taro@example.jp") -> None:
    """Two items (a sofa and two bicycles: 2,000円), a future date, contact by e-mail."""
    response = post_step(
        client,
        base,
        "items",
        {
            "f-items-0-_item": "1",
            "f-items-0-item": "sofa",
            "f-items-0-count": "1",
            "f-items-1-_item": "1",
            "f-items-1-item": "bicycle",
            "f-items-1-count": "２",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    response = post_step(
        client,
        base,
        "where",
        {
            "f-address": "三重県亀山市本丸町577",
            "f-day": "2099-01-05",
            "f-delivery": "mail",
            "f-email": email,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]


def submit(client: Client, base: str, **extra: str) -> Any:
    return client.post(f"{base}/check/", {"form_version": "1", **extra})


def png_bytes(size: tuple[int, int] = (8, 8)) -> bytes:
    """A small real PNG picture."""
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def error_summary(response: Any) -> list[str]:
    html = response.content.decode()
    block = re.search(r'class="error-summary__list">(.*?)</ul>', html, re.S)
    return re.findall(r"<a [^>]*>(.*?)</a>", block[1], re.S) if block else []


def pdf_bytes() -> bytes:
    """A one-page PDF."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def named(name: str, content: bytes, content_type: str = "application/octet-stream") -> Any:
    """A file as the browser sends it."""
    return SimpleUploadedFile(name, content, content_type=content_type)


@dataclass
class Applying:
    """A signed-in resident part-way through the ``photo`` procedure (it takes files)."""

    user: User
    client: Client
    base: str

    @property
    def draft(self) -> Draft:
        return Draft.objects.get(pk=self.base.rsplit("/", 1)[1])


def upload(applying: Applying, *files: Any, note: str = "庭の木の写真です") -> Any:
    data: dict[str, Any] = {"form_version": "1", "f-note": note}
    if files:
        data["f-files"] = list(files)
    return applying.client.post(f"{applying.base}/steps/docs/", data)
