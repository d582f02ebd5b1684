"""Imports of other tools' history: the runs, and each imported ticket's source number."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contracts', '0002_services_from_versions'),
        ('desk', '0004_imported_history'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ImportRun',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('tool', models.CharField(max_length=16, verbose_name='source tool')),
                ('layout', models.CharField(max_length=24, verbose_name='layout')),
                ('system', models.CharField(max_length=64, verbose_name='source system')),
                ('file_name', models.CharField(max_length=255, verbose_name='file')),
                ('file_sha256', models.CharField(max_length=64, verbose_name='SHA-256 of the file')),
                ('file_size', models.PositiveBigIntegerField(default=0, verbose_name='size')),
                ('upload', models.FileField(blank=True, help_text='The uploaded file a background import reads.', upload_to='imports/%Y/%m/')),
                ('mapping_name', models.CharField(max_length=200, verbose_name='mapping')),
                ('mapping_sha256', models.CharField(max_length=64, verbose_name='SHA-256 of the mapping')),
                ('mapping_text', models.TextField(verbose_name='mapping text (YAML)')),
                ('created_at', models.DateTimeField(verbose_name='created')),
                ('started_at', models.DateTimeField(blank=True, null=True, verbose_name='started')),
                ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='finished')),
                ('status', models.CharField(choices=[('queued', 'Queued'), ('running', 'Running'), ('done', 'Done'), ('failed', 'Failed')], default='queued', max_length=16, verbose_name='status')),
                ('total', models.PositiveIntegerField(default=0, verbose_name='tickets to import')),
                ('done', models.PositiveIntegerField(default=0, verbose_name='tickets processed')),
                ('imported', models.PositiveIntegerField(default=0, verbose_name='tickets imported')),
                ('skipped', models.PositiveIntegerField(default=0, verbose_name='tickets already there')),
                ('events', models.PositiveBigIntegerField(default=0, verbose_name='events written')),
                ('report', models.JSONField(default=dict, verbose_name='report')),
                ('error', models.TextField(blank=True, verbose_name='error')),
                ('contract', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='import_runs', to='contracts.contract')),
                ('started_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='imported by')),
            ],
            options={
                'verbose_name': 'import',
                'verbose_name_plural': 'imports',
                'ordering': ['-created_at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='ImportedTicket',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('system', models.CharField(max_length=64, verbose_name='source system')),
                ('reference', models.CharField(max_length=128, verbose_name='external reference')),
                ('verdicts', models.JSONField(blank=True, default=dict, help_text='Clock -> met or breached, as the source tool judged it.', verbose_name="the source's SLA verdicts")),
                ('contract', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='contracts.contract')),
                ('ticket', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='import_source', to='desk.ticket')),
                ('run', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='imported_tickets', to='imports.importrun')),
            ],
            options={
                'verbose_name': 'imported ticket',
                'verbose_name_plural': 'imported tickets',
                'ordering': ['run', 'id'],
            },
        ),
        migrations.AddIndex(
            model_name='importrun',
            index=models.Index(fields=['contract', 'file_sha256'], name='import_run_file'),
        ),
        migrations.AddConstraint(
            model_name='importedticket',
            constraint=models.UniqueConstraint(fields=('contract', 'system', 'reference'), name='imported_reference_unique'),
        ),
    ]
