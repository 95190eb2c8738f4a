"""Slack's external file upload, as the stand-in plays it.

Step 1 ``files.getUploadURLExternal`` (filename, length) answers ``upload_url`` and
``file_id``; step 2 the client POSTs the bytes to that URL (not a Web API method: no
token, plain ``OK - <length>``); step 3 ``files.completeUploadExternal`` (``files`` as a
JSON array of ``{id, title}``, optional ``channel_id`` or ``channels`` and
``initial_comment``) shares the file and answers ``files``. slack_sdk's
``files_upload_v2`` makes exactly these three requests.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.playground.standin.workspace import Message, SlackError, Workspace

MAX_SIZE = 1024 * 1024 * 1024  # Slack's limit per file


@dataclass
class StoredFile:
    id: str
    name: str
    length: int
    title: str = ""
    data: bytes | None = None
    shared_in: list[str] = field(default_factory=list)

    def as_slack(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "title": self.title or self.name,
                "size": len(self.data or b""), "mimetype": _mimetype(self.name),
                "channels": [c for c in self.shared_in if c.startswith("C")],
                "ims": [c for c in self.shared_in if c.startswith("D")],
                "is_external": False, "url_private": f"https://files.local/{self.id}"}


def _mimetype(name: str) -> str:
    for suffix, kind in ((".zip", "application/zip"), (".json", "application/json"),
                         (".csv", "text/csv"), (".png", "image/png"), (".pdf", "application/pdf")):
        if name.lower().endswith(suffix):
            return kind
    return "application/octet-stream"


def get_upload_url(workspace: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    try:
        length = int(str(args["length"]))
    except ValueError:
        raise SlackError("invalid_arguments", ["length must be an integer"]) from None
    if length <= 0:
        raise SlackError("missing_argument")  # Slack's answer to a length of 0
    if length > MAX_SIZE:
        raise SlackError("file_upload_size_restricted")
    if len(str(args.get("alt_txt") or "")) > 1000:
        raise SlackError("alt_txt_too_large")
    file_id = workspace.next_id("F")
    workspace.files[file_id] = StoredFile(file_id, str(args["filename"]), length)
    return {"upload_url": f"{workspace.upload_base}/upload/v1/{file_id}", "file_id": file_id}


def receive_upload(workspace: Workspace, file_id: str, body: bytes) -> tuple[int, str]:
    """The POST to an upload URL: (HTTP status, body) as Slack's upload service answers."""
    stored = workspace.files.get(file_id)
    if stored is None:
        return 404, "Not Found"
    stored.data = body
    return 200, f"OK - {len(body)}"


def complete_upload(workspace: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    items = workspace.json_arg(args["files"])
    if not isinstance(items, list) or not items or not all(
            isinstance(i, dict) and i.get("id") for i in items):
        raise SlackError("invalid_arguments", ["files must be an array of {id, title}"])
    found = []
    for item in items:
        stored = workspace.files.get(str(item["id"]))
        # A file never uploaded, or uploaded with another length, is not found by Slack.
        if stored is None or stored.data is None or len(stored.data) != stored.length:
            raise SlackError("file_not_found")
        found.append((stored, str(item.get("title") or stored.name)))
    targets = [str(args["channel_id"])] if args.get("channel_id") else \
        [c for c in str(args.get("channels") or "").split(",") if c]
    channels = [workspace.resolve_channel(target) for target in targets]
    for stored, title in found:
        stored.title = title
        for channel in channels:
            if channel not in stored.shared_in:
                stored.shared_in.append(channel)
    for channel in channels:
        workspace.messages.append(Message(
            channel=channel, ts=workspace.next_ts(), text=str(args.get("initial_comment") or ""),
            blocks=None, thread_ts=args.get("thread_ts"),
            files=[stored.as_slack() for stored, _ in found]))
    return {"files": [stored.as_slack() for stored, _ in found]}


METHODS = {"files.getUploadURLExternal": get_upload_url,
           "files.completeUploadExternal": complete_upload}
REQUIRED = {"files.getUploadURLExternal": ("filename", "length"),
            "files.completeUploadExternal": ("files",)}
