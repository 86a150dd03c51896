"""Read a NimbusImage JSON export one record at a time.

An export of a million annotations is ~700 MB of JSON; as Python objects it would take
several times that. `ExportReader` keeps the text and decodes one record at a time with
the standard library's C scanner, so memory stays near the size of the file.
"""

import json
import re

SECTIONS = ("annotations", "annotationConnections", "annotationProperties", "annotationPropertyValues")
VALUES = "annotationPropertyValues"

_WHITESPACE = re.compile(r"[ \t\n\r]*")


class ExportFormatError(ValueError):
    """The file is not a NimbusImage export this reader can walk."""


class ExportReader:
    """Walks the top-level object of an export in file order.

    `sections()` yields `(name, items)` for each top-level key; `items` yields each
    record (a dict) of a list section, or `(annotationId, values)` pairs of the values
    section. After each item, `span` is its `(start, end)` offsets in `text` (for a
    values pair, the whole `"id":{...}` member), so unchanged records can be copied
    through byte for byte. Each `items` must be used up before the next section.
    """

    def __init__(self, path):
        with open(path, encoding="utf-8") as f:
            self.text = f.read()
        self.span = (0, 0)
        self._pos = 0
        self._decode = json.JSONDecoder().raw_decode

    def _skip(self):
        self._pos = _WHITESPACE.match(self.text, self._pos).end()

    def _expect(self, char):
        self._skip()
        if self.text[self._pos : self._pos + 1] != char:
            raise ExportFormatError(f"expected {char!r} at offset {self._pos}")
        self._pos += 1

    def _peek(self, char):
        """Consumes `char` if it comes next (after whitespace)."""
        self._skip()
        if self.text[self._pos : self._pos + 1] == char:
            self._pos += 1
            return True
        return False

    def _value(self):
        self._skip()
        start = self._pos
        value, self._pos = self._decode(self.text, start)
        return value, start

    def _members(self, close):
        """Yields the elements of the array or members of the object just opened."""
        if self._peek(close):
            return
        while True:
            if close == "]":
                item, start = self._value()
            else:
                key, start = self._value()
                self._expect(":")
                item = (key, self._value()[0])
            self.span = (start, self._pos)
            yield item
            if self._peek(close):
                return
            self._expect(",")

    def sections(self):
        """Yields `(name, items)` for each top-level key, in file order."""
        self._pos = 0
        self._expect("{")
        if self._peek("}"):
            return
        while True:
            name, _ = self._value()
            if name not in SECTIONS:
                raise ExportFormatError(f"unknown top-level key {name!r}")
            self._expect(":")
            close = "}" if name == VALUES else "]"
            self._expect("{" if name == VALUES else "[")
            items = self._members(close)
            yield name, items
            for _ in items:  # whatever the caller left unread
                pass
            if self._peek("}"):
                break
            self._expect(",")
        self._skip()
        if self._pos != len(self.text):
            raise ExportFormatError(f"trailing content at offset {self._pos}")
