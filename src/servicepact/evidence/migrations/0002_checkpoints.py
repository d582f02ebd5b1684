"""Checkpoints: signed statements over the heads of every chain, kept write-once (the guard included)."""

import django.db.models.deletion
from django.db import migrations, models

from servicepact.evidence import guard


class Migration(migrations.Migration):

    dependencies = [
        ('contracts', '0002_services_from_versions'),
        ('evidence', '0001_write_once_guard'),
        ('slm', '0004_report_inputs'),
    ]

    operations = [
        migrations.CreateModel(
            name='HeadSet',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('root', models.CharField(max_length=64, unique=True, verbose_name='Merkle root')),
                ('count', models.PositiveIntegerField(verbose_name='leaves')),
                ('compressed', models.BinaryField(verbose_name='leaves, zlib-compressed canonical JSON')),
            ],
            options={
                'verbose_name': 'set of chain heads',
                'verbose_name_plural': 'sets of chain heads',
            },
        ),
        migrations.CreateModel(
            name='Checkpoint',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('sequence', models.PositiveIntegerField(unique=True, verbose_name='sequence')),
                ('taken_at', models.DateTimeField(verbose_name='taken at')),
                ('reason', models.CharField(choices=[('schedule', 'Scheduled'), ('report', 'With a stored report'), ('command', 'Asked for on the command line')], max_length=16, verbose_name='reason')),
                ('root', models.CharField(max_length=64, verbose_name='Merkle root')),
                ('statement', models.TextField(verbose_name='statement')),
                ('signature', models.CharField(max_length=100, verbose_name='signature (Ed25519, base64)')),
                ('key', models.CharField(max_length=64, verbose_name='public key (hex)')),
                ('report', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='slm.storedreport')),
            ],
            options={
                'verbose_name': 'checkpoint',
                'verbose_name_plural': 'checkpoints',
                'ordering': ['-sequence'],
            },
        ),
        migrations.CreateModel(
            name='CheckpointGroup',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('position', models.PositiveIntegerField(verbose_name='position in the tree')),
                ('name', models.CharField(max_length=120, verbose_name='name')),
                ('changed', models.BooleanField(verbose_name='changed since the previous checkpoint')),
                ('checkpoint', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='groups', to='evidence.checkpoint')),
                ('contract', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='contracts.contract')),
                ('heads', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='evidence.headset')),
            ],
            options={
                'verbose_name': 'checkpoint group',
                'verbose_name_plural': 'checkpoint groups',
                'ordering': ['checkpoint', 'position'],
                'constraints': [models.UniqueConstraint(fields=('checkpoint', 'position'), name='checkpoint_group_position_unique'), models.UniqueConstraint(fields=('checkpoint', 'name'), name='checkpoint_group_name_unique')],
            },
        ),
        guard.install(
            guard.Guarded("evidence_headset"),
            guard.Guarded("evidence_checkpoint"),
            guard.Guarded("evidence_checkpointgroup"),
        ),
    ]
