from typing import Any

from django.db import migrations, models

FINISHED = ["completed", "rejected", "withdrawn"]


def backfill(apps: Any, schema_editor: Any) -> None:
    """Finished applications never move again, so their status time is the finish time."""
    submission_model = apps.get_model("procedures", "Submission")
    finished = submission_model.objects.filter(status__in=FINISHED, processing_hours__isnull=True)
    batch = []
    for submission in finished.only("submitted_at", "status_changed_at").iterator(2000):
        elapsed = submission.status_changed_at - submission.submitted_at
        submission.processing_hours = max(0, round(elapsed.total_seconds() / 3600))
        batch.append(submission)
        if len(batch) == 2000:
            submission_model.objects.bulk_update(batch, ["processing_hours"])
            batch = []
    submission_model.objects.bulk_update(batch, ["processing_hours"])


class Migration(migrations.Migration):
    dependencies = [
        ("procedures", "0003_draft_return_url"),
    ]

    operations = [
        migrations.AddField(
            model_name="submission",
            name="processing_hours",
            field=models.PositiveIntegerField(
                blank=True, null=True, verbose_name="processing time (hours)"
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
