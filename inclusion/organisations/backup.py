"""Everything of one organisation, out of one instance and into another.

Which rows belong to an organisation is worked out from the models themselves: every model
with a chain of foreign keys to Organisation is included, so a new app's data is backed up
without anyone remembering to list it. People are included as far as the data needs them
(members, and whoever created or changed something), with their email addresses, so that
they can sign in on the new instance; two-factor devices are not copied (members set them up
again). Rows keep their primary keys, which is what "identical" means on a fresh instance.
"""

from __future__ import annotations

import json
from collections import deque

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core import serializers
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from inclusion.handbook.models import HandbookItem
from inclusion.handbook.services import get_handbook

from .models import Organisation

FORMAT = "inclusion-organisation-backup"
FORMAT_VERSION = 1


class BackupError(ValueError):
    """A backup that cannot be imported here; the message says why."""


def organisation_paths() -> dict[type[models.Model], str]:
    """For each model that belongs to an organisation, the lookup from it to the organisation."""
    user_model = get_user_model()
    paths: dict[type[models.Model], str] = {Organisation: "pk"}
    queue = deque([Organisation])
    while queue:
        owner = queue.popleft()
        for model in apps.get_models():
            if model in paths or model in (user_model, HandbookItem):
                continue
            for field in model._meta.concrete_fields:
                if isinstance(field, models.ForeignKey) and field.related_model is owner:
                    prefix = field.name
                    paths[model] = prefix if owner is Organisation else f"{prefix}__{paths[owner]}"
                    queue.append(model)
                    break
    return paths


def _rows(organisation: Organisation) -> list[models.Model]:
    rows: list[models.Model] = []
    for model, path in organisation_paths().items():
        lookup = {"pk": organisation.pk} if path == "pk" else {path: organisation}
        rows.extend(model._default_manager.filter(**lookup).order_by("pk").distinct())
    return rows


def _people(rows: list[models.Model]) -> list[models.Model]:
    """The users that the rows refer to, and their email addresses."""
    user_model = get_user_model()
    user_ids = {
        getattr(row, field.attname)
        for row in rows
        for field in row._meta.concrete_fields
        if isinstance(field, models.ForeignKey) and field.related_model is user_model
    } - {None}
    users = list(user_model.objects.filter(pk__in=user_ids).order_by("pk"))
    email_model = apps.get_model("account", "EmailAddress")
    return [*users, *email_model.objects.filter(user_id__in=user_ids).order_by("pk")]


def export_organisation(organisation: Organisation) -> str:
    rows = _rows(organisation)
    objects = json.loads(serializers.serialize("json", [*_people(rows), *rows]))
    document = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "organisation": organisation.slug,
        "content_version": get_handbook().version,
        "objects": objects,
    }
    return json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True)


def _check(document) -> None:
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise BackupError(_("This is not an organisation backup of Inclusion Toolkit."))
    if document.get("version") != FORMAT_VERSION:
        raise BackupError(_("This backup has format version %(version)s, which this instance cannot read.")
                          % {"version": document.get("version")})  # fmt: skip
    if Organisation.objects.filter(slug=document.get("organisation")).exists():
        raise BackupError(
            _("An organisation with the address “%(slug)s” already exists here.") % {"slug": document["organisation"]}
        )


def _handbook_keys(objects) -> set[str]:
    """The handbook item IDs the backup refers to (answers, actions and so on)."""
    keys = set()
    for item in objects:
        model = apps.get_model(item["model"])
        for field in model._meta.concrete_fields:
            if isinstance(field, models.ForeignKey) and field.related_model is HandbookItem:
                value = item["fields"].get(field.name)
                if value:
                    keys.add(value)
    return keys


@transaction.atomic
def import_organisation(text: str) -> Organisation:
    """Recreate an exported organisation with everything it held; nothing is written on error."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise BackupError(_("The file is not valid JSON: %(error)s") % {"error": error}) from error
    _check(document)
    missing = _handbook_keys(document["objects"]) - set(HandbookItem.objects.values_list("key", flat=True))
    if missing:
        raise BackupError(
            _("The backup refers to handbook items this instance does not have (%(keys)s): import the content first.")
            % {"keys": ", ".join(sorted(missing)[:5])}
        )
    try:
        for item in serializers.deserialize("json", json.dumps(document["objects"])):
            item.save()
    except IntegrityError as error:
        raise BackupError(
            _("The backup clashes with data already here (%(error)s). Import it into a fresh instance.")
            % {"error": error}
        ) from error
    return Organisation.objects.get(slug=document["organisation"])
