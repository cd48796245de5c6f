from django.db import migrations, models


class Migration(migrations.Migration):
    """Preview links carry a generation the editor can count up, voiding those shared so far.

    A constant default: PostgreSQL adds the column without rewriting the table.
    """

    dependencies = [("articles", "0021_newsroom_without_user_directory")]

    operations = [
        migrations.AddField(
            model_name="article",
            name="preview_generation",
            field=models.PositiveIntegerField(db_default=0, default=0, editable=False),
        ),
    ]
