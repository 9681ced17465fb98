from django.apps import AppConfig
from django.db.models.signals import post_delete


class FeedbackConfig(AppConfig):
    name = "inclusion.feedback"
    verbose_name = "Beneficiary feedback"

    def ready(self):
        from .models import QuestionRecording
        from .recordings import delete_file

        # However a recording goes (replaced, removed, its survey or organisation deleted),
        # its file goes too.
        post_delete.connect(delete_file, sender=QuestionRecording, dispatch_uid="feedback-recording-file")
