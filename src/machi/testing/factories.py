"""One factory_boy factory per model that people and tests create, each building THROUGH THE
SERVICE that writes it in production: the row gets the service's validation, its audit entry
and its tenancy checks, so a test never starts from data the product could not have made.

Every factory is a ``factory.Factory`` whose ``_create`` calls the service; ``build()`` is
refused (an unsaved row would skip exactly what the service adds). Defaults look like a real
三重県 municipality's data; e-mail addresses and codes come from sequences, so two rows made
in one test never clash. Override anything by keyword, e.g.::

    clerk = StaffFactory(municipality=city, department=shimin, role=Role.APPROVER, rank=2)
    case = CaseFactory(submission__procedure=procedure)

docs/architecture.md ("Building test data") lists the factories and the fixtures over them.
"""

from __future__ import annotations

import copy
from typing import Any

import factory
import yaml

from machi.assistant.models import Channel, Conversation, FaqEntry, LineChannel, Synonym, Turn
from machi.assistant.services.conversation import (
    conversation_start,
    question_answer,
    turn_feedback,
)
from machi.assistant.services.faq import faq_entry_save, faq_import_csv
from machi.assistant.services.synonyms import synonyms_import_csv
from machi.casework.models import Approval, ApprovalRoute, Case, IssuedDocument
from machi.casework.services import case_decide, case_request_correction, case_token
from machi.casework.services.approvals import approval_route_save, approval_submit
from machi.core.csv_files import safe_csv_bytes
from machi.core.formdef.conditions import condition_holds
from machi.core.formdef.engine import rendered_fields
from machi.core.japanese.localgov_code import check_digit
from machi.core.models import (
    ApproverRank,
    Department,
    Municipality,
    Role,
    StaffRole,
    User,
)
from machi.core.services.accounts import (
    resident_create,
    resident_verified_claims_update,
    staff_create,
    staff_role_grant,
)
from machi.core.services.tenancy import department_upsert, municipality_upsert
from machi.opendata.models import Dataset, DatasetGroup, DatasetState, Resource, ResourceVersion
from machi.opendata.services.catalog import dataset_create, group_upsert
from machi.opendata.services.resources import (
    resource_create,
    version_publish_now,
    version_upload,
)
from machi.plan.models import KPI, Initiative, Plan
from machi.plan.plan_file import FORMAT as PLAN_FORMAT
from machi.plan.plan_file import parse_plan_file
from machi.plan.services.importing import plan_import
from machi.procedures.models import (
    Category,
    CorrectionRequest,
    Draft,
    FormDefinition,
    Procedure,
    Submission,
)
from machi.procedures.selectors import form_spec
from machi.procedures.services.catalog import category_upsert, form_definition_publish
from machi.procedures.services.drafts import draft_start, draft_step_save
from machi.procedures.services.importing import FORMAT as CATALOG_FORMAT
from machi.procedures.services.importing import catalog_import
from machi.procedures.services.submissions import submission_create

PASSWORD = "correct-horse-battery-42"
PORTAL_URL = "http://testserver"


def _pick(items: tuple[Any, ...], n: int) -> Any:
    return items[n % len(items)]


def _numbered(items: tuple[str, ...], n: int, separator: str = "-") -> str:
    """The n-th item, numbered once the list has gone round, so it stays unique."""
    text = _pick(items, n)
    return text if n < len(items) else f"{text}{separator}{n // len(items) + 1}"


class ServiceFactory(factory.Factory):
    """Base of the factories: ``_create`` of each subclass calls the service."""

    class Meta:
        abstract = True

    @classmethod
    def _build(cls, model_class: type[Any], *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError(
            f"{cls.__name__} builds only through the service: call it (or .create()) instead "
            "of .build(), which would skip the service's checks and audit entry."
        )


# --- core ------------------------------------------------------------------------------------

# Real 三重県 municipalities (not 亀山市, 鈴鹿市 and いなべ市, which fixtures use by code).
TOWNS = (
    ("津市", "ツシ", "Tsu City"),
    ("四日市市", "ヨッカイチシ", "Yokkaichi City"),
    ("伊勢市", "イセシ", "Ise City"),
    ("松阪市", "マツサカシ", "Matsusaka City"),
    ("桑名市", "クワナシ", "Kuwana City"),
    ("名張市", "ナバリシ", "Nabari City"),
    ("尾鷲市", "オワセシ", "Owase City"),
    ("鳥羽市", "トバシ", "Toba City"),
    ("伊賀市", "イガシ", "Iga City"),
    ("志摩市", "シマシ", "Shima City"),
)


def municipality_code(n: int) -> str:
    """A valid 全国地方公共団体コード starting with 9: no prefecture has it, so it never
    clashes with a real code a fixture or a catalog file uses."""
    first5 = f"{90000 + n % 10000:05d}"
    return f"{first5}{check_digit(first5)}"


class MunicipalityFactory(ServiceFactory):
    """A tenant (``municipality_upsert``) served on its own host name."""

    class Meta:
        model = Municipality

    class Params:
        town = factory.Sequence(lambda n: _pick(TOWNS, n))

    code = factory.Sequence(municipality_code)
    name = factory.LazyAttribute(lambda o: o.town[0])
    name_kana = factory.LazyAttribute(lambda o: o.town[1])
    name_en = factory.LazyAttribute(lambda o: o.town[2])
    prefecture = "三重県"
    fiscal_year_start_month = 4
    hosts = factory.LazyAttribute(lambda o: [f"city-{o.code}.example.jp"])

    @classmethod
    def _create(cls, model_class: type[Any], *args: Any, **kwargs: Any) -> Municipality:
        return municipality_upsert(**kwargs)


DEPARTMENTS = (
    "市民課",
    "環境課",
    "子ども未来課",
    "防災安全課",
    "税務課",
    "長寿健康課",
    "観光振興課",
    "情報政策課",
)


class DepartmentFactory(ServiceFactory):
    """A 課 (``department_upsert``), without an English name like most (the English pages
    then show the Japanese one). Codes start with 9, away from the codes (100, 210, 620 …)
    that the test catalog, plan and open data fixtures give their departments."""

    class Meta:
        model = Department

    municipality = factory.SubFactory(MunicipalityFactory)
    code = factory.Sequence(lambda n: f"9{n:03d}")
    name = factory.Sequence(lambda n: _pick(DEPARTMENTS, n))
    name_en = ""
    parent = None

    @classmethod
    def _create(cls, model_class: type[Any], *args: Any, **kwargs: Any) -> Department:
        return department_upsert(actor=None, **kwargs)


def verify_email(user: User) -> None:
    """Mark the address confirmed, as the sign-up mail's link does: allauth's own table,
    written by allauth and by no service of machi."""
    from allauth.account.models import EmailAddress

    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )


RESIDENTS = (
    ("亀山 太郎", "カメヤマ タロウ"),
    ("亀山 花子", "カメヤマ ハナコ"),
    ("関 一郎", "セキ イチロウ"),
    ("加太 さくら", "カブト サクラ"),
    ("野登 健", "ノボリ ケン"),
)


class ResidentFactory(ServiceFactory):
    """A resident account (``resident_create``). ``claims`` (name, address, birthdate …)
    make it a verified identity, as an OpenID Connect sign-in does
    (``resident_verified_claims_update``); ``email_verified`` lets it sign in with its
    password."""

    class Meta:
        model = User

    class Params:
        person = factory.Sequence(lambda n: _pick(RESIDENTS, n))

    municipality = factory.SubFactory(MunicipalityFactory)
    email = factory.Sequence(lambda n: f"jumin{n:04d}@example.jp")
    password = PASSWORD
    full_name = factory.LazyAttribute(lambda o: o.person[0])
    full_name_kana = factory.LazyAttribute(lambda o: o.person[1])
    claims: dict[str, str] = {}
    email_verified = False

    @classmethod
    def _create(
        cls,
        model_class: type[Any],
        *args: Any,
        claims: dict[str, str],
        email_verified: bool,
        **kwargs: Any,
    ) -> User:
        user = resident_create(**kwargs)
        if claims:
            resident_verified_claims_update(user=user, claims=claims)
            user.refresh_from_db()
        if email_verified:
            verify_email(user)
        return user


def enrol_totp(user: User) -> str:
    """Enrol a TOTP authenticator the way allauth stores it (allauth's own write path);
    return the secret."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


STAFF = ("佐藤 一郎", "鈴木 美咲", "高橋 健太", "田中 由美", "伊藤 誠")


def _default_rank(o: Any) -> int | None:
    return ApproverRank.CHIEF if o.role == Role.APPROVER else None


class StaffFactory(ServiceFactory):
    """A member of staff (``staff_create``) holding ``role`` (``staff_role_grant``; None for
    no role) in ``department`` (None: municipality-wide), enrolled in TOTP like every staff
    account must be before it reaches the back office (``with_totp``)."""

    class Meta:
        model = User

    municipality = factory.SubFactory(MunicipalityFactory)
    email = factory.Sequence(lambda n: f"shokuin{n:04d}@city.example.jp")
    full_name = factory.Sequence(lambda n: _pick(STAFF, n))
    password = PASSWORD
    role: Role | None = Role.CLERK
    department: Department | None = None
    rank = factory.LazyAttribute(_default_rank)
    with_totp = True
    email_verified = False

    @classmethod
    def _create(
        cls,
        model_class: type[Any],
        *args: Any,
        role: Role | str | None,
        department: Department | None,
        rank: int | None,
        with_totp: bool,
        email_verified: bool,
        **kwargs: Any,
    ) -> User:
        user = staff_create(actor=None, **kwargs)
        if role is not None:
            staff_role_grant(actor=None, user=user, role=role, department=department, rank=rank)
        if with_totp:
            enrol_totp(user)
        if email_verified:
            verify_email(user)
        return user


class StaffRoleFactory(ServiceFactory):
    """A role given to a member of staff (``staff_role_grant``)."""

    class Meta:
        model = StaffRole

    user = factory.SubFactory(StaffFactory, role=None)
    role = Role.CLERK
    department = factory.SubFactory(
        DepartmentFactory, municipality=factory.SelfAttribute("..user.municipality")
    )
    rank = factory.LazyAttribute(_default_rank)

    @classmethod
    def _create(cls, model_class: type[Any], *args: Any, **kwargs: Any) -> StaffRole:
        return staff_role_grant(actor=None, **kwargs)


# --- plan ------------------------------------------------------------------------------------


def _plan_import(municipality: Municipality, body: dict[str, Any], label: str) -> Any:
    """Import a plan file made of ``body`` (``plan_import``, as ``manage.py plan_import``)."""
    data = {"format": PLAN_FORMAT, "municipality": municipality.code, **body}
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    return plan_import(actor=None, plan_file=parse_plan_file(text), source_label=label)


POLICIES = [
    {
        "number": 1,
        "title": "行政サービスのDX",
        "measures": [
            {"number": 1, "title": "行政手続のオンライン化の推進"},
            {"number": 2, "title": "マイナンバーカードの普及促進"},
        ],
    },
    {
        "number": 2,
        "title": "行政経営のDX",
        "measures": [{"number": 1, "title": "情報システムの標準化・共通化の推進"}],
    },
]


def _default_initiatives(o: Any) -> list[dict[str, Any]]:
    department = o.department or DepartmentFactory(municipality=o.municipality)
    return [
        {
            "code": "1-1-01",
            "measure": "1-1",
            "title": "子育て・介護関係手続のオンライン化",
            "department": department.code,
            "status": "in_progress",
            "schedule": {2022: "対象手続の洗い出し", 2023: "オンライン化"},
        }
    ]


DEFAULT_KPIS = [
    {
        "code": "KPI-01",
        "measure": "1-1",
        "initiative": "1-1-01",
        "name": "子育て・介護関係26手続のオンライン化率",
        "unit": "%",
        "direction": "higher",
        "baseline": {"fiscal_year": 2021, "value": 0},
        "targets": {2022: 20, 2024: 80, 2026: 100},
        "actuals": [{"fiscal_year": 2022, "value": 23.1, "source": "子ども未来課集計"}],
    }
]


class PlanFactory(ServiceFactory):
    """A DX plan (``plan_import`` of a plan file): two 基本方針 with three 重点施策 (keys
    1-1, 1-2, 2-1), the initiative 1-1-01 run by ``department`` (a new one when None) and
    KPI-01 on it. Pass ``initiatives=[]`` and ``kpis=[]`` for the bare structure."""

    class Meta:
        model = Plan

    class Params:
        department: Department | None = None

    municipality = factory.SubFactory(MunicipalityFactory)
    code = factory.Sequence(lambda n: f"dx-plan-{n}")
    name = factory.LazyAttribute(lambda o: f"{o.municipality.name}行政DX推進計画")
    first_fiscal_year = 2022
    last_fiscal_year = 2026
    principle = "人々の生活をより良い方向に変化させるため、利用者中心の行政サービスへ変革します"
    policies = factory.LazyFunction(lambda: copy.deepcopy(POLICIES))
    initiatives = factory.LazyAttribute(_default_initiatives)
    kpis = factory.LazyFunction(lambda: copy.deepcopy(DEFAULT_KPIS))

    @classmethod
    def _create(
        cls,
        model_class: type[Any],
        *args: Any,
        municipality: Municipality,
        policies: list[dict[str, Any]],
        initiatives: list[dict[str, Any]],
        kpis: list[dict[str, Any]],
        **header: Any,
    ) -> Plan:
        body = {"plan": header, "policies": policies, "initiatives": initiatives, "kpis": kpis}
        plan: Plan = _plan_import(municipality, body, f"{header['code']}.yaml").plan
        return plan


INITIATIVES = (
    "電子申請の拡充",
    "窓口のキャッシュレス決済",
    "AI-OCRによる入力業務の削減",
    "オープンデータの公開拡大",
)


class InitiativeFactory(ServiceFactory):
    """A 事業 added to a plan by a plan file that lists only it (``plan_import``)."""

    class Meta:
        model = Initiative

    plan = factory.SubFactory(PlanFactory, initiatives=[], kpis=[])
    code = factory.Sequence(lambda n: f"1-1-{n + 10:02d}")
    measure = "1-1"
    title = factory.Sequence(lambda n: _pick(INITIATIVES, n))
    department = factory.SubFactory(
        DepartmentFactory, municipality=factory.SelfAttribute("..plan.municipality")
    )
    status = "not_started"
    schedule: dict[int, str] = {}

    @classmethod
    def _create(
        cls, model_class: type[Any], *args: Any, plan: Plan, department: Department, **row: Any
    ) -> Initiative:
        row["department"] = department.code
        _plan_import(plan.municipality, {"plan": {"code": plan.code}, "initiatives": [row]}, "row")
        return Initiative.objects.get(plan=plan, code=row["code"])


KPI_NAMES = ("電子申請の利用件数", "窓口の平均待ち時間", "公開データセット数")


class KPIFactory(ServiceFactory):
    """A KPI added to a plan by a plan file that lists only it (``plan_import``); of the
    measure only, unless ``initiative`` is given."""

    class Meta:
        model = KPI

    plan = factory.SubFactory(PlanFactory, initiatives=[], kpis=[])
    code = factory.Sequence(lambda n: f"KPI-{n + 10:02d}")
    measure = "1-1"
    initiative: Initiative | None = None
    name = factory.Sequence(lambda n: _pick(KPI_NAMES, n))
    unit = "件"
    direction = "higher"
    targets = factory.LazyFunction(lambda: {2024: 1000, 2026: 2000})
    actuals: list[dict[str, Any]] = []

    @classmethod
    def _create(
        cls,
        model_class: type[Any],
        *args: Any,
        plan: Plan,
        initiative: Initiative | None,
        **row: Any,
    ) -> KPI:
        if initiative is not None:
            row["initiative"] = initiative.code
        _plan_import(plan.municipality, {"plan": {"code": plan.code}, "kpis": [row]}, "row")
        return KPI.objects.get(plan=plan, code=row["code"])


# --- procedures ------------------------------------------------------------------------------

CATEGORIES = (
    ("kurashi", "くらし", "Living"),
    ("kosodate", "子育て・教育", "Children and education"),
    ("todokede", "届出・証明", "Notifications and certificates"),
    ("kenko", "健康・福祉", "Health and welfare"),
)


class CategoryFactory(ServiceFactory):
    """A catalog 分類 (``category_upsert``, which keeps no audit entry)."""

    class Meta:
        model = Category

    class Params:
        kind = factory.Sequence(lambda n: _pick(CATEGORIES, n))

    municipality = factory.SubFactory(MunicipalityFactory)
    code = factory.Sequence(lambda n: _numbered(tuple(c[0] for c in CATEGORIES), n))
    name = factory.LazyAttribute(lambda o: o.kind[1])
    name_en = factory.LazyAttribute(lambda o: o.kind[2])

    @classmethod
    def _create(cls, model_class: type[Any], *args: Any, **kwargs: Any) -> Category:
        return category_upsert(actor=None, **kwargs)


# A two-page form: who applies (the name and address come from the resident's profile)
# and what for.
DEFAULT_FORM: dict[str, Any] = {
    "format": "machi-form/1",
    "steps": [
        {
            "key": "applicant",
            "title": "申請者",
            "fields": [
                {
                    "key": "name",
                    "type": "text",
                    "label": "氏名",
                    "prefill": "name",
                    "required": True,
                },
                {
                    "key": "address",
                    "type": "address",
                    "label": "住所",
                    "prefill": "address",
                    "required": True,
                },
            ],
        },
        {
            "key": "request",
            "title": "申請内容",
            "fields": [{"key": "details", "type": "textarea", "label": "内容", "required": True}],
        },
    ],
}

PROCEDURES = (
    ("犬の登録申請", "Dog registration"),
    ("道路占用許可申請", "Road occupancy permit"),
    ("児童手当の認定請求", "Child allowance"),
    ("補助金の交付申請", "Subsidy application"),
)


class ProcedureFactory(ServiceFactory):
    """A procedure and its form (``catalog_import`` of a catalog file with this one entry, as
    ``manage.py catalog_import``): published, open to signed-in residents, with
    ``DEFAULT_FORM``. ``form=None`` leaves it without a form (not online); other catalog
    settings (``processing_days``, ``review_checklist`` …) pass through as keywords."""

    class Meta:
        model = Procedure

    class Params:
        kind = factory.Sequence(lambda n: _pick(PROCEDURES, n))

    municipality = factory.SubFactory(MunicipalityFactory)
    department = factory.SubFactory(
        DepartmentFactory, municipality=factory.SelfAttribute("..municipality")
    )
    category = factory.SubFactory(
        CategoryFactory, municipality=factory.SelfAttribute("..municipality")
    )
    code = factory.Sequence(lambda n: f"tetsuzuki-{n}")
    title = factory.LazyAttribute(lambda o: o.kind[0])
    title_en = factory.LazyAttribute(lambda o: o.kind[1])
    summary = factory.LazyAttribute(lambda o: f"{o.kind[0]}をオンラインで行います。")
    identity_level = "signed_in"
    form = factory.LazyFunction(lambda: copy.deepcopy(DEFAULT_FORM))

    @classmethod
    def _create(
        cls,
        model_class: type[Any],
        *args: Any,
        municipality: Municipality,
        department: Department,
        category: Category,
        form: dict[str, Any] | None,
        **settings: Any,
    ) -> Procedure:
        entry = {**settings, "category": category.code, "department": department.code}
        if form is not None:
            entry["form"] = form
        catalog_import(
            actor=None,
            data={
                "format": CATALOG_FORMAT,
                "municipality": municipality.code,
                "procedures": [entry],
            },
        )
        return Procedure.objects.get(municipality=municipality, code=settings["code"])


class FormDefinitionFactory(ServiceFactory):
    """A new version of a procedure's form (``form_definition_publish``, the catalog
    service the import calls). An unchanged definition returns the current version."""

    class Meta:
        model = FormDefinition

    procedure = factory.SubFactory(ProcedureFactory, form=None)
    definition = factory.LazyFunction(lambda: copy.deepcopy(DEFAULT_FORM))
    change_note = "様式の改正"

    @classmethod
    def _create(cls, model_class: type[Any], *args: Any, **kwargs: Any) -> FormDefinition:
        return form_definition_publish(actor=None, **kwargs)


def fill_in(draft: Draft, answers: dict[str, Any], *, every_step: bool, language: str) -> None:
    """Save ``answers`` (by field key) step by step (``draft_step_save``), as the pages do:
    with ``every_step``, each page that applies, keeping what was filled in for the person
    (a verified answer is never posted); otherwise only the pages ``answers`` touch.
    File fields are not supported.

    Raises:
        ValueError: an answer the form refuses, with the form's messages.
    """
    spec = form_spec(draft.form)
    for step in spec.steps:
        keys = {f.key for f in step.fields}
        if not every_step and not keys & set(answers):
            continue
        if not condition_holds(step.show_if, {**draft.answers, **answers}):
            continue
        known = {**draft.answers, **answers}
        raw = {
            f.key: known[f.key]
            for f in rendered_fields(step, draft.answers)
            if f.key in known and f.key not in draft.locked and f.type != "file"
        }
        outcome = draft_step_save(draft=draft, step_key=step.key, raw=raw, language=language)
        if outcome.errors:
            problems = "; ".join(f"{e.path}: {e.message}" for e in outcome.errors)
            raise ValueError(f"step {step.key} refused the answers: {problems}")


def _applicant_answers(o: Any) -> dict[str, Any]:
    """Answers to ``DEFAULT_FORM``; give your own for another form."""
    name = o.applicant.full_name if o.applicant is not None else "亀山 太郎"
    return {"name": name, "address": "三重県亀山市本丸町577", "details": "登録をお願いします。"}


class DraftFactory(ServiceFactory):
    """A resident's draft (``draft_start``), with ``answers`` saved on the pages they touch."""

    class Meta:
        model = Draft

    procedure = factory.SubFactory(ProcedureFactory)
    user = factory.SubFactory(
        ResidentFactory, municipality=factory.SelfAttribute("..procedure.municipality")
    )
    initial: dict[str, str] | None = None
    answers: dict[str, Any] = {}
    language = "ja"

    @classmethod
    def _create(
        cls,
        model_class: type[Any],
        *args: Any,
        procedure: Procedure,
        answers: dict[str, Any],
        language: str,
        **kwargs: Any,
    ) -> Draft:
        draft = draft_start(municipality=procedure.municipality, procedure=procedure, **kwargs)
        if answers:
            fill_in(draft, answers, every_step=False, language=language)
            draft.refresh_from_db()
        return draft


class SubmissionFactory(ServiceFactory):
    """An application submitted online: a draft (``draft_start``), every page saved
    (``draft_step_save``) and submitted (``submission_create``). The hand-off opens its case
    in the same transaction. ``applicant=None`` applies anonymously (the procedure must
    allow it)."""

    class Meta:
        model = Submission

    procedure = factory.SubFactory(ProcedureFactory)
    applicant = factory.SubFactory(
        ResidentFactory, municipality=factory.SelfAttribute("..procedure.municipality")
    )
    answers = factory.LazyAttribute(_applicant_answers)
    language = "ja"
    portal_url = PORTAL_URL
    save_to_profile = False

    @classmethod
    def _create(
        cls,
        model_class: type[Any],
        *args: Any,
        procedure: Procedure,
        applicant: User | None,
        answers: dict[str, Any],
        language: str,
        **kwargs: Any,
    ) -> Submission:
        municipality = procedure.municipality
        draft = draft_start(municipality=municipality, procedure=procedure, user=applicant)
        fill_in(draft, answers, every_step=True, language=language)
        submission, _created = submission_create(
            municipality=municipality,
            draft_id=str(draft.pk),
            user=applicant,
            language=language,
            **kwargs,
        )
        return submission


# --- casework --------------------------------------------------------------------------------


class CaseFactory(ServiceFactory):
    """The case of a new application: no service makes a case on its own, the submission's
    hand-off (``case_open``) does, so this submits one and returns its case. Reach the
    application with ``submission__…``, e.g. ``CaseFactory(submission__procedure=gomi)``."""

    class Meta:
        model = Case

    submission = factory.SubFactory(SubmissionFactory)

    @classmethod
    def _create(cls, model_class: type[Any], *args: Any, submission: Submission) -> Case:
        return Case.objects.select_related("submission").get(submission=submission)


def _case_clerk() -> Any:
    """A clerk of the case's department, who may act on it."""
    return factory.SubFactory(
        StaffFactory,
        municipality=factory.SelfAttribute("..case.municipality"),
        department=factory.SelfAttribute("..case.department"),
    )


def _fresh(case: Case) -> Case:
    return Case.objects.select_related("submission").get(pk=case.pk)


class CorrectionRequestFactory(ServiceFactory):
    """補正依頼 on a case, from a clerk of its department (``case_request_correction``)."""

    class Meta:
        model = CorrectionRequest

    case = factory.SubFactory(CaseFactory)
    requested_by = _case_clerk()
    fields = factory.LazyAttribute(lambda o: sorted(o.case.submission.answers)[:1])
    message = "内容の記載が不足しています。具体的に追記してください。"

    @classmethod
    def _create(
        cls,
        model_class: type[Any],
        *args: Any,
        case: Case,
        requested_by: User,
        **kwargs: Any,
    ) -> CorrectionRequest:
        case = _fresh(case)
        case_request_correction(actor=requested_by, case=case, version=case_token(case), **kwargs)
        return CorrectionRequest.objects.filter(submission=case.submission).latest("requested_at")


class ApprovalRouteFactory(ServiceFactory):
    """A procedure's 決裁ルート (``approval_route_save``): 係長 then 課長 of the case's
    department, from 0 yen."""

    class Meta:
        model = ApprovalRoute

    procedure = factory.SubFactory(ProcedureFactory)
    name = "係長・課長決裁"
    min_amount = 0
    steps = factory.LazyFunction(
        lambda: [{"rank": ApproverRank.CHIEF}, {"rank": ApproverRank.SECTION_MANAGER}]
    )

    @classmethod
    def _create(cls, model_class: type[Any], *args: Any, **kwargs: Any) -> ApprovalRoute:
        return approval_route_save(actor=None, **kwargs)


class ApprovalFactory(ServiceFactory):
    """起案 of a decision on a case (``approval_submit``), which lays out its steps along
    the procedure's route: ``route`` is made for the procedure unless you pass the one
    it has."""

    class Meta:
        model = Approval

    class Params:
        route = factory.SubFactory(
            ApprovalRouteFactory, procedure=factory.SelfAttribute("..case.procedure")
        )

    case = factory.SubFactory(CaseFactory)
    drafter = _case_clerk()
    decision = "approve"
    reason = "審査の結果、要件を満たしていることを確認しました。"

    @classmethod
    def _create(
        cls, model_class: type[Any], *args: Any, case: Case, drafter: User, **kwargs: Any
    ) -> Approval:
        case = _fresh(case)
        return approval_submit(
            actor=drafter, case=case, version=case_token(case), confirm_unchecked=True, **kwargs
        )


class IssuedDocumentFactory(ServiceFactory):
    """The signed notice a decision issues: a clerk decides the case (``case_decide``, which
    has ``document_issue`` render and sign it); returns that document."""

    class Meta:
        model = IssuedDocument

    case = factory.SubFactory(CaseFactory)
    decided_by = _case_clerk()
    decision = "approve"
    reason = ""

    @classmethod
    def _create(
        cls, model_class: type[Any], *args: Any, case: Case, decided_by: User, **kwargs: Any
    ) -> IssuedDocument:
        case = _fresh(case)
        case_decide(
            actor=decided_by, case=case, version=case_token(case), confirm_unchecked=True, **kwargs
        )
        return IssuedDocument.objects.filter(case=case).latest("issued_at")


# --- assistant -------------------------------------------------------------------------------

FAQS = (
    (
        "ごみ",
        "粗大ごみはどうやって出せばよいですか？",
        "粗大ごみは事前申込制です。環境課へお申し込みください。",
    ),
    (
        "届出・証明",
        "住民票の写しはどこで取れますか？",
        "市民課の窓口またはコンビニで取得できます。",
    ),
    ("子育て", "児童手当の申請に必要なものは？", "請求者名義の口座が分かるものをお持ちください。"),
    (
        "税金",
        "市県民税の納付方法を教えてください。",
        "口座振替、コンビニ、スマホ決済で納付できます。",
    ),
)


class FaqEntryFactory(ServiceFactory):
    """An FAQ entry: with ``actor=None`` (the default) a one-row CSV import
    (``faq_import_csv``, as ``manage.py``); with a member of staff, their form
    (``faq_entry_save``)."""

    class Meta:
        model = FaqEntry

    class Params:
        faq = factory.Sequence(lambda n: _pick(FAQS, n))

    municipality = factory.SubFactory(MunicipalityFactory)
    code = factory.Sequence(lambda n: f"faq-{n:04d}")
    category = factory.LazyAttribute(lambda o: o.faq[0])
    question = factory.LazyAttribute(lambda o: o.faq[1])
    answer = factory.LazyAttribute(lambda o: o.faq[2])
    keywords = ""
    procedure: Procedure | None = None
    is_published = True
    actor: User | None = None

    @classmethod
    def _create(
        cls,
        model_class: type[Any],
        *args: Any,
        municipality: Municipality,
        actor: User | None,
        procedure: Procedure | None,
        is_published: bool,
        **values: str,
    ) -> FaqEntry:
        values["procedure"] = procedure.code if procedure is not None else ""
        if actor is not None:
            return faq_entry_save(
                actor=actor,
                municipality=municipality,
                entry=None,
                values={**values, "is_published": "1" if is_published else ""},
            )
        columns = ["id", "category", "question", "answer", "keywords", "procedure", "published"]
        row = [values["code"], *(values[c] for c in columns[1:6]), "1" if is_published else "0"]
        faq_import_csv(
            actor=None, municipality=municipality, content=safe_csv_bytes([row], columns)
        )
        return FaqEntry.objects.get(municipality=municipality, code=values["code"])


SYNONYMS = (
    ("粗大ごみ", "そだいごみ 大型ごみ"),
    ("住民票", "じゅうみんひょう 住民票の写し"),
    ("関支所", "せきししょ"),
    ("マイナンバーカード", "マイナカード 個人番号カード"),
)


class SynonymFactory(ServiceFactory):
    """A municipality's synonym: a one-row CSV import (``synonyms_import_csv``)."""

    class Meta:
        model = Synonym

    class Params:
        pair = factory.Sequence(lambda n: _pick(SYNONYMS, n))
        number = factory.Sequence(lambda n: n)

    municipality = factory.SubFactory(MunicipalityFactory)
    canonical = factory.LazyAttribute(
        lambda o: _numbered(tuple(s[0] for s in SYNONYMS), o.number, "")
    )
    variants = factory.LazyAttribute(lambda o: o.pair[1])
    is_active = True

    @classmethod
    def _create(
        cls,
        model_class: type[Any],
        *args: Any,
        municipality: Municipality,
        canonical: str,
        variants: str,
        is_active: bool,
    ) -> Synonym:
        content = safe_csv_bytes(
            [[canonical, variants, "1" if is_active else "0"]], ["canonical", "variants", "active"]
        )
        synonyms_import_csv(actor=None, municipality=municipality, content=content)
        return Synonym.objects.get(municipality=municipality, canonical=canonical)


class ConversationFactory(ServiceFactory):
    """A chat (``conversation_start``); ``channel_user`` is stored hashed."""

    class Meta:
        model = Conversation

    municipality = factory.SubFactory(MunicipalityFactory)
    channel = Channel.WEB
    channel_user = ""

    @classmethod
    def _create(cls, model_class: type[Any], *args: Any, **kwargs: Any) -> Conversation:
        return conversation_start(**kwargs)


QUESTIONS = (
    "粗大ごみの出し方を教えてください",
    "住民票はどこで取れますか",
    "児童手当の申請に必要なものは",
    "図書館は何時まで開いていますか",
)


class TurnFactory(ServiceFactory):
    """A question asked in a conversation and what the assistant answered from the
    municipality's FAQ (``question_answer``). ``resolved`` True or False also records the
    resident's 解決した / 解決しなかった (``turn_feedback``)."""

    class Meta:
        model = Turn

    conversation = factory.SubFactory(ConversationFactory)
    text = factory.Sequence(lambda n: _pick(QUESTIONS, n))
    resolved: bool | None = None

    @classmethod
    def _create(
        cls,
        model_class: type[Any],
        *args: Any,
        conversation: Conversation,
        text: str,
        resolved: bool | None,
    ) -> Turn:
        reply = question_answer(
            municipality=conversation.municipality,
            text=text,
            conversation=conversation,
            channel=conversation.channel,
        )
        if resolved is None:
            return reply.turn
        return turn_feedback(turn=reply.turn, resolved=resolved)


class FeedbackFactory(TurnFactory):
    """A turn the resident marked 解決した (``resolved=False``: 解決しなかった). Feedback is
    kept on the turn, not in a model of its own."""

    resolved = True


class LineChannelFactory(ServiceFactory):
    """A municipality's LINE official account. No service writes it (operators enter it in
    the Django admin), so this is the one factory that saves the row itself."""

    class Meta:
        model = LineChannel

    municipality = factory.SubFactory(MunicipalityFactory)
    channel_secret = factory.Sequence(lambda n: f"{n:032x}")
    access_token = factory.Sequence(lambda n: f"line-access-token-{n:04d}")
    is_active = True

    @classmethod
    def _create(cls, model_class: type[Any], *args: Any, **kwargs: Any) -> LineChannel:
        return LineChannel.objects.create(**kwargs)


# --- opendata --------------------------------------------------------------------------------

GROUPS = (
    ("bousai", "防災", "Disaster prevention"),
    ("kosodate", "子育て", "Childcare"),
    ("kanko", "観光", "Tourism"),
    ("kenko", "健康・福祉", "Health and welfare"),
)


class DatasetGroupFactory(ServiceFactory):
    """A group of datasets (``group_upsert``, which keeps no audit entry)."""

    class Meta:
        model = DatasetGroup

    class Params:
        kind = factory.Sequence(lambda n: _pick(GROUPS, n))

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: _numbered(tuple(g[0] for g in GROUPS), n))
    title = factory.LazyAttribute(lambda o: o.kind[1])
    title_en = factory.LazyAttribute(lambda o: o.kind[2])

    @classmethod
    def _create(cls, model_class: type[Any], *args: Any, **kwargs: Any) -> DatasetGroup:
        return group_upsert(**kwargs)


DATASETS = (
    ("hinanjo-ichiran", "指定避難所一覧"),
    ("aed-ichiran", "AED設置箇所一覧"),
    ("hoikusho-ichiran", "保育所一覧"),
    ("koshu-toilet", "公衆トイレ一覧"),
    ("bunkazai-ichiran", "文化財一覧"),
)


class DatasetFactory(ServiceFactory):
    """A dataset (``dataset_create``), a draft unless ``state`` says otherwise; description
    fields (``tags``, ``license_id``, ``notes`` …) pass through as keywords."""

    class Meta:
        model = Dataset

    class Params:
        kind = factory.Sequence(lambda n: _pick(DATASETS, n))

    municipality = factory.SubFactory(MunicipalityFactory)
    department = factory.SubFactory(
        DepartmentFactory, municipality=factory.SelfAttribute("..municipality")
    )
    name = factory.Sequence(lambda n: _numbered(tuple(d[0] for d in DATASETS), n))
    title = factory.LazyAttribute(lambda o: o.kind[1])
    groups: tuple[DatasetGroup, ...] = ()
    state = DatasetState.DRAFT
    actor: User | None = None

    @classmethod
    def _create(cls, model_class: type[Any], *args: Any, **kwargs: Any) -> Dataset:
        return dataset_create(**kwargs)


class ResourceFactory(ServiceFactory):
    """A resource of a dataset (``resource_create``), still without a file."""

    class Meta:
        model = Resource

    dataset = factory.SubFactory(DatasetFactory)
    name = factory.LazyAttribute(lambda o: f"{o.dataset.title}（CSV）")
    actor: User | None = None

    @classmethod
    def _create(cls, model_class: type[Any], *args: Any, **kwargs: Any) -> Resource:
        return resource_create(**kwargs)


def _table(n: int) -> bytes:
    return f"番号,名称,所在地\r\n{n + 1:03d},亀山市文化会館,三重県亀山市東御幸町39-8\r\n".encode()


class ResourceVersionFactory(ServiceFactory):
    """A file of a resource, checked and published (``version_publish_now``); with
    ``publish=False`` only uploaded (``version_upload``: its check task runs after commit).
    Publishing the content the newest version already has returns that version."""

    class Meta:
        model = ResourceVersion

    resource = factory.SubFactory(ResourceFactory)
    filename = "data.csv"
    content = factory.Sequence(_table)
    change_note = ""
    publish = True
    actor: User | None = None

    @classmethod
    def _create(
        cls, model_class: type[Any], *args: Any, publish: bool, **kwargs: Any
    ) -> ResourceVersion:
        if not publish:
            return version_upload(**kwargs)
        version = version_publish_now(**kwargs)
        return version or kwargs["resource"].versions.latest("number")
