"""At most one facilitator: the program or the text, never both (after 0002 linked the text).
In its own migration: PostgreSQL refuses to alter a table with rows just updated in the same
transaction."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('sentra', '0002_facilitating_program'),
    ]

    operations = [
        migrations.AddConstraint(
            model_name='sentrasupport',
            constraint=models.CheckConstraint(condition=models.Q(('program__isnull', True), ('facilitated_by', ''), _connector='OR'), name='sentrasupport_one_facilitator', violation_error_message='Choose the facilitating program or write the facilitator, not both.'),
        ),
    ]
