# Distinct names: assessments has its own Answer and the handbook's content its Question.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0001_initial"),
    ]

    operations = [
        migrations.RenameModel(old_name="Question", new_name="SurveyQuestion"),
        migrations.RenameModel(old_name="Answer", new_name="SurveyAnswer"),
    ]
