"""Admin screens for the catalog. Staff edit a procedure's form as JSON; saving a changed
form publishes the next version (earlier versions stay for old drafts and submissions).
Writes go through the services; opening an application is audited."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from machi.core import json_input
from machi.core.admin import TenantScopedAdmin, admin_user
from machi.core.formdef.definition import DefinitionError, parse_definition
from machi.procedures.life_events import parse_guide
from machi.procedures.models import (
    Category,
    FormDefinition,
    LifeEvent,
    Procedure,
    Submission,
)
from machi.procedures.services.catalog import (
    PROCEDURE_FIELDS,
    category_upsert,
    definition_problems_text,
    form_definition_publish,
    life_event_save,
    procedure_save,
)
from machi.procedures.services.submissions import submission_staff_view


def _json_problems(text: str) -> tuple[Any, list[str]]:
    try:
        return json_input.loads(text), []
    except json_input.JSONInputError as exc:
        return None, [exc.message]
    except json.JSONDecodeError as exc:
        return None, [
            _("Not valid JSON at line %(line)d, column %(column)d: %(message)s")
            % {"line": exc.lineno, "column": exc.colno, "message": exc.msg}
        ]


class ProcedureForm(forms.ModelForm):
    form_definition = forms.CharField(
        label=_("Form definition (JSON, machi-form/1)"),
        required=False,
        widget=forms.Textarea(
            attrs={"rows": 30, "cols": 100, "class": "vLargeTextField", "spellcheck": "false"}
        ),
        help_text=_(
            "Saving a changed definition publishes it as the next version. Drafts and "
            "applications keep the version they were started with. See docs/procedures.md."
        ),
    )
    change_note = forms.CharField(label=_("What changed"), required=False, max_length=300)

    class Meta:
        model = Procedure
        fields = ["code", "category", "department", *PROCEDURE_FIELDS]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = self.instance.current_form if self.instance.pk else None
        if current is not None:
            self.fields["form_definition"].initial = json.dumps(
                current.definition, ensure_ascii=False, indent=2
            )

    def clean_form_definition(self) -> Any:
        text = self.cleaned_data.get("form_definition", "").strip()
        if not text:
            return None
        definition, problems = _json_problems(text)
        if not problems:
            try:
                parse_definition(definition)
            except DefinitionError as exc:
                problems = definition_problems_text(exc)
        if problems:
            raise ValidationError(problems)
        return definition


class FormVersionInline(admin.TabularInline):
    model = FormDefinition
    fields = ["version", "created_at", "created_by_label", "change_note"]
    readonly_fields = ["version", "created_at", "created_by_label", "change_note"]
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Procedure)
class ProcedureAdmin(TenantScopedAdmin):
    form = ProcedureForm
    list_display = [
        "code",
        "title",
        "category",
        "department",
        "identity_level",
        "online",
        "is_published",
    ]
    list_filter = ["category", "identity_level", "online", "is_published"]
    search_fields = ["code", "title", "keywords"]
    inlines = [FormVersionInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["code"] if obj is not None else []

    def save_model(self, request: HttpRequest, obj: Procedure, form: Any, change: bool) -> None:
        actor = admin_user(request)
        municipality = obj.category.municipality
        saved = procedure_save(
            actor=actor,
            municipality=municipality,
            code=obj.code,
            category=obj.category,
            department=obj.department,
            values={
                name: form.cleaned_data[name]
                for name in PROCEDURE_FIELDS
                if name in form.cleaned_data
            },
        )
        definition = form.cleaned_data.get("form_definition")
        if definition is not None:
            form_definition_publish(
                actor=actor,
                procedure=saved,
                definition=definition,
                change_note=form.cleaned_data.get("change_note", ""),
            )
        obj.pk = saved.pk

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        return  # form versions are written by form_definition_publish only


class KeyedByCodeAdmin(TenantScopedAdmin):
    """Rows the services find by (municipality, code): both are fixed once saved, so an edit
    never creates a second row."""

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["municipality", "code"] if obj is not None else []


@admin.register(Category)
class CategoryAdmin(KeyedByCodeAdmin):
    list_display = ["code", "name", "order"]
    fields = ["municipality", "code", "name", "name_en", "description", "order"]

    def save_model(self, request: HttpRequest, obj: Category, form: Any, change: bool) -> None:
        saved = category_upsert(
            actor=admin_user(request),
            municipality=obj.municipality,
            code=obj.code,
            name=obj.name,
            name_en=obj.name_en,
            description=obj.description,
            order=obj.order,
        )
        obj.pk = saved.pk


class LifeEventForm(forms.ModelForm):
    class Meta:
        model = LifeEvent
        fields = [
            "municipality",
            "code",
            "title",
            "title_en",
            "summary",
            "summary_en",
            "order",
            "definition",
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        municipality = cleaned.get("municipality") or getattr(self.instance, "municipality", None)
        if municipality is not None and cleaned.get("definition") is not None:
            codes = Procedure.objects.filter(municipality=municipality).values_list(
                "code", flat=True
            )
            try:
                parse_guide(cleaned["definition"], codes)
            except DefinitionError as exc:
                self.add_error("definition", definition_problems_text(exc))
        return cleaned


@admin.register(LifeEvent)
class LifeEventAdmin(KeyedByCodeAdmin):
    form = LifeEventForm
    list_display = ["code", "title", "order"]

    def save_model(self, request: HttpRequest, obj: LifeEvent, form: Any, change: bool) -> None:
        saved = life_event_save(
            actor=admin_user(request),
            municipality=obj.municipality,
            code=obj.code,
            title=obj.title,
            title_en=obj.title_en,
            summary=obj.summary,
            summary_en=obj.summary_en,
            order=obj.order,
            definition=obj.definition,
        )
        obj.pk = saved.pk


@admin.register(Submission)
class SubmissionAdmin(TenantScopedAdmin):
    """Read-only: applications are handled in the back office; every look is audited."""

    list_display = ["reference_display", "procedure", "status", "submitted_at", "channel"]
    list_filter = ["status", "channel", "procedure"]
    search_fields = ["reference"]
    fields = [
        "reference_display",
        "procedure",
        "form",
        "status",
        "submitted_at",
        "status_changed_at",
        "identity_level",
        "channel",
        "contact_email",
        "answers",
        "computed",
    ]
    readonly_fields = [
        "reference_display",
        "procedure",
        "form",
        "status",
        "submitted_at",
        "status_changed_at",
        "identity_level",
        "channel",
        "contact_email",
        "answers",
        "computed",
    ]

    @admin.display(description=_("reference number (受付番号)"))
    def reference_display(self, obj: Submission) -> str:
        return obj.reference_display

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_object(self, request: HttpRequest, object_id: str, from_field: Any = None) -> Any:
        submission = super().get_object(request, object_id, from_field)
        if submission is not None:
            submission_staff_view(
                staff=admin_user(request),
                municipality=submission.municipality,
                submission_id=str(submission.pk),
                purpose="admin",
            )
        return submission
