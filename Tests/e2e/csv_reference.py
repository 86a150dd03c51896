"""An independent Python model of the CSV that `annostore export csv` must write.

It follows nimbus/FORMAT.md §4 (NimbusImage's server CSV export and the frontend's
computed-path walk) plus annostore's two documented deviations: a cell or header name
NimbusImage would leave unquoted although it holds the delimiter, a quote, CR or LF is
quoted per RFC 4180 (as is a quoted header holding a quote), and an object cell is
canonical JSON. It knows nothing of annostore's code; the tests compare the two.
"""

import json
import math
import re

FIXED = [("Id", True), ("Channel", False), ("XY", False), ("Z", False), ("Time", False),
         ("Tags", True), ("Shape", True), ("Name", True)]


def number_cell(value):
    """How NimbusImage's server (Python) writes a number: whole floats as integers."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if math.isfinite(value) and value.is_integer():
        return str(int(value))
    return repr(value)


def utf16_key(text):
    return text.encode("utf-16-be")


def es_number(value):
    """ECMAScript's Number::toString (RFC 8785 §3.2.2.3) for a finite double."""
    if value == 0:
        return "0"
    if value < 0:
        return "-" + es_number(-value)
    mantissa, _, exponent = repr(float(value)).partition("e")
    whole, _, fraction = mantissa.partition(".")
    digits = (whole + fraction).lstrip("0")
    point = len(whole) + int(exponent or 0) - (len(whole + fraction) - len((whole + fraction).lstrip("0")))
    digits = digits.rstrip("0") or "0"
    k, n = len(digits), point
    if k <= n <= 21:
        return digits + "0" * (n - k)
    if 0 < n <= 21:
        return digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return "0." + "0" * -n + digits
    e = n - 1
    return digits[0] + ("." + digits[1:] if k > 1 else "") + "e" + ("+" if e > 0 else "-") + str(abs(e))


def canonical(value):
    """RFC 8785 (sorted keys by UTF-16 units, ECMAScript numbers, minimal escaping)."""
    if isinstance(value, dict):
        return "{" + ",".join(
            canonical(k) + ":" + canonical(value[k]) for k in sorted(value, key=utf16_key)) + "}"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return es_number(value)
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def sanitize(name):
    name = re.sub(r"[^A-Za-z0-9_]+", "_", name).strip("_")
    return name or "_"


def deduplicate(names):
    used, out = set(), []
    for name in names:
        candidate, k = name, 2
        while candidate in used:
            candidate = f"{name}_{k}"
            k += 1
        used.add(candidate)
        out.append(candidate)
    return out


def lookup(values, path):
    """The value at a path, or the marker `UNDEFINED`."""
    node = values
    for key in path:
        if not isinstance(node, dict) or key not in node:
            return UNDEFINED
        node = node[key]
    return node


UNDEFINED = object()


class Dataset:
    """A NimbusImage export as annostore holds it: annotations in id order (UTF-8 byte
    order), values with their keys in canonical order."""

    def __init__(self, export):
        self.annotations = sorted(export.get("annotations", []), key=lambda a: a["_id"].encode())
        self.properties = {p["_id"]: p.get("name", "") for p in export.get("annotationProperties", [])}
        self.values = {k: v for k, v in export.get("annotationPropertyValues", {}).items() if v}

    def leaf_paths(self, stored_order=True):
        """FORMAT.md §4.7, literally: a LIFO stack over every annotation's values."""
        def keys(node):
            return sorted(node, key=utf16_key) if stored_order else list(node)
        stack = [([], self.values[a["_id"]]) for a in self.annotations if a["_id"] in self.values]
        seen = {}
        while stack:
            path, node = stack.pop()
            if isinstance(node, dict) and node:
                for key in keys(node):
                    stack.append((path + [key], node[key]))
            elif path:
                seen.setdefault(tuple(path), len(seen))
        return [list(p) for p in sorted(seen, key=seen.get) if p[0] in self.properties]

    def columns(self, paths, sanitized):
        """[(name, quoted, path or None)] for the fixed columns and the paths with a column."""
        columns = [(name, quoted, None) for name, quoted in FIXED]
        for path in paths:
            if not path:
                continue
            name = self.properties.get(path[0])
            if not name:
                continue
            name = " / ".join([name] + list(path[1:]))
            if sanitized:
                name = sanitize(name)
            columns.append((name, "," in name, list(path)))
        if sanitized:
            names = deduplicate([c[0] for c in columns])
            columns = [(n, q, p) for n, (_, q, p) in zip(names, columns)]
        return columns

    def cells(self, annotation, columns, undefined):
        """The logical text of every cell of one row (what a CSV reader should give back);
        None for an undefined value."""
        location = annotation.get("location") or {}
        fixed = {
            "Id": annotation["_id"],
            "Channel": number_cell(annotation.get("channel", 0)),
            "XY": number_cell(location.get("XY", 0) + 1),
            "Z": number_cell(location.get("Z", 0) + 1),
            "Time": number_cell(location.get("Time", 0) + 1),
            "Tags": ", ".join(annotation.get("tags") or []),
            "Shape": annotation.get("shape", ""),
            "Name": annotation.get("name") or "",
        }
        values = self.values.get(annotation["_id"])
        out = []
        for index, (_, _, path) in enumerate(columns):
            if path is None:
                out.append(fixed[FIXED[index][0]])
                continue
            value = UNDEFINED if values is None else lookup(values, path)
            if value is UNDEFINED or value is None:
                out.append(None)
            elif isinstance(value, dict):
                out.append(canonical(value))
            elif isinstance(value, str):
                out.append(value)
            else:
                out.append(number_cell(value))
        return out

    def csv(self, paths, undefined="", delimiter=",", sanitized=False, ids=None):
        """The exact bytes annostore must write."""
        columns = self.columns(paths, sanitized)

        def field(text, quoted, header=False):
            if quoted or any(c in text for c in (delimiter, '"', "\r", "\n")):
                return '"' + text.replace('"', '""') + '"'
            return text

        lines = [delimiter.join(field(name, quoted, True) for name, quoted, _ in columns)]
        for annotation in self.annotations:
            if ids is not None and annotation["_id"] not in ids:
                continue
            cells = self.cells(annotation, columns, undefined)
            lines.append(delimiter.join(
                field(undefined if text is None else text, quoted)
                for text, (_, quoted, _) in zip(cells, columns)))
        return ("\n".join(lines) + "\n").encode("utf-8")
