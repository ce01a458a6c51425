"""Reading a ``multipart/form-data`` upload as it arrives, without spooling it anywhere.

Starlette's form parser writes file parts to temporary files before the route
runs. :class:`StreamedForm` instead parses the request stream itself: the small
text fields that come before the file are collected, then the file's bytes are
handed out chunk by chunk (also to synchronous code in a worker thread, through
:meth:`StreamedForm.sync_chunks`). Only the first file part is read.
"""

from __future__ import annotations

from collections import deque
from collections.abc import AsyncIterator, Iterator

import anyio.from_thread
from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import Request

from fluxent.api.routing import MULTIPART, ContentTypeRoute
from fluxent.core.errors import ValidationFailed

MAX_FIELD_BYTES = 4096
MAX_FIELDS = 20


class StreamedUploadRoute(ContentTypeRoute):
    """A route that declares no body parameters and reads a multipart stream itself."""

    def media_types(self) -> tuple[str, ...]:
        return (MULTIPART,)


def _invalid(message: str) -> ValidationFailed:
    return ValidationFailed(message, fields={"file": message})


def _html_form_unescape(filename: str) -> str:
    """Browsers (and httpx) send ``"``, CR and LF in file names as %22, %0D, %0A (HTML form encoding)."""
    return filename.replace("%22", '"').replace("%0D", "\r").replace("%0A", "\n")


class StreamedForm:
    def __init__(self, request: Request) -> None:
        _, params = parse_options_header(request.headers.get("content-type", ""))
        boundary = params.get(b"boundary")
        if not boundary:
            raise _invalid("The upload is not a valid multipart/form-data body (no boundary).")
        self._stream: AsyncIterator[bytes] = request.stream()
        self._events: deque[tuple[str, object]] = deque()
        self._ended = False
        self._headers: dict[bytes, bytes] = {}
        self._header_name = b""
        self._header_value = b""
        self._in_file = False
        self._field: bytearray | None = None
        self._field_name = ""
        self._fields = 0
        self._parser = MultipartParser(
            boundary,
            {
                "on_part_begin": self._part_begin,
                "on_header_field": lambda data, start, end: self._add_header(name=data[start:end]),
                "on_header_value": lambda data, start, end: self._add_header(value=data[start:end]),
                "on_header_end": self._header_end,
                "on_headers_finished": self._headers_finished,
                "on_part_data": self._part_data,
                "on_part_end": self._part_end,
            },
        )

    # Parser callbacks ---------------------------------------------------------------

    def _part_begin(self) -> None:
        self._headers, self._header_name, self._header_value = {}, b"", b""

    def _add_header(self, *, name: bytes = b"", value: bytes = b"") -> None:
        self._header_name += name
        self._header_value += value

    def _header_end(self) -> None:
        self._headers[self._header_name.strip().lower()] = self._header_value
        self._header_name, self._header_value = b"", b""

    def _headers_finished(self) -> None:
        _, options = parse_options_header(self._headers.get(b"content-disposition", b""))
        name = options.get(b"name", b"").decode("utf-8", "replace")
        if b"filename" in options:
            self._in_file = True
            self._events.append(("file", _html_form_unescape(options[b"filename"].decode("utf-8", "replace"))))
            return
        self._fields += 1
        if self._fields > MAX_FIELDS:
            raise _invalid("Too many form fields.")
        self._field, self._field_name = bytearray(), name

    def _part_data(self, data: bytes, start: int, end: int) -> None:
        if self._in_file:
            self._events.append(("data", data[start:end]))
            return
        if self._field is not None:
            self._field += data[start:end]
            if len(self._field) > MAX_FIELD_BYTES:
                raise _invalid(f"The form field {self._field_name!r} is too long.")

    def _part_end(self) -> None:
        if self._in_file:
            self._in_file = False
            self._events.append(("end", None))
        elif self._field is not None:
            self._events.append(("field", (self._field_name, self._field.decode("utf-8", "replace"))))
            self._field = None

    # Reading ------------------------------------------------------------------------

    async def _pump(self) -> None:
        try:
            chunk = await self._stream.__anext__()
        except StopAsyncIteration:
            self._ended = True
            return
        try:
            self._parser.write(chunk)
        except FormParserError:
            raise _invalid("The upload is not a valid multipart/form-data body.") from None

    async def fields_and_filename(self) -> tuple[dict[str, str], str]:
        """The text fields sent before the file, and the file's name as sent."""
        fields: dict[str, str] = {}
        while True:
            while self._events:
                kind, value = self._events.popleft()
                if kind == "field":
                    name, text = value  # type: ignore[misc]
                    fields[name] = text
                elif kind == "file":
                    return fields, str(value)
            if self._ended:
                raise _invalid("Attach the file in a form field after the other fields.")
            await self._pump()

    async def next_chunk(self) -> bytes | None:
        """The next piece of the file, or None at its end."""
        while True:
            if self._events:
                pieces: list[bytes] = []
                while self._events and self._events[0][0] == "data":
                    pieces.append(self._events.popleft()[1])  # type: ignore[arg-type]
                if pieces:
                    return b"".join(pieces)
                kind, _ = self._events.popleft()
                if kind == "end":
                    return None
                continue
            if self._ended:
                raise _invalid("The upload ended before the file was complete.")
            await self._pump()

    def sync_chunks(self) -> Iterator[bytes]:
        """:meth:`next_chunk` for synchronous code running in a worker thread."""
        while (chunk := anyio.from_thread.run(self.next_chunk)) is not None:
            yield chunk
