"""Writes of the back office: cases (``cases``) and e-approval (``approvals``)."""

from machi.casework.services.cases import (
    DECISIONS,
    CaseChanged,
    case_assign,
    case_checklist_mark,
    case_decide,
    case_document_revoke,
    case_note_add,
    case_open,
    case_request_correction,
    case_start_review,
    case_token,
    case_view,
)

__all__ = [
    "DECISIONS",
    "CaseChanged",
    "case_assign",
    "case_checklist_mark",
    "case_decide",
    "case_document_revoke",
    "case_note_add",
    "case_open",
    "case_request_correction",
    "case_start_review",
    "case_token",
    "case_view",
]
