from django.db import migrations, models
from django.db.models import F, Window
from django.db.models.functions import RowNumber


def number_existing(apps, schema_editor):
    """Number every queue as it was shown until now: 1…n per juror and round, by id."""
    Assignment = apps.get_model("judging", "Assignment")
    rows = (
        Assignment.objects.annotate(
            n=Window(RowNumber(), partition_by=[F("round_id"), F("juror_id")], order_by=F("pk").asc())
        )
        .values_list("pk", "n")
        .iterator(chunk_size=5000)
    )
    batch = []
    for pk, n in rows:
        batch.append(Assignment(pk=pk, number=n))
        if len(batch) == 5000:
            Assignment.objects.bulk_update(batch, ["number"])
            batch = []
    Assignment.objects.bulk_update(batch, ["number"])


class Migration(migrations.Migration):
    dependencies = [
        ("judging", "0004_decisions_mentions_last"),
    ]

    operations = [
        migrations.AddField(
            model_name="assignment",
            name="number",
            field=models.PositiveIntegerField(default=0, verbose_name="number in the juror's queue"),
        ),
        migrations.RunPython(number_existing, migrations.RunPython.noop),
    ]
