# Services keep their identity; names and tiers come from the signed version in force.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('contracts', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='service',
            options={'ordering': ['contract', 'key'], 'verbose_name': 'service', 'verbose_name_plural': 'services'},
        ),
        migrations.RemoveField(
            model_name='service',
            name='name',
        ),
        migrations.RemoveField(
            model_name='service',
            name='tier',
        ),
        migrations.AddField(
            model_name='contractversion',
            name='registered_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='registered by'),
        ),
        migrations.AlterField(
            model_name='contractversion',
            name='created_at',
            field=models.DateTimeField(auto_now_add=True, verbose_name='registered at'),
        ),
        migrations.AlterField(
            model_name='contractversion',
            name='customer_signed_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='signed for the customer at'),
        ),
        migrations.AlterField(
            model_name='contractversion',
            name='customer_signed_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='signed for the customer by'),
        ),
        migrations.AlterField(
            model_name='contractversion',
            name='provider_signed_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='signed for the provider at'),
        ),
        migrations.AlterField(
            model_name='contractversion',
            name='provider_signed_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='signed for the provider by'),
        ),
    ]
