"""Everything of one organisation, out of one instance and into another.

Which rows belong to an organisation is worked out from the models themselves: every model
with a chain of foreign keys to Organisation is included, so a new app's data is backed up
without anyone remembering to list it.

The file is handed to the organisation, so it holds nothing that opens a door: no password
hashes, no sessions, no tokens or their hashes (API tokens, invitations and share links are
left out; a survey gets a new link on import). People appear once each in `people`: members
with their email address and name, so that they can sign in on the new instance (by
resetting their password); everyone else the data mentions — platform staff, moderators,
former members — by a display name only.

Rows are numbered per model in the file (1, 2, 3 …) instead of carrying this instance's
primary keys, and refer to each other and to people by those numbers. An import allocates
fresh primary keys, never changes a row that exists, takes nothing but the listed fields of
the listed models (no is_staff, is_superuser, groups or permissions: accounts are created
here, never deserialised), and runs in one transaction: all of it or nothing. Exporting an
imported organisation gives the same file again.
"""

from __future__ import annotations

import json
import re
import uuid
from collections import deque

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.exceptions import ValidationError
from django.db import DatabaseError, models, transaction
from django.utils.translation import gettext as _

from inclusion.handbook.models import HandbookItem
from inclusion.handbook.services import get_handbook

from .models import Membership, Organisation

FORMAT = "inclusion-organisation-backup"
FORMAT_VERSION = 2
# Fields that hold a secret or a verifier of one: never written to the file.
SECRET_FIELDS = frozenset({"token", "token_hash", "private_token_hash"})
# What the file says about people who are not members (staff, moderators, former members).
STAFF_NAME = "Inclusion Toolkit staff"
FORMER_MEMBER_NAME = "Former member"


class BackupError(ValueError):
    """A backup that cannot be imported here; the message says why."""


_WHOLE_SECOND = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)\.000(Z|[+-]\d\d:\d\d)?$")


def _stable_time(value):
    """Django writes times to the millisecond, so a time with under a millisecond's
    fraction is written "…:55.000Z" but, read back, "…:55Z". Write both the same way, so an
    export of an import is byte-identical to the export it came from."""
    if isinstance(value, str):
        return _WHOLE_SECOND.sub(r"\1\2", value)
    return value


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


def is_credential(model: type[models.Model]) -> bool:
    """A model whose rows exist to hold a secret (API tokens, invitations, share links)."""
    return any(field.name == "token_hash" and field.unique for field in model._meta.concrete_fields)


def backed_up_models() -> list[type[models.Model]]:
    """The organisation's models in an order in which each row's required references come first."""
    paths = organisation_paths()
    restorable = {*paths, get_user_model(), HandbookItem}
    # Rows that need something outside the organisation (a network it belongs to) cannot be
    # restored on their own: they are left out, like credentials.
    candidates = [
        model
        for model in paths
        if not is_credential(model)
        and all(
            field.related_model in restorable
            for field in model._meta.concrete_fields
            if field.is_relation and not field.null
        )
    ]
    ordered: list[type[models.Model]] = []
    while candidates:
        for model in candidates:
            needs = {
                field.related_model
                for field in model._meta.concrete_fields
                if field.is_relation and not field.null and field.related_model in candidates
            } - {model}
            if not needs:
                ordered.append(model)
                candidates.remove(model)
                break
        else:  # a cycle of required references: cannot happen with nullable back-references
            raise RuntimeError(f"No import order for {[model._meta.label for model in candidates]}")
    return ordered


def _relations(model) -> list[models.ForeignKey]:
    return [field for field in model._meta.concrete_fields if field.is_relation]


def _data_fields(model) -> list[models.Field]:
    return [
        field
        for field in model._meta.concrete_fields
        if not field.is_relation and not field.primary_key and field.name not in SECRET_FIELDS
    ]


# --- export ------------------------------------------------------------------------------------


def _person(user, member_ids: set[int]) -> dict:
    if user.is_staff or user.is_superuser:
        return {"display_name": user.get_full_name() or STAFF_NAME}
    if user.pk in member_ids:
        return {"email": user.email, "first_name": user.first_name, "last_name": user.last_name}
    return {"display_name": user.get_full_name() or FORMER_MEMBER_NAME}


def export_organisation(organisation: Organisation) -> str:
    user_model = get_user_model()
    rows = {}
    for model in backed_up_models():
        path = organisation_paths()[model]
        lookup = {"pk": organisation.pk} if path == "pk" else {path: organisation}
        rows[model] = list(model._default_manager.filter(**lookup).order_by("pk").distinct())
    # Each row's number in the file: its position among its model's rows.
    numbers = {(model, row.pk): number for model, items in rows.items() for number, row in enumerate(items, 1)}
    user_ids = sorted(
        {
            getattr(row, field.attname)
            for model, items in rows.items()
            for row in items
            for field in _relations(model)
            if field.related_model is user_model
        }
        - {None}
    )
    member_ids = set(Membership.objects.filter(organisation=organisation).values_list("user_id", flat=True))
    users = user_model.objects.in_bulk(user_ids)
    people = {user_id: number for number, user_id in enumerate(user_ids, 1)}

    objects = []
    for model, items in rows.items():
        data_fields = [field.name for field in _data_fields(model)]
        serialised = json.loads(serializers.serialize("json", items, fields=data_fields)) if items else []
        for row, item in zip(items, serialised, strict=True):
            fields = {name: _stable_time(value) for name, value in item["fields"].items()}
            for field in _relations(model):
                target = getattr(row, field.attname)
                if target is None:
                    fields[field.name] = None
                elif field.related_model is user_model:
                    fields[field.name] = people[target]
                elif field.related_model is HandbookItem:
                    fields[field.name] = target
                else:
                    fields[field.name] = numbers.get((field.related_model, target))
            objects.append({"model": model._meta.label_lower, "pk": numbers[(model, row.pk)], "fields": fields})
    document = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "organisation": organisation.slug,
        "content_version": get_handbook().version,
        "people": [{"ref": number, **_person(users[user_id], member_ids)} for user_id, number in people.items()],
        "objects": objects,
    }
    return json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True)


# --- import ------------------------------------------------------------------------------------


def _check(document) -> None:
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise BackupError(_("This is not an organisation backup of Inclusion Toolkit."))
    if document.get("version") != FORMAT_VERSION:
        raise BackupError(_("This backup has format version %(version)s, which this instance cannot read.")
                          % {"version": document.get("version")})  # fmt: skip
    if not isinstance(document.get("objects"), list) or not isinstance(document.get("people", []), list):
        raise BackupError(_("The backup is damaged: %(problem)s") % {"problem": "objects, people"})


def _exists(slug: str) -> BackupError:
    return BackupError(
        _("An organisation with the address “%(slug)s” already exists here. Import it as a copy to keep both.")
        % {"slug": slug}
    )


def _damaged(problem: str) -> BackupError:
    return BackupError(_("The backup is damaged: %(problem)s") % {"problem": problem})


def _parse_objects(document) -> dict[type[models.Model], dict[int, dict]]:
    """The file's rows by model and number, refusing every model and field an export never holds."""
    allowed = {model._meta.label_lower: model for model in backed_up_models()}
    parsed: dict[type[models.Model], dict[int, dict]] = {model: {} for model in allowed.values()}
    for item in document["objects"]:
        if not isinstance(item, dict) or not isinstance(item.get("fields"), dict):
            raise _damaged(repr(item)[:80])
        model = allowed.get(item.get("model"))
        if model is None:
            raise BackupError(
                _("The backup holds rows of a kind an organisation backup never holds: %(model)s.")
                % {"model": str(item.get("model"))[:80]}
            )
        known = {field.name for field in [*_data_fields(model), *_relations(model)]}
        unknown = set(item["fields"]) - known
        if unknown:
            raise BackupError(
                _("The backup holds fields an organisation backup never holds: %(fields)s.")
                % {"fields": ", ".join(f"{item['model']}.{name}" for name in sorted(unknown)[:5])}
            )
        number = item.get("pk")
        if not isinstance(number, int) or isinstance(number, bool) or number in parsed[model]:
            raise _damaged(f"{item['model']} {number!r}")
        parsed[model][number] = item["fields"]
    if len(parsed[Organisation]) != 1:
        raise _damaged(_("it must hold exactly one organisation"))
    return parsed


def _create_people(document) -> dict[int, int]:
    """A user here for each person of the file: members are found by their address (an
    existing account is used as it is) or created without a password; everyone else gets an
    inactive account that carries only the display name."""
    from allauth.account.models import EmailAddress

    user_model = get_user_model()
    people = {}
    for person in document.get("people", []):
        if not isinstance(person, dict) or not isinstance(person.get("ref"), int):
            raise _damaged(repr(person)[:80])
        email = person.get("email")
        if email is not None:
            email = str(email).strip()
            user = (
                user_model.objects.filter(emailaddress__email__iexact=email, emailaddress__verified=True).first()
                or user_model.objects.filter(email__iexact=email).first()
            )
            if user is None:
                user = user_model(
                    username=email[:150],
                    email=email,
                    first_name=str(person.get("first_name", ""))[:150],
                    last_name=str(person.get("last_name", ""))[:150],
                )
                user.set_unusable_password()
                user.full_clean(exclude=["password"])
                user.save()
                EmailAddress.objects.create(user=user, email=email, primary=True, verified=False)
        else:
            user = user_model(
                username=f"imported-{uuid.uuid4().hex}",
                first_name=str(person.get("display_name", ""))[:150],
                is_active=False,
            )
            user.set_unusable_password()
            user.save()
        people[person["ref"]] = user.pk
    return people


def _handbook_keys(parsed) -> set[str]:
    """The handbook item IDs the backup refers to (answers, actions and so on)."""
    return {
        str(fields[field.name])
        for model, rows in parsed.items()
        for fields in rows.values()
        for field in _relations(model)
        if field.related_model is HandbookItem and fields.get(field.name)
    }


@transaction.atomic
def import_organisation(text: str, *, as_copy: bool = False) -> Organisation:
    """Recreate an exported organisation with everything it held; nothing is written on error.

    A file whose organisation exists here is refused, unless `as_copy`: then the copy gets an
    address of its own, and new identifiers where the original's must stay unique."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise BackupError(_("The file is not valid JSON: %(error)s") % {"error": error}) from error
    _check(document)
    parsed = _parse_objects(document)
    slug = str(document.get("organisation", ""))
    if Organisation.objects.filter(slug=slug).exists() and not as_copy:
        raise _exists(slug)
    missing = _handbook_keys(parsed) - set(HandbookItem.objects.values_list("key", flat=True))
    if missing:
        raise BackupError(
            _("The backup refers to handbook items this instance does not have (%(keys)s): import the content first.")
            % {"keys": ", ".join(sorted(missing)[:5])}
        )
    try:
        return _import(parsed, _create_people(document), as_copy=as_copy)
    except (ValidationError, ValueError, TypeError, DatabaseError) as error:
        if isinstance(error, BackupError):
            raise
        message = "; ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        raise BackupError(
            _("The backup cannot be imported, and nothing was changed: %(error)s") % {"error": message[:300]}
        ) from error


def _import(parsed, people: dict[int, int], *, as_copy: bool) -> Organisation:
    from .services import RESERVED_SLUGS, unique_slug

    user_model = get_user_model()
    created: dict[tuple[type[models.Model], int], int] = {}  # (model, number in the file) -> new pk
    later: list[tuple[type[models.Model], int, str, type[models.Model], int]] = []
    fresh_uuids: dict[uuid.UUID, uuid.UUID] = {}
    for model in backed_up_models():
        for number in sorted(parsed[model]):
            fields = parsed[model][number]
            row = model()
            for field in _data_fields(model):
                if field.name not in fields:
                    continue  # a secret left out of the file: the model's default makes a new one
                value = field.to_python(fields[field.name])
                if as_copy and isinstance(field, models.UUIDField) and value is not None:
                    value = fresh_uuids.setdefault(value, uuid.uuid4())
                setattr(row, field.attname, value)
            owner_field = organisation_paths()[model].split("__")[0]
            for field in _relations(model):
                reference = fields.get(field.name)
                target = field.related_model
                if reference is None and field.name == owner_field:
                    # Every row hangs from a row of the file, and so from its one organisation.
                    raise _damaged(f"{model._meta.label_lower}.{field.name}")
                if reference is None:
                    value = None
                elif target is user_model:
                    value = people.get(reference)
                    if value is None:
                        raise _damaged(f"{model._meta.label_lower}.{field.name} → person {reference!r}")
                elif target is HandbookItem:
                    value = str(reference)
                elif target in parsed and isinstance(reference, int) and reference in parsed[target]:
                    value = created.get((target, reference))
                    if value is None:  # a row that comes later: linked once it exists
                        if not field.null:
                            raise _damaged(f"{model._meta.label_lower}.{field.name}")
                        later.append((model, number, field.attname, target, reference))
                else:
                    # Never a row outside the file: an edited backup cannot reach into other organisations.
                    raise _damaged(f"{model._meta.label_lower}.{field.name} → {reference!r}")
                setattr(row, field.attname, value)
            if model is Organisation:
                if as_copy:
                    row.slug = unique_slug(row.name)
                elif row.slug in RESERVED_SLUGS or Organisation.objects.filter(slug=row.slug).exists():
                    raise _exists(row.slug)
                row.full_clean(validate_unique=False)
            if model._meta.label == "practices.Practice":
                row.handbook_key = None  # the handbook's own practices are never an organisation's
            row.save_base(raw=True, force_insert=True)
            created[(model, number)] = row.pk
    for model, number, attname, target, reference in later:
        model._default_manager.filter(pk=created[(model, number)]).update(**{attname: created[(target, reference)]})
    return Organisation.objects.get(pk=created[(Organisation, next(iter(parsed[Organisation])))])
