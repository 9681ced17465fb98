"""Evidence per checklist item: links, short texts and attached files.

Files go through Django's storage API (``STORAGES["evidence"]``: the filesystem under
MEDIA_ROOT by default, an S3-compatible bucket on several machines), under a name we make
up; the name the person gave is kept only for the download. A file's type is what its
content says (``core.filetypes``). When an evidence row goes — removed, or with its round,
assessment or organisation — its file is deleted from the storage once the deletion is
committed.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections import defaultdict

from django.core.files.storage import storages
from django.db import IntegrityError, transaction
from django.db.models.signals import post_delete
from django.utils.translation import gettext as _

from inclusion.core.filetypes import FileType

from .exceptions import AssessmentError, require_open
from .history import record
from .models import Assessment, Evidence, HistoryKind

STORAGE_ALIAS = "evidence"


def evidence_storage():
    return storages[STORAGE_ALIAS]


def safe_filename(name: str, kind: FileType) -> str:
    """The person's file name without a path, control or quoting characters, with the
    extension of the type we found (a PNG called report.html is served as report.png)."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    stem = base.rsplit(".", 1)[0] if "." in base else base
    stem = unicodedata.normalize("NFC", stem)
    stem = "".join(char for char in stem if unicodedata.category(char)[0] not in {"C"})
    stem = re.sub(r"[\"'<>:;|?*%]+", "", stem)
    stem = re.sub(r"\s+", " ", stem).strip(" .-")[:120] or "evidence"
    return f"{stem}.{kind.extension}"


def evidence_by_item(assessment: Assessment, item_ids) -> dict[str, list[Evidence]]:
    """Each item's evidence, oldest first: one query for all the items."""
    grouped: dict[str, list[Evidence]] = defaultdict(list)
    for evidence in Evidence.objects.filter(assessment=assessment, item_id__in=list(item_ids)).order_by(
        "added_at", "pk"
    ):
        grouped[evidence.item_id].append(evidence)
    return dict(grouped)


def earlier_evidence_by_item(assessment: Assessment, item_ids) -> dict[str, list[Evidence]]:
    """The previous round's evidence for these items that this round has not kept yet, each
    item's oldest first: one query (none for a first round)."""
    if assessment.previous_id is None:
        return {}
    kept = Evidence.objects.filter(assessment=assessment, kept_from__isnull=False).values("kept_from")
    grouped: dict[str, list[Evidence]] = defaultdict(list)
    for evidence in (
        Evidence.objects.filter(assessment_id=assessment.previous_id, item_id__in=list(item_ids))
        .exclude(pk__in=kept)
        .select_related("assessment")
        .order_by("added_at", "pk")
    ):
        grouped[evidence.item_id].append(evidence)
    return dict(grouped)


def keep_evidence(assessment: Assessment, earlier: Evidence, user=None) -> Evidence:
    """Keep a piece of the previous round's evidence for this round: a new row with the same
    link, text and file (the stored file is shared; it goes when the last row using it goes).
    Sent twice, the second time returns the first one's row."""
    require_open(assessment)
    if assessment.previous_id is None or earlier.assessment_id != assessment.previous_id:
        raise AssessmentError(_("Only the previous round's evidence can be kept for this round."))
    fields = ("item_id", "url", "text", "stored_name", "file_name", "content_type", "size")
    evidence = Evidence(
        assessment=assessment,
        kept_from=earlier,
        added_by=user if user is not None and user.is_authenticated else None,
        **{field: getattr(earlier, field) for field in fields},
    )
    try:
        with transaction.atomic():
            evidence.save()
            Assessment.objects.filter(pk=assessment.pk).update(updated_at=evidence.added_at)
            record(
                assessment,
                HistoryKind.EVIDENCE_ADDED,
                user,
                item_id=evidence.item_id,
                data={"label": str(evidence), "from_round": earlier.assessment.round_number},
            )
    except IntegrityError:
        return Evidence.objects.get(assessment=assessment, kept_from=earlier)
    return evidence


def add_evidence(
    assessment: Assessment, item, *, url: str = "", text: str = "", upload=None, kind: FileType | None = None, user=None
) -> Evidence:
    """Record evidence for a checklist item (``item``: a HandbookItem). ``upload`` is a file
    whose type ``kind`` has been checked by its content."""
    require_open(assessment)
    if not (url or text or upload):
        raise AssessmentError(_("Give a link, a short description or a file."))
    if upload is not None and kind is None:
        raise AssessmentError(_("This kind of file cannot be attached."))
    evidence = Evidence(
        assessment=assessment,
        item=item,
        url=url,
        text=text,
        added_by=user if user is not None and user.is_authenticated else None,
    )
    stored = ""
    if upload is not None:
        upload.seek(0)
        stored = evidence_storage().save(f"{assessment.public_id}/{uuid.uuid4().hex}.{kind.extension}", upload)
        evidence.stored_name, evidence.content_type = stored, kind.content_type
        evidence.file_name, evidence.size = safe_filename(getattr(upload, "name", ""), kind), upload.size
    try:
        with transaction.atomic():
            evidence.save()
            Assessment.objects.filter(pk=assessment.pk).update(updated_at=evidence.added_at)
            record(
                assessment, HistoryKind.EVIDENCE_ADDED, user, item_id=evidence.item_id, data={"label": str(evidence)}
            )
    except Exception:
        if stored:
            evidence_storage().delete(stored)
        raise
    return evidence


def remove_evidence(evidence: Evidence, user=None) -> None:
    require_open(evidence.assessment)
    with transaction.atomic():
        evidence.delete()
        record(
            evidence.assessment,
            HistoryKind.EVIDENCE_REMOVED,
            user,
            item_id=evidence.item_id,
            data={"label": str(evidence)},
        )


def open_file(evidence: Evidence):
    """The stored file, opened for reading (the caller closes it, e.g. a FileResponse)."""
    storage = evidence_storage()
    if not storage.exists(evidence.stored_name):
        # e.g. an organisation imported from another instance without its files
        raise FileNotFoundError(evidence.stored_name)
    return storage.open(evidence.stored_name, "rb")


def _delete_file_after_commit(sender, instance: Evidence, **kwargs) -> None:
    """Connected to post_delete: also when a round, an assessment or an organisation is
    deleted, since Django deletes the rows one by one when a receiver listens."""
    name = instance.stored_name
    if name:
        transaction.on_commit(lambda: _delete_unless_shared(name))


def _delete_unless_shared(name: str) -> None:
    """Delete a stored file unless another row still refers to it (an organisation imported
    as a copy next to its original shares the original's files)."""
    if not Evidence.objects.filter(stored_name=name).exists():
        evidence_storage().delete(name)


def connect_signals() -> None:
    post_delete.connect(_delete_file_after_commit, sender=Evidence, dispatch_uid="evidence_file_cleanup")
