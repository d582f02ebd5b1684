"""History from other tools: the status pending_problem, and the events unassigned and amended (choices only)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('desk', '0003_event_type_corrected'),
    ]

    operations = [
        migrations.AlterField(
            model_name='ticket',
            name='status',
            field=models.CharField(choices=[('new', 'New'), ('assigned', 'Assigned'), ('in_progress', 'In progress'), ('pending_customer', 'Pending customer'), ('pending_vendor', 'Pending vendor'), ('pending_problem', 'Pending problem'), ('resolved', 'Resolved'), ('closed', 'Closed')], default='new', max_length=20, verbose_name='status'),
        ),
        migrations.AlterField(
            model_name='ticketevent',
            name='type',
            field=models.CharField(choices=[('created', 'Created'), ('status', 'Status changed'), ('priority', 'Priority changed'), ('assigned', 'Assigned to a team'), ('replied', 'Replied'), ('corrected', 'Service or category corrected'), ('unassigned', 'Back to no team'), ('amended', 'Changed after closing'), ('note', 'Internal note'), ('assignee', 'Assignee changed'), ('field', 'Field changed'), ('attachment', 'Attachment added'), ('watcher', 'Watcher changed'), ('clock_warning', 'Clock warning')], max_length=20, verbose_name='type'),
        ),
    ]
