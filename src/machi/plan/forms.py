"""Input forms of the plan office. They only parse; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from machi.core.forms import ServiceErrorsMixin
from machi.core.templatetags.content import ja, needs_mark
from machi.plan.labels import fiscal_year_name, measure_label
from machi.plan.models import Grade, Measure, Plan


def fiscal_year_choices(plan: Plan, up_to: int) -> list[tuple[int, str]]:
    return [(y, fiscal_year_name(y)) for y in plan.fiscal_years if y <= up_to]


class ContentFieldsMixin:
    """Fields whose value is what staff wrote: a Japanese value (a saved draft, an entry sent
    back with an error) is marked lang="ja" on an English page, for screen readers."""

    content_fields: tuple[str, ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in self.content_fields:
            if needs_mark(self[name].value() or ""):  # type: ignore[index]
                self.fields[name].widget.attrs["lang"] = "ja"  # type: ignore[attr-defined]


class EvaluationForm(ServiceErrorsMixin, ContentFieldsMixin, forms.Form):
    content_fields = ("comment", "next_action")
    fiscal_year = forms.TypedChoiceField(label=_("Fiscal year"), coerce=int)
    grade = forms.ChoiceField(
        label=_("Self-assessment"), choices=Grade.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Comment (what was done, results)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=True,
    )
    next_action = forms.CharField(
        label=_("Next action (改善)"), widget=forms.Textarea(attrs={"rows": 3}), required=True
    )

    def __init__(self, *args: Any, plan: Plan, up_to: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["fiscal_year"].choices = fiscal_year_choices(plan, up_to)  # type: ignore[attr-defined]
        self.fields["comment"].error_messages["required"] = _("Enter the comment. It is required.")
        self.fields["next_action"].error_messages["required"] = _(
            "Enter the next action. It is required."
        )
        self.fields["grade"].error_messages["required"] = _("Choose a self-assessment from A to D.")


class ReasonForm(ServiceErrorsMixin, ContentFieldsMixin, forms.Form):
    content_fields = ("reason",)
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class ActualForm(ServiceErrorsMixin, ContentFieldsMixin, forms.Form):
    content_fields = ("source_note",)
    fiscal_year = forms.TypedChoiceField(label=_("Fiscal year"), coerce=int)
    value = forms.CharField(
        label=_("Actual value"),
        max_length=30,
        error_messages={"required": _("Enter the actual value, for example 61.5.")},
    )
    source_note = forms.CharField(
        label=_("Source"),
        max_length=200,
        help_text=_(
            "Where the figure comes from, for example the citizens division's count (市民課集計)."
        ),
        error_messages={"required": _("Say where the figure comes from (for example 市民課集計).")},
    )

    def __init__(self, *args: Any, plan: Plan, up_to: int, prefix_id: str, **kwargs: Any) -> None:
        kwargs["prefix"] = prefix_id
        super().__init__(*args, **kwargs)
        self.fields["fiscal_year"].choices = fiscal_year_choices(plan, up_to)  # type: ignore[attr-defined]
        self.fields["value"].widget.attrs["inputmode"] = "decimal"


class CommentForm(ServiceErrorsMixin, ContentFieldsMixin, forms.Form):
    content_fields = ("body",)
    body = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class OODAForm(ServiceErrorsMixin, ContentFieldsMixin, forms.Form):
    content_fields = ("title", "decider", "observe", "orient", "decide", "act")
    title = forms.CharField(label=_("Title"), max_length=200, required=True)
    decided_on = forms.CharField(
        label=_("Decided on"),
        required=True,
        help_text=_("For example 2026-11-20 or R8.11.20 (令和8年11月20日)."),
    )
    decider = forms.CharField(
        label=_("Decided by"),
        max_length=150,
        required=True,
        help_text=_(
            "Person or body, for example the CIO or the DX promotion committee (DX推進委員会)."
        ),
    )
    observe = forms.CharField(
        label=_("Observe (観察)"), widget=forms.Textarea(attrs={"rows": 3}), required=True
    )
    orient = forms.CharField(
        label=_("Orient (情勢判断)"), widget=forms.Textarea(attrs={"rows": 3}), required=True
    )
    decide = forms.CharField(
        label=_("Decide (意思決定)"), widget=forms.Textarea(attrs={"rows": 3}), required=True
    )
    act = forms.CharField(
        label=_("Act (行動)"), widget=forms.Textarea(attrs={"rows": 3}), required=True
    )
    measures = forms.MultipleChoiceField(
        label=_("Measures concerned"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        measures = Measure.objects.filter(plan=plan).select_related("policy")
        # The measure's title is what staff wrote: marked as Japanese on an English page.
        self.fields["measures"].choices = [  # type: ignore[attr-defined]
            (str(m.pk), format_html("{} {}", measure_label(m), ja(m.title))) for m in measures
        ]
