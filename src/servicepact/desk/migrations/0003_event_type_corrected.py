"""A ticket event type of its own for corrections of the service or category (the SLA log's `corrected`)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("desk", "0002_ticket_counters")]

    operations = [
        migrations.AlterField(
            model_name="ticketevent",
            name="type",
            field=models.CharField(
                choices=[
                    ("created", "Created"), ("status", "Status changed"), ("priority", "Priority changed"),
                    ("assigned", "Assigned to a team"), ("replied", "Replied"),
                    ("corrected", "Service or category corrected"), ("note", "Internal note"),
                    ("assignee", "Assignee changed"), ("field", "Field changed"), ("attachment", "Attachment added"),
                    ("watcher", "Watcher changed"), ("clock_warning", "Clock warning"),
                ],
                max_length=20,
                verbose_name="type",
            ),
        ),
    ]
