import factory

from inclusion.handbook.models import HandbookItem


class HandbookItemFactory(factory.django.DjangoModelFactory):
    """A checklist item row; the existing row when the content is imported already."""

    class Meta:
        model = HandbookItem
        django_get_or_create = ("key",)

    key = "a1.c1"
    kind = HandbookItem.Kind.CHECKLIST_ITEM
    area = factory.LazyAttribute(lambda item: item.key.split(".")[0])
    label = factory.LazyAttribute(lambda item: {"en": f"Item {item.key}"})
    content_version = "test"
