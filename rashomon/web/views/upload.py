"""Add articles by uploading files: the formats and limits of ``rashomon add``, with a result per file.

Uploads are written to a fresh temporary folder under generated names; the name the browser sent
is only ever shown back as text, never used as a path.
"""

from __future__ import annotations

import re
import secrets
import shutil
import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from ...errors import UsageError
from ...settings import Settings
from ...store import Store
from ..common import StoreDep, render
from ..security import require_csrf

router = APIRouter(include_in_schema=False)

# One form post; more files than this is a folder, which `rashomon add -r` handles better.
MAX_FILES = 100
_CHUNK = 1024 * 1024
# Suffixes kept on the generated name (a hint for format detection, which reads the content anyway).
_SUFFIXES = (".warc.gz", ".txt", ".text", ".html", ".htm", ".xhtml", ".xml", ".rss", ".atom", ".warc",
             ".jsonl", ".ndjson", ".json", ".gz")
_LANG = re.compile(r"^[a-z]{2,3}$")


def _suffix(name: str) -> str:
    lower = name.lower()
    return next((s for s in _SUFFIXES if lower.endswith(s)), "")


def _display_name(name: str | None, index: int) -> str:
    """The name the browser sent, for display only (control characters dropped)."""
    name = "".join(c for c in (name or "") if c.isprintable()).strip()
    return name[:200] or f"file {index + 1}"


def save_upload(upload: UploadFile, folder: Path, index: int, *, max_bytes: int) -> Path | str:
    """Copy an upload into ``folder`` under a generated name; a reason string when it is refused."""
    target = folder / f"upload-{index:03d}-{secrets.token_hex(8)}{_suffix(upload.filename or '')}"
    size = 0
    with target.open("xb") as out:
        while chunk := upload.file.read(_CHUNK):
            size += len(chunk)
            if size > max_bytes:
                return f"file is larger than the limit of {max_bytes:,} bytes"
            out.write(chunk)
    if size == 0:
        return "file is empty"
    return target


def ingest_uploads(
    store: Store, uploads: list[UploadFile], *, settings: Settings, source: str | None, language: str | None
) -> list[dict[str, Any]]:
    """Ingest each upload on its own; one result per file."""
    from ... import pipeline  # lazily: the ingest stage may be missing from a partial install

    results: list[dict[str, Any]] = []
    folder = Path(tempfile.mkdtemp(prefix="rashomon-upload-"))
    try:
        for index, upload in enumerate(uploads):
            name = _display_name(upload.filename, index)
            result: dict[str, Any] = {"name": name, "added": [], "present": 0, "copies": 0, "failures": []}
            results.append(result)
            saved = save_upload(upload, folder, index, max_bytes=settings.max_file_bytes)
            if isinstance(saved, str):
                result["failures"].append(saved)
                continue
            report = pipeline.add_paths(
                store, [saved], settings=settings, source=source, language=language, keep_paths=False
            )
            result.update(added=report.added, present=report.present, copies=report.copies)
            for where, reason in report.failures:
                # The temporary path means nothing to the user: show the name they uploaded.
                where = where.replace(str(saved), name)
                reason = reason.replace(str(saved), name)
                result["failures"].append(reason if where == name else f"{where}: {reason}")
            saved.unlink(missing_ok=True)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    for result in results:
        result["articles"] = [store.get_article(i) for i in result["added"]]
        result["stories"] = {i: store.story_of(i) for i in result["added"]}
        result["ok"] = not result["failures"]
    return results


def _form_context(request: Request) -> dict[str, Any]:
    settings: Settings = request.app.state.settings
    return {"title": "Add articles", "max_bytes": settings.max_file_bytes,
            "max_mb": settings.max_file_bytes / 1024 / 1024, "max_files": MAX_FILES, "results": None}


@router.get("/add", response_class=HTMLResponse)
def upload_form(request: Request) -> Response:
    """The upload form."""
    return render(request, "upload.html", _form_context(request))


@router.post("/add", response_class=HTMLResponse, dependencies=[Depends(require_csrf)])
def upload(
    request: Request,
    store: StoreDep,
    files: Annotated[list[UploadFile], File()],
    source: Annotated[str, Form()] = "",
    lang: Annotated[str, Form()] = "",
) -> Response:
    """Ingest the uploaded files and show what happened to each."""
    source_value = source.strip()[:200] or None
    language = lang.strip().lower() or None
    if language is not None and not _LANG.match(language):
        raise UsageError(f"language must be an ISO 639-1 code like 'en' or 'be', not {lang!r}")
    uploads = [f for f in files if f.filename or f.size]
    if not uploads:
        raise UsageError("choose at least one file to upload")
    if len(uploads) > MAX_FILES:
        raise UsageError(f"at most {MAX_FILES} files per upload; use `rashomon add -r` for a folder")
    results = ingest_uploads(store, uploads, settings=request.app.state.settings, source=source_value,
                             language=language)
    context = _form_context(request)
    context["results"] = results
    context["totals"] = {
        "added": sum(len(r["added"]) for r in results),
        "present": sum(r["present"] for r in results),
        "copies": sum(r["copies"] for r in results),
        "failed": sum(not r["ok"] for r in results),
    }
    return render(request, "upload.html", context, status_code=200)
