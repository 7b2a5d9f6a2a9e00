"""監査ログの操作名: every audit action name of the platform, in one registry.

``machi.core.services.audit.audit_record`` writes only members of :class:`AuditAction`
(anything else raises :class:`UnknownAuditAction`, in production too), so a name cannot be
misspelt or built from strings (``f"case.{decision}d"`` once wrote ``case.rejectd``). Apps
name members (``AuditAction.CASE_REJECTED``); ``core`` imports no app, so the registry
lives here.

**Adding an action is one line** in :class:`AuditAction`, in its app's block::

    LINE_EVENT_RECEIVED = "line.event_received", _("LINE event received (LINE受信)")

The value is the stored name (``<area>.<what happened>``, lower case, at most 64
characters); the label is a short English text with the Japanese term in brackets, shown
by the audit log viewer (the Japanese catalogue may give a fuller Japanese label).

Members are added, never renamed or removed: each entry's hash covers the stored name, and
old entries are never rewritten. A name that was written once and is no longer used goes to
:data:`RETIRED_ACTIONS`, so old entries still read well.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class UnknownAuditAction(ValueError):
    """``audit_record`` was given a name that is not in :class:`AuditAction`."""


class AuditAction(models.TextChoices):
    # core: tenants, accounts, roles
    MUNICIPALITY_CREATED = "municipality.created", _("Municipality created (自治体の登録)")
    DEPARTMENT_CREATED = "department.created", _("Department created (課の登録)")
    STAFF_CREATED = "staff.created", _("Staff account created (職員アカウント作成)")
    STAFF_ROLE_GRANTED = "staff_role.granted", _("Staff role granted (職員権限の付与)")
    STAFF_ROLE_REVOKED = "staff_role.revoked", _("Staff role revoked (職員権限の取消)")
    ACCOUNT_UPDATED = "account.updated", _("Account changed by an administrator (アカウント変更)")
    # core: residents and their records
    RESIDENT_REGISTERED = "resident.registered", _("Resident registered (住民の利用登録)")
    RESIDENT_IDENTITY_VERIFIED = (
        "resident.identity_verified",
        _("Resident identity verified (本人確認)"),
    )
    RESIDENT_PROFILE_UPDATED = (
        "resident.profile_updated",
        _("Resident profile updated (住民情報の変更)"),
    )
    RESIDENT_VIEWED = "resident.viewed", _("Resident record viewed by staff (住民記録の閲覧)")
    RESIDENT_LIST_VIEWED = (
        "resident.list_viewed",
        _("Residents listed or searched by staff (住民一覧・検索の閲覧)"),
    )
    # procedures: catalog
    PROCEDURE_CREATED = "procedure.created", _("Procedure created (手続の登録)")
    PROCEDURE_UPDATED = "procedure.updated", _("Procedure updated (手続の変更)")
    PROCEDURE_FORM_PUBLISHED = "procedure.form_published", _("Form version published (様式の公開)")
    LIFE_EVENT_CREATED = "life_event.created", _("Life event created (ライフイベントの登録)")
    # procedures: drafts
    DRAFT_STARTED = "draft.started", _("Draft started (申請の下書き開始)")
    DRAFT_RESUME_LINK_SENT = "draft.resume_link_sent", _("Resume link mailed (再開リンクの送信)")
    DRAFT_DISCARDED = "draft.discarded", _("Draft discarded (下書きの破棄)")
    DRAFT_PURGED = "draft.purged", _("Old drafts deleted (期限切れ下書きの削除)")
    DRAFT_ACCESS_REFUSED = (
        "draft.access_refused",
        _("Someone else's draft refused (下書きへのアクセス拒否)"),
    )
    # procedures: applications (申請)
    SUBMISSION_CREATED = "submission.created", _("Application received (申請の受付)")
    SUBMISSION_COUNTER_IDENTITY = (
        "submission.counter_identity",
        _("Identity checked at the counter (窓口での本人確認)"),
    )
    SUBMISSION_STATUS_CHANGED = (
        "submission.status_changed",
        _("Application status changed (申請の状態変更)"),
    )
    SUBMISSION_WITHDRAWN = "submission.withdrawn", _("Application withdrawn (申請の取下げ)")
    SUBMISSION_CORRECTION_REQUESTED = (
        "submission.correction_requested",
        _("Correction requested (補正依頼)"),
    )
    SUBMISSION_CORRECTION_ANSWERED = (
        "submission.correction_answered",
        _("Correction answered (補正への回答)"),
    )
    SUBMISSION_VIEWED = "submission.viewed", _("Application viewed by staff (申請の閲覧)")
    SUBMISSION_ACCESS_REFUSED = (
        "submission.access_refused",
        _("Someone else's application refused (申請へのアクセス拒否)"),
    )
    # casework: decisions, e-approval, documents, counter, hand-off
    CASE_APPROVED = "case.approved", _("Case approved (案件の承認)")
    CASE_REJECTED = "case.rejected", _("Case rejected (案件の却下)")
    CASE_EXPORTED = "case.exported", _("Cases exported to CSV (CSV出力)")
    DOCUMENT_ISSUED = "document.issued", _("Notice issued (通知書の交付)")
    DOCUMENT_REVOKED = "document.revoked", _("Issued notice revoked (交付文書の取消し)")
    APPROVAL_SUBMITTED = "approval.submitted", _("Decision drafted (起案)")
    APPROVAL_APPROVED = "approval.approved", _("Approval step approved (決裁の承認)")
    APPROVAL_DEPUTY_APPROVED = "approval.deputy_approved", _("Decided as deputy (代決)")
    APPROVAL_POST_REVIEWED = "approval.post_reviewed", _("Reviewed afterwards (後閲)")
    APPROVAL_SENT_BACK = "approval.sent_back", _("Sent back (差戻し)")
    APPROVAL_RECALLED = "approval.recalled", _("Recalled by the drafter (引戻し)")
    APPROVAL_RESUBMITTED = "approval.resubmitted", _("Sent again (再起案)")
    APPROVAL_ABSENCE_REGISTERED = "approval.absence_registered", _("Absence registered (不在登録)")
    APPROVAL_ROUTE_SAVED = "approval.route_saved", _("Approval route saved (決裁ルートの保存)")
    COUNTER_STARTED = "counter.started", _("Counter session started (窓口受付の開始)")
    COUNTER_CONFIRMED = "counter.confirmed", _("Counter session confirmed (窓口受付の確定)")
    # plan
    PLAN_IMPORT = "plan.import", _("Plan imported (計画の取込)")
    PLAN_KPI_ACTUAL = "plan.kpi_actual", _("KPI actual recorded (KPI実績の登録)")
    PLAN_COMMENT = "plan.comment", _("Plan comment added (計画へのコメント)")
    PLAN_OODA = "plan.ooda", _("OODA decision recorded (OODA記録)")
    PLAN_EVALUATION_CREATED = "plan.evaluation.created", _("Evaluation created (評価の作成)")
    PLAN_EVALUATION_SAVED = "plan.evaluation.saved", _("Evaluation saved (評価の保存)")
    PLAN_EVALUATION_SUBMITTED = "plan.evaluation.submitted", _("Evaluation submitted (評価の提出)")
    PLAN_EVALUATION_REVIEWED = (
        "plan.evaluation.reviewed",
        _("Evaluation reviewed by the DX leader (DXリーダー確認)"),
    )
    PLAN_EVALUATION_SENT_BACK = (
        "plan.evaluation.sent_back",
        _("Evaluation sent back (評価の差戻し)"),
    )
    PLAN_EVALUATION_MEMBER_APPROVED = (
        "plan.evaluation.member_approved",
        _("Evaluation approved by a committee member (委員の承認)"),
    )
    PLAN_EVALUATION_APPROVED = (
        "plan.evaluation.approved",
        _("Evaluation approved by the chair (委員長の承認)"),
    )
    PLAN_EVALUATION_REVISED = (
        "plan.evaluation.revised",
        _("Evaluation revision opened (評価の改訂)"),
    )
    # assistant
    ASSISTANT_FAQ_SAVED = "assistant.faq_saved", _("FAQ entry saved (FAQの保存)")
    ASSISTANT_FAQ_IMPORTED = "assistant.faq_imported", _("FAQ imported (FAQの取込)")
    ASSISTANT_SYNONYMS_IMPORTED = (
        "assistant.synonyms_imported",
        _("Synonyms imported (同義語の取込)"),
    )
    # opendata
    OPENDATA_DATASET_CREATE = "opendata.dataset_create", _("Dataset created (データセットの作成)")
    OPENDATA_DATASET_UPDATE = "opendata.dataset_update", _("Dataset updated (データセットの変更)")
    OPENDATA_DATASET_STATE = "opendata.dataset_state", _("Dataset state changed (公開状態の変更)")
    OPENDATA_RESOURCE_CREATE = "opendata.resource_create", _("Resource created (リソースの作成)")
    OPENDATA_RESOURCE_UPDATE = "opendata.resource_update", _("Resource updated (リソースの変更)")
    OPENDATA_VERSION_UPLOAD = "opendata.version_upload", _("File version uploaded (ファイルの登録)")
    OPENDATA_VERSION_PUBLISH = (
        "opendata.version_publish",
        _("File version published (ファイルの公開)"),
    )
    OPENDATA_VERSION_DISCARD = (
        "opendata.version_discard",
        _("File version discarded (ファイルの破棄)"),
    )
    # notices
    NOTICE_CREATED = "notice.created", _("Notice written (お知らせの作成)")
    NOTICE_UPDATED = "notice.updated", _("Notice changed (お知らせの変更)")
    NOTICE_SUBMITTED = "notice.submitted", _("Notice sent for approval (お知らせの承認依頼)")
    NOTICE_SENT_BACK = "notice.sent_back", _("Notice sent back (お知らせの差し戻し)")
    NOTICE_APPROVED = "notice.approved", _("Notice approved (お知らせの承認)")
    NOTICE_WITHDRAWN = "notice.withdrawn", _("Notice withdrawn (お知らせの掲載取り下げ)")
    NOTICE_FILE_ADDED = "notice.file_added", _("File added to a notice (お知らせの添付)")
    NOTICE_FILE_REMOVED = "notice.file_removed", _("File removed from a notice (添付の削除)")
    NOTICE_SUBSCRIPTION_REQUESTED = (
        "notice.subscription_requested",
        _("Subscription to notices requested (購読の申込)"),
    )
    NOTICE_SUBSCRIPTION_CONFIRMED = (
        "notice.subscription_confirmed",
        _("Subscription to notices confirmed (購読の確認)"),
    )
    NOTICE_SUBSCRIPTION_CHANGED = (
        "notice.subscription_changed",
        _("Topics of a subscription changed (購読する分野の変更)"),
    )
    NOTICE_SUBSCRIPTION_CANCELLED = (
        "notice.subscription_cancelled",
        _("Subscription to notices cancelled (購読の解除)"),
    )
    NOTICE_MESSAGE_RETRIED = "notice.message_retried", _("Message sent again (メッセージの再送)")
    NOTICE_DISTRICT_EDITOR_GRANTED = (
        "notice.district_editor_granted",
        _("District organisation may write notices (地区の投稿権限の付与)"),
    )
    NOTICE_WEBHOOK_ADDED = (
        "notice.webhook_added",
        _("Partner webhook added (提携先Webhookの登録)"),
    )
    NOTICE_WEBHOOK_SECRET_ROTATED = (
        "notice.webhook_secret_rotated",
        _("Partner webhook's signing secret replaced (Webhook署名鍵の更新)"),
    )
    NOTICE_WEBHOOK_STOPPED = (
        "notice.webhook_stopped",
        _("Partner webhook stopped (提携先Webhookの停止)"),
    )


# Names written before the registry existed and never again. Old entries keep them (the
# hash covers the name); they are shown with the label of what they meant.
RETIRED_ACTIONS: dict[str, AuditAction] = {
    "case.rejectd": AuditAction.CASE_REJECTED,  # f"case.{decision}d", until 2026
}


def audit_action(name: str) -> AuditAction:
    """The registered member called ``name``; :class:`UnknownAuditAction` otherwise."""
    try:
        return AuditAction(name)
    except ValueError:
        raise UnknownAuditAction(
            f"{name!r} is not a registered audit action. Add it to AuditAction in "
            "src/machi/core/audit_actions.py (one line) and pass the member."
        ) from None


def action_label(name: str) -> str:
    """What the log viewer shows for a stored name: the label, or the name itself."""
    member = RETIRED_ACTIONS.get(name)
    if member is None and name in AuditAction.values:
        member = AuditAction(name)
    return str(member.label) if member is not None else name
