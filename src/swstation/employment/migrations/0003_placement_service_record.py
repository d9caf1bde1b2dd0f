# A recipient's start of work counts as a service (issue 14): the placement keeps the
# 就业帮扶 service record it wrote.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0014_service_type_employment'),
        ('employment', '0002_income_follow_up'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalplacement',
            name='service_record',
            field=models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='cases.servicerecord', verbose_name='service record'),
        ),
        migrations.AddField(
            model_name='placement',
            name='service_record',
            field=models.OneToOneField(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='cases.servicerecord', verbose_name='service record'),
        ),
    ]
