"""Staff pages of the open data portal: the list, the dataset form with its error summary,
publishing, resources, uploads with the validation report and its progress, the check-only
tool; staff of another department get 403, another municipality's rows are 404."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from machi.core.models import Municipality, Role, User
from machi.opendata.models import Dataset, DatasetState, Resource, ResourceVersion
from machi.opendata.services.resources import version_upload
from machi.opendata.tasks import opendata_version_check
from machi.opendata.tests.test_views import (
    AED_WITH_ERRORS,
    SHELTERS_V2,
    Portal,
    _media_in_tmp,
    build_portal,
)
from machi.testing.factories import (
    DatasetFactory,
    DepartmentFactory,
    ResourceFactory,
    ResourceVersionFactory,
)
from machi.testing.fixtures import make_staff

__all__ = ["_media_in_tmp"]

pytestmark = pytest.mark.django_db

# Two warnings the general checks find in any CSV: a 和暦 date and full-width digits.
WITH_ERRORS = (
    "名称,開設日,収容人数\n亀山市役所,令和6年4月1日,１２０\n亀山市文化会館,2024-04-01,80\n"
)
CLEAN = "名称,開設日,収容人数\n亀山市役所,2024-04-01,120\n亀山市文化会館,2024-04-01,80\n"


@pytest.fixture
def portal(city: Municipality) -> Portal:
    return build_portal(city)


@pytest.fixture
def bousai_clerk(portal: Portal) -> User:
    return make_staff(portal.city, "bousai@kameyama.example.jp", department=portal.bousai)


@pytest.fixture
def kenko_clerk(portal: Portal) -> User:
    return make_staff(portal.city, "kenko@kameyama.example.jp", department=portal.kenko)


def signed_in(user: User, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def _kind(report: str, title: str) -> str:
    """The section of the report about one kind of problem ("" when there is none)."""
    parts = report.split(f'</span> {title} <span class="od-kind-count">')
    return parts[1].split("</section>")[0] if len(parts) > 1 else ""


def _form(**overrides: str) -> dict[str, Any]:
    values: dict[str, Any] = {
        "name": "kouen",
        "title": "都市公園一覧",
        "title_en": "City parks",
        "notes": "市が管理する公園。",
        "tags": "公園、 みどり,公園",
        "license_id": "cc-by-4.0",
        "frequency": "annual",
        "contact_name": "防災安全課",
        "contact_email": "",
        "contact_phone": "",
        "spatial": "亀山市全域",
        "temporal_start": "令和8年4月1日",
        "temporal_end": "",
    }
    values.update(overrides)
    return values


# --- list and access ----------------------------------------------------------------------


def test_list_shows_every_state_with_a_badge(portal: Portal, bousai_clerk: User) -> None:
    page = signed_in(bousai_clerk).get("/staff/opendata/").content.decode()
    table = page.split('id="od-staff-datasets"')[1].split("</table>")[0]
    for title in ("指定避難所一覧", "AED設置箇所一覧", "避難所の下書き", "旧避難所一覧"):
        assert title in table
    assert "od-state--active" in table and "od-state--draft" in table
    assert "od-state--deleted" in table
    assert 'href="/staff/opendata/new/"' in page and 'href="/staff/opendata/validate/"' in page
    drafts = signed_in(bousai_clerk).get("/staff/opendata/", {"state": "draft"}).content.decode()
    assert "避難所の下書き" in drafts and "指定避難所一覧" not in drafts


def test_visitors_residents_and_other_cities_staff_are_kept_out(
    portal: Portal, resident: User, other_city: Municipality
) -> None:
    anonymous = Client().get("/staff/opendata/")
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    assert signed_in(resident).get("/staff/opendata/").status_code == 403
    suzuka_staff = make_staff(other_city, "staff@suzuka.example.jp")
    for url in (
        "/staff/opendata/",
        f"/staff/opendata/{portal.shelters.pk}/",
        "/staff/opendata/validate/",
    ):
        assert signed_in(suzuka_staff).get(url).status_code == 403


def test_another_municipalitys_rows_are_404(
    portal: Portal, bousai_clerk: User, other_city: Municipality
) -> None:
    suzuka = DepartmentFactory(municipality=other_city, code="110", name="防災危機管理課")
    theirs = DatasetFactory(
        municipality=other_city, name="theirs", title="鈴鹿市", department=suzuka
    )
    resource = ResourceFactory(dataset=theirs, name="CSV")
    version = ResourceVersionFactory(
        resource=resource, filename="a.csv", content=b"a\n1\n", publish=False
    )
    client = signed_in(bousai_clerk)
    assert client.get(f"/staff/opendata/{theirs.pk}/").status_code == 404
    assert client.post(f"/staff/opendata/{theirs.pk}/", {"action": "publish"}).status_code == 404
    assert client.get(f"/staff/opendata/{theirs.pk}/resources/new/").status_code == 404
    assert client.get(f"/staff/opendata/resource/{resource.pk}/upload/").status_code == 404
    assert client.get(f"/staff/opendata/version/{version.pk}/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.state == DatasetState.DRAFT
    assert "鈴鹿市" not in client.get("/staff/opendata/").content.decode()


def test_a_clerk_of_another_department_cannot_edit(
    portal: Portal, kenko_clerk: User, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        version = version_upload(
            actor=None, resource=portal.shelter_csv, filename="a.csv", content=CLEAN.encode()
        )
    client = signed_in(kenko_clerk)
    shelters = f"/staff/opendata/{portal.shelters.pk}/"
    assert client.get(shelters).status_code == 403
    assert client.post(shelters, _form(title="書き換え")).status_code == 403
    assert client.post(shelters, {"action": "withdraw"}).status_code == 403
    assert client.get(f"{shelters}resources/new/").status_code == 403
    assert client.post(f"{shelters}resources/new/", {"name": "x"}).status_code == 403
    upload = f"/staff/opendata/resource/{portal.shelter_csv.pk}/upload/"
    assert client.get(upload).status_code == 403
    assert client.post(upload, {"file": SimpleUploadedFile("b.csv", b"a\n1\n")}).status_code == 403
    assert client.post(
        f"/staff/opendata/version/{version.pk}/", {"action": "publish"}
    ).status_code == (403)
    portal.shelters.refresh_from_db()
    assert portal.shelters.title == "指定避難所一覧" and portal.shelters.state == "active"
    assert ResourceVersion.objects.filter(resource=portal.shelter_csv).count() == 3
    version.refresh_from_db()
    assert version.status == "checked"
    # Their own department's dataset is theirs to edit.
    assert client.get(f"/staff/opendata/{portal.aed.pk}/").status_code == 200


# --- dataset form -------------------------------------------------------------------------


def test_creating_a_dataset_saves_a_draft(portal: Portal, bousai_clerk: User) -> None:
    client = signed_in(bousai_clerk)
    form = client.get("/staff/opendata/new/").content.decode()
    publishers = form.split('id="id_department"')[1].split("</select>")[0]
    assert "防災安全課" in publishers and "健康づくり課" not in publishers  # only their own
    assert 'type="checkbox" name="groups"' in form and "<legend" in form
    groups = {g.name: g.pk for g in portal.shelters.groups.all()}
    response = client.post(
        "/staff/opendata/new/",
        _form(department=str(portal.bousai.pk), groups=[str(groups["bousai"])]),
    )
    created = Dataset.objects.get(municipality=portal.city, name="kouen")
    assert response.status_code == 302
    assert response["Location"] == f"/staff/opendata/{created.pk}/"
    assert created.state == DatasetState.DRAFT
    assert created.tags == ["公園", "みどり"]
    assert [g.name for g in created.groups.all()] == ["bousai"]
    assert str(created.temporal_start) == "2026-04-01"  # 令和8年4月1日
    assert created.department == portal.bousai
    assert Client().get("/opendata/dataset/kouen/").status_code == 404


def test_form_errors_are_listed_in_a_summary_that_links_to_each_field(
    portal: Portal, bousai_clerk: User
) -> None:
    client = signed_in(bousai_clerk)
    response = client.post(
        "/staff/opendata/new/",
        _form(
            department=str(portal.bousai.pk),
            title="",
            temporal_start="令和8年2月30日",
            contact_email="not-an-address",
        ),
    )
    assert response.status_code == 400
    page = response.content.decode()
    summary = page.split('class="error-summary"')[1].split("</div>")[0]
    for field in ("id_title", "id_temporal_start", "id_contact_email"):
        assert f'href="#{field}"' in summary
    assert "This date does not exist" in summary
    assert 'aria-invalid="true"' in page
    # The service's own checks (name format, name taken) come back on the name field.
    response = client.post(
        "/staff/opendata/new/", _form(department=str(portal.bousai.pk), name="Bad Name")
    )
    assert response.status_code == 400
    summary = response.content.decode().split('class="error-summary"')[1].split("</div>")[0]
    assert 'href="#id_name"' in summary and "lowercase letters" in summary
    taken = client.post(
        "/staff/opendata/new/", _form(department=str(portal.bousai.pk), name="hinanjo")
    ).content.decode()
    assert "Another dataset already uses this name." in taken
    # In Japanese the summary is there too, with the same links.
    japanese = signed_in(bousai_clerk, "ja").post(
        "/staff/opendata/new/", _form(department=str(portal.bousai.pk), title="")
    )
    assert japanese.status_code == 400
    assert 'href="#id_title"' in japanese.content.decode()
    assert not Dataset.objects.filter(name__in=["kouen", "Bad Name"]).exists()


def test_editing_publishing_and_withdrawing(portal: Portal, bousai_clerk: User) -> None:
    client = signed_in(bousai_clerk)
    url = f"/staff/opendata/{portal.draft.pk}/"
    page = client.get(url).content.decode()
    assert 'value="避難所の下書き"' in page and 'name="name"' not in page
    saved = client.post(url, _form(title="福祉避難所一覧", department=str(portal.bousai.pk)))
    assert saved.status_code == 302
    portal.draft.refresh_from_db()
    assert portal.draft.title == "福祉避難所一覧" and portal.draft.spatial == "亀山市全域"
    client.post(url, {"action": "publish"})
    assert Client().get("/opendata/dataset/shitagaki/").status_code == 200
    published = client.get(url).content.decode()
    assert "The dataset is published." in published
    assert 'href="/opendata/dataset/shitagaki/"' in published
    client.post(url, {"action": "withdraw"})
    assert Client().get("/opendata/dataset/shitagaki/").status_code == 404
    client.post(url, {"action": "draft"})
    portal.draft.refresh_from_db()
    assert portal.draft.state == DatasetState.DRAFT


def test_the_dataset_page_lists_resources_and_their_versions(
    portal: Portal, bousai_clerk: User
) -> None:
    page = signed_in(bousai_clerk).get(f"/staff/opendata/{portal.shelters.pk}/").content.decode()
    assert "指定避難所一覧（CSV）" in page
    assert f'href="/staff/opendata/resource/{portal.shelter_csv.pk}/upload/"' in page
    versions = re.findall(r'href="/staff/opendata/version/([0-9a-f-]+)/"', page)
    assert len(versions) == 2
    assert f'href="/staff/opendata/{portal.shelters.pk}/resources/new/"' in page


# --- resources and uploads ----------------------------------------------------------------


def test_adding_a_resource_offers_the_table_schemas(portal: Portal, bousai_clerk: User) -> None:
    client = signed_in(bousai_clerk, "ja")
    url = f"/staff/opendata/{portal.shelters.pk}/resources/new/"
    form = client.get(url).content.decode()
    assert '<option value="evacuation-sites">指定緊急避難場所一覧 (evacuation-sites)</option>' in (
        form
    )
    response = client.post(
        url, {"name": "緊急避難場所", "format": "csv", "schema_name": "evacuation-sites"}
    )
    created = Resource.objects.get(dataset=portal.shelters, name="緊急避難場所")
    assert response["Location"] == f"/staff/opendata/resource/{created.pk}/upload/"
    assert created.schema_name == "evacuation-sites" and created.format == "CSV"
    link = client.post(url, {"name": "市のページ", "url": "https://www.city.kameyama.mie.jp/"})
    assert link["Location"] == f"/staff/opendata/{portal.shelters.pk}/"
    missing = signed_in(bousai_clerk).post(url, {"name": ""})
    assert missing.status_code == 400 and 'href="#id_name"' in missing.content.decode()


def test_upload_with_errors_shows_a_readable_report_and_cannot_be_published(
    portal: Portal, kenko_clerk: User, django_capture_on_commit_callbacks: Any
) -> None:
    standard = ResourceFactory(
        dataset=portal.aed, name="AED設置箇所一覧（標準）", schema_name="aed"
    )
    client = signed_in(kenko_clerk)
    upload = f"/staff/opendata/resource/{standard.pk}/upload/"
    form = client.get(upload).content.decode()
    assert 'data-upload-progress="od-upload-progress"' in form and "<progress" in form
    assert "opendata/upload.js" in form
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            upload,
            {"file": SimpleUploadedFile("AED一覧.csv", AED_WITH_ERRORS), "change_note": "初版"},
        )
    version = ResourceVersion.objects.get(resource=standard)
    assert response.status_code == 302
    assert response["Location"] == f"/staff/opendata/version/{version.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "correct the file and upload it again" in page  # the verdict
    summary = page.split('id="od-report-summary"')[1].split("</dl>")[0]
    assert "UTF-8" in summary and "without BOM" in summary and "Not valid" in summary
    assert "<dd>3</dd>" in summary  # rows
    counts = summary.split('id="od-report-counts"')[1]
    assert re.search(r"Errors \(must be corrected before publishing\)</span>: 7", counts)
    report = page.split('id="od-report"')[1]
    for kind in (
        "Not a time",
        "Full-width digits",
        "Latitude outside Japan",
        "Repeated IDs",
        "Required values left empty",
        "Local government codes with a wrong check digit",
        "Missing columns",
        "Half-width katakana",
    ):
        assert _kind(report, kind), kind
    # Errors come before warnings.
    assert report.index("Latitude outside Japan <") < report.index("Missing columns <")
    times = _kind(report, "Not a time")
    assert "<td>2</td>" in times  # row 2 of the spreadsheet (the header is row 1)
    assert "開始時間" in times and ">8:30<" in times and ">08:30<" in times
    digits = _kind(report, "Full-width digits")
    assert "３４．８５１３２" in digits and ">34.85132<" in digits
    latitude = _kind(report, "Latitude outside Japan")
    assert "<td>4</td>" in latitude and "99.1" in latitude and "decimal degrees" in latitude
    publish = re.search(r'<button[^>]*value="publish"[^>]*>', page)
    assert publish is not None and "disabled" in publish[0]
    assert "cannot be published" in page
    refused = client.post(response["Location"], {"action": "publish"}, follow=True)
    assert "found errors" in refused.content.decode()
    version.refresh_from_db()
    assert version.status == "checked" and version.published_at is None
    # In Japanese the report reads in Japanese (the validator's own wording).
    japanese = signed_in(kenko_clerk, "ja").get(response["Location"]).content.decode()
    assert "「08:30」と入力してください。" in japanese
    # Discarding keeps it out of the history; the public page never saw it.
    client.post(response["Location"], {"action": "discard"})
    version.refresh_from_db()
    assert version.status == "discarded"
    public = Client().get(f"/opendata/dataset/aed/resource/{standard.pk}/")
    assert "亀山市文化会館" not in public.content.decode()


def test_a_clean_upload_is_published_and_becomes_the_public_version(
    portal: Portal, bousai_clerk: User, django_capture_on_commit_callbacks: Any
) -> None:
    client = signed_in(bousai_clerk)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/staff/opendata/resource/{portal.shelter_csv.pk}/upload/",
            {"file": SimpleUploadedFile("shelters.csv", CLEAN.encode()), "change_note": "更新"},
        )
    page = client.get(response["Location"]).content.decode()
    assert "No errors: the file can be published" in page
    publish = re.search(r'<button[^>]*value="publish"[^>]*>', page)
    assert publish is not None and "disabled" not in publish[0]
    done = client.post(response["Location"], {"action": "publish"}, follow=True).content.decode()
    assert "Version 3 is published." in done
    public = Client().get(f"/opendata/dataset/hinanjo/resource/{portal.shelter_csv.pk}/")
    assert "開設日" in public.content.decode() and "更新" in public.content.decode()


@pytest.mark.parametrize(
    ("state", "language", "said"),
    [
        (
            DatasetState.DRAFT,
            "en",
            "Version 1 is published, but the dataset is still a draft, so the public portal "
            "does not show it yet. To show it, press “Publish” on the dataset page.",
        ),
        (
            DatasetState.DRAFT,
            "ja",
            "第1版を公開しました。ただし、データセットがまだ下書きのため、公開ページには"
            "表示されていません。表示するには、データセットの画面で「公開する」を押してください。",
        ),
        (
            DatasetState.DELETED,
            "en",
            "Version 1 is published, but the dataset is withdrawn from the portal, so the "
            "public cannot see it. To show it again, press “Publish” on the dataset page.",
        ),
        (
            DatasetState.DELETED,
            "ja",
            "第1版を公開しました。ただし、データセットの公開を停止しているため、公開ページには"
            "表示されていません。再び表示するには、データセットの画面で「公開する」を押してください。",
        ),
    ],
    ids=["draft-en", "draft-ja", "withdrawn-en", "withdrawn-ja"],
)
def test_publishing_a_version_of_an_unpublished_dataset_says_it_is_not_public_yet(
    portal: Portal,
    bousai_clerk: User,
    django_capture_on_commit_callbacks: Any,
    state: str,
    language: str,
    said: str,
) -> None:
    """Issue 15: the message claimed the public page showed the file while the dataset
    was still 下書き, so nobody could see it."""
    dataset = portal.draft if state == DatasetState.DRAFT else portal.withdrawn
    resource = ResourceFactory(dataset=dataset, name="避難所一覧（CSV）")
    client = signed_in(bousai_clerk, language)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/staff/opendata/resource/{resource.pk}/upload/",
            {"file": SimpleUploadedFile("shelters.csv", CLEAN.encode()), "change_note": "初版"},
        )
    done = client.post(response["Location"], {"action": "publish"}, follow=True)
    page = done.content.decode()
    assert said in page
    assert "The public page shows it now" not in page and "公開ページに表示されています" not in page
    # The version page leads on to the dataset page, where the 公開する button is.
    decide = page.split('id="od-decide"')[1].split("</section>")[0]
    assert f'href="/staff/opendata/{dataset.pk}/"' in decide
    assert "This version is public." not in decide and "この版は公開されています" not in decide
    assert Client().get(f"/opendata/dataset/{dataset.name}/").status_code == 404


def test_the_version_page_shows_progress_while_checking_and_polls(
    portal: Portal, bousai_clerk: User
) -> None:
    # Without the on-commit hook the check has not run yet: the version is "checking".
    version = version_upload(
        actor=bousai_clerk,
        resource=portal.shelter_csv,
        filename="big.csv",
        content=SHELTERS_V2,
    )
    ResourceVersion.objects.filter(pk=version.pk).update(progress=40)
    client = signed_in(bousai_clerk)
    url = f"/staff/opendata/version/{version.pk}/"
    page = client.get(url).content.decode()
    status = page.split('id="od-version-status"')[1].split("</div>\n</div>")[0]
    assert f'hx-get="{url}?part=status"' in status and 'hx-trigger="every 1s"' in status
    assert '<progress id="od-check-progress" max="100" value="40"' in status
    assert 'value="publish"' not in page  # nothing to decide yet
    fragment = client.get(url, {"part": "status"}, HTTP_HX_REQUEST="true")
    assert "every 1s" in fragment.content.decode() and "HX-Refresh" not in fragment
    opendata_version_check(str(version.pk))
    done = client.get(url, {"part": "status"}, HTTP_HX_REQUEST="true")
    assert done["HX-Refresh"] == "true" and "every 1s" not in done.content.decode()
    assert "No errors: the file can be published" in client.get(url).content.decode()


def test_an_upload_over_the_limit_is_refused_with_a_message(
    portal: Portal, bousai_clerk: User, settings: Any
) -> None:
    settings.MACHI_OPENDATA_MAX_UPLOAD_MB = 0
    response = signed_in(bousai_clerk).post(
        f"/staff/opendata/resource/{portal.shelter_csv.pk}/upload/",
        {"file": SimpleUploadedFile("big.csv", CLEAN.encode())},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'href="#id_file"' in page and "larger than 0 MB" in page
    assert ResourceVersion.objects.filter(resource=portal.shelter_csv).count() == 2


# --- the check-only tool ------------------------------------------------------------------


def test_the_validate_tool_reports_without_keeping_anything(
    portal: Portal, bousai_clerk: User
) -> None:
    client = signed_in(bousai_clerk)
    before = ResourceVersion.objects.count()
    page = client.get("/staff/opendata/validate/").content.decode()
    assert '<option value="public-toilets">' in page
    response = client.post(
        "/staff/opendata/validate/",
        {"file": SimpleUploadedFile("check.csv", WITH_ERRORS.encode("cp932")), "schema_name": ""},
    )
    assert response.status_code == 200
    report = response.content.decode().split('id="od-report"')[1]
    assert "check.csv" in report and "Shift_JIS (CP932)" in report
    assert _kind(report, "Japanese-era dates (和暦)")
    assert ResourceVersion.objects.count() == before
    empty = client.post(
        "/staff/opendata/validate/", {"file": SimpleUploadedFile("e.csv", b""), "schema_name": ""}
    )
    assert empty.status_code == 400 and 'href="#id_file"' in empty.content.decode()


def test_the_validate_tool_checks_against_a_schema_and_explains_the_older_layout(
    portal: Portal, bousai_clerk: User
) -> None:
    legacy = (
        "都道府県コード又は市区町村コード,NO,都道府県名,市区町村名,名称,名称_カナ,住所,"
        "緯度,経度,電話番号\n"
        "242101,1,三重県,亀山市,亀山市役所,カメヤマシヤクショ,三重県亀山市本丸町577,"
        "34.85563,136.45153,0595-82-1111\n"
    )
    response = signed_in(bousai_clerk).post(
        "/staff/opendata/validate/",
        {
            "file": SimpleUploadedFile("aed_old.csv", legacy.encode("utf-8-sig")),
            "schema_name": "aed",
        },
    )
    page = response.content.decode()
    notice = page.split('id="od-legacy"')[1].split("</table>")[0]
    assert "older layout of the Recommended Data Sets (推奨データセット)" in notice
    mapping = notice.split('id="od-legacy-mapping"')[1]
    assert re.search(r"<td>NO</td><td>ID</td>", mapping)
    assert re.search(r'<td lang="ja">住所</td><td lang="ja">所在地_連結表記</td>', mapping)
    assert "with BOM" in page


def test_staff_home_links_to_the_staff_pages(bousai_clerk: User) -> None:
    page = signed_in(bousai_clerk).get("/staff/").content.decode()
    assert 'href="/staff/opendata/"' in page


def test_platform_admin_may_create_for_any_department(portal: Portal) -> None:
    admin = make_staff(portal.city, "admin@kameyama.example.jp", role=Role.PLATFORM_ADMIN)
    form = signed_in(admin).get("/staff/opendata/new/").content.decode()
    publishers = form.split('id="id_department"')[1].split("</select>")[0]
    assert "防災安全課" in publishers and "健康づくり課" in publishers


def test_a_file_that_is_not_a_table_is_stored_unchecked_and_publishable(
    portal: Portal, bousai_clerk: User, django_capture_on_commit_callbacks: Any
) -> None:
    guide = ResourceFactory(dataset=portal.shelters, name="避難所マップ（PDF）")
    client = signed_in(bousai_clerk)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/staff/opendata/resource/{guide.pk}/upload/",
            {"file": SimpleUploadedFile("map.pdf", b"%PDF-1.4\n%%EOF\n")},
        )
    page = client.get(response["Location"]).content.decode()
    assert "Not a table: stored as it is" in page and 'id="od-report-summary"' not in page
    client.post(response["Location"], {"action": "publish"})
    download = Client().get(f"/opendata/dataset/hinanjo/resource/{guide.pk}/download/")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    public = Client().get(f"/opendata/dataset/hinanjo/resource/{guide.pk}/").content.decode()
    assert 'id="od-preview"' not in public and "PDF" in public


def test_a_file_that_is_not_csv_gets_a_clear_report_not_an_error_page(
    portal: Portal, bousai_clerk: User, django_capture_on_commit_callbacks: Any
) -> None:
    picture = b"\x89PNG\r\n\x1a\n" + bytes(64)
    client = signed_in(bousai_clerk)
    checked = client.post(
        "/staff/opendata/validate/",
        {"file": SimpleUploadedFile("photo.csv", picture), "schema_name": "aed"},
    )
    assert checked.status_code == 200
    assert "The file could not be read" in checked.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/staff/opendata/resource/{portal.shelter_csv.pk}/upload/",
            {"file": SimpleUploadedFile("photo.csv", picture)},
        )
    page = client.get(response["Location"]).content.decode()
    assert "The file could not be read" in page and "Not a CSV file" in page
    publish = re.search(r'<button[^>]*value="publish"[^>]*>', page)
    assert publish is not None and "disabled" in publish[0]


def test_a_clerk_of_the_parent_department_publishes_for_its_sections(portal: Portal) -> None:
    somu = portal.bousai.parent
    assert somu is not None
    head = make_staff(portal.city, "somu@kameyama.example.jp", department=somu)
    client = signed_in(head)
    publishers = client.get("/staff/opendata/new/").content.decode()
    options = publishers.split('id="id_department"')[1].split("</select>")[0]
    assert "防災安全課" in options and "健康づくり課" not in options
    assert client.get(f"/staff/opendata/{portal.shelters.pk}/").status_code == 200
    assert client.get(f"/staff/opendata/{portal.aed.pk}/").status_code == 403


# --- languages ----------------------------------------------------------------------------


def test_the_english_dataset_form_names_licences_and_groups_in_english(
    portal: Portal, bousai_clerk: User
) -> None:
    """Licences and groups are ours to name in English; department names, examples and a
    Japanese description stay Japanese, marked lang="ja"."""
    page = signed_in(bousai_clerk).get(f"/staff/opendata/{portal.shelters.pk}/").content.decode()
    licences = page.split('id="id_license_id"')[1].split("</select>")[0]
    assert "Creative Commons Attribution 4.0 International" in licences
    assert "クリエイティブ・コモンズ" not in licences
    groups = page.split('class="od-checkbox-list"')[1].split("</ul>")[0]
    assert "Disaster" in groups and "防災" not in groups
    departments = page.split('id="id_department"')[1].split("</select>")[0]
    assert re.search(
        r'<option value="[^"]+" selected lang="ja">総務部 防災安全課</option>', departments
    )
    assert re.search(r'<textarea name="notes"[^>]* lang="ja"', page)
    assert 'For example <span lang="ja">令和8年4月1日</span>, R8.4.1 or 2026-04-01.' in page
    assert 'for example <span lang="ja">防災</span>, <span lang="ja">避難所</span>.' in page
    assert '<h1 lang="ja">指定避難所一覧</h1>' in page
    japanese = signed_in(bousai_clerk, "ja").get(f"/staff/opendata/{portal.shelters.pk}/")
    page = japanese.content.decode()
    assert "クリエイティブ・コモンズ 表示 4.0 国際" in page
    assert "例：令和8年4月1日、R8.4.1、2026-04-01" in page
    assert "（例：防災、避難所）" in page
    assert " lang=" not in page.split("<main")[1].split("</main>")[0]


def test_the_english_report_marks_the_files_japanese_and_names_the_schema_in_english(
    portal: Portal, kenko_clerk: User
) -> None:
    client = signed_in(kenko_clerk)
    response = client.post(
        "/staff/opendata/validate/",
        {"file": SimpleUploadedFile("AED一覧.csv", AED_WITH_ERRORS), "schema_name": "aed"},
    )
    report = response.content.decode().split('id="od-report"')[1]
    summary = report.split('id="od-report-summary"')[1].split("</dl>")[0]
    assert '<dd lang="ja">AED一覧.csv</dd>' in summary
    assert "AED locations <code>aed</code>" in summary
    times = _kind(report, "Not a time")
    assert '<td lang="ja">開始時間</td>' in times
    assert 'in &#x27;<span lang="ja">開始時間</span>&#x27;' in times  # the English message
    japanese = signed_in(kenko_clerk, "ja").post(
        "/staff/opendata/validate/",
        {"file": SimpleUploadedFile("AED一覧.csv", AED_WITH_ERRORS), "schema_name": "aed"},
    )
    report = japanese.content.decode().split('id="od-report"')[1]
    assert "AED設置箇所一覧 <code>aed</code>" in report
    assert " lang=" not in report


def test_the_version_page_title_shows_the_resource_name_as_its_own_part(
    portal: Portal, bousai_clerk: User
) -> None:
    """A page title cannot mark a language, so the Japanese name is a part of its own
    (the heading shows it marked) rather than inside an English sentence."""
    version = portal.shelter_csv.versions.get(number=1)
    page = signed_in(bousai_clerk).get(f"/staff/opendata/version/{version.pk}/").content.decode()
    assert "<title>Version 1 | 指定避難所一覧（CSV）" in page
    assert 'Version 1 of <span lang="ja">指定避難所一覧（CSV）</span></h1>' in page
    japanese = signed_in(bousai_clerk, "ja").get(f"/staff/opendata/version/{version.pk}/")
    assert "<title>指定避難所一覧（CSV） 第1版" in japanese.content.decode()
