from django.db import models


class HandbookItem(models.Model):
    """A piece of handbook content that other data refers to by its stable ID.

    The content files are the source of truth; this table mirrors them so that answers,
    ratings and survey questions can point at an item with a foreign key, and so that an
    item removed from the files keeps its last text for the old records that cite it.
    """

    class Kind(models.TextChoices):
        INTRO_SECTION = "intro_section"
        AREA = "area"
        BENEFIT = "benefit"
        SUCCESS_FACTOR = "success_factor"
        CHECKLIST_GROUP = "checklist_group"
        CHECKLIST_ITEM = "checklist_item"
        PRACTICE = "practice"
        RESOURCE = "resource"
        SUMMARY_ITEM = "summary_item"
        CRITERION = "criterion"
        QUESTION = "question"
        INDICATOR = "indicator"
        GLOSSARY_TERM = "glossary_term"

    key = models.CharField(max_length=100, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    area = models.CharField(max_length=4, blank=True, db_index=True)
    parent = models.CharField(max_length=100, blank=True)
    position = models.PositiveIntegerField(default=0)
    # {"lv": "…", "en": "…"}: the item's title or text in every language, as last imported.
    label = models.JSONField(default=dict)
    # Language-independent attributes (applies_to, threshold, …).
    attributes = models.JSONField(default=dict)
    content_version = models.CharField(max_length=20)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["kind", "area", "position"]
        indexes = [models.Index(fields=["kind", "retired_at"])]

    def __str__(self):
        return self.key

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None

    def label_in(self, language: str) -> str:
        return self.label.get(language) or next(iter(self.label.values()), self.key)
