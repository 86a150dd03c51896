"""RFC 8785 canonical JSON (JSON Canonicalization Scheme), the bytes of every store file.

Objects have their keys sorted by UTF-16 code units, there is no whitespace, strings
carry only the escapes JSON requires, and numbers are IEEE-754 doubles written the way
ECMAScript's Number.prototype.toString writes them (`669.0` -> `669`, `1e21` -> `1e+21`,
`1e-7` -> `1e-7`).
"""

import math
from json.encoder import encode_basestring as _quote  # minimal escaping, \u00xx lowercase

__all__ = ["encode", "file_bytes", "format_number"]


def _es_digits(digits, point):
    """ECMAScript's layout of the shortest digits `digits` of a positive number whose
    value is 0.<digits> x 10**point (ECMA-262 Number::toString, steps for k, n)."""
    k = len(digits)
    if k <= point <= 21:
        return digits + "0" * (point - k)
    if 0 < point <= 21:
        return digits[:point] + "." + digits[point:]
    if -6 < point <= 0:
        return "0." + "0" * -point + digits
    exponent = point - 1
    mantissa = digits if k == 1 else digits[0] + "." + digits[1:]
    return mantissa + ("e+" if exponent > 0 else "e-") + str(abs(exponent))


def format_number(number):
    """The canonical spelling of an int or float. Refuses NaN, infinities and integers
    that a double cannot hold exactly."""
    if isinstance(number, bool):
        raise TypeError("a boolean is not a number")
    if isinstance(number, int):
        if abs(number) <= 2**53:
            return str(number)
        as_double = float(number)
        if as_double != number:
            raise ValueError(f"integer {number} cannot be held exactly by a double")
        number = as_double
    if not math.isfinite(number):
        raise ValueError(f"{number} is not a JSON number")
    if number == 0:
        return "0"
    text = repr(number)  # Python's repr is the shortest round-trip form, as ECMAScript's
    if "e" not in text:  # 1e-4 <= |x| < 1e16: the same digits, minus a trailing ".0"
        return text[:-2] if text.endswith(".0") else text
    sign = "-" if number < 0 else ""
    mantissa, exponent = text.lstrip("-").split("e")
    digits = mantissa.replace(".", "")
    return sign + _es_digits(digits, int(exponent) + 1)


def _utf16_order(key):
    return key.encode("utf-16-be")


def _sorted_keys(obj):
    keys = sorted(obj)
    # Code point order and UTF-16 order differ only when a key holds a character
    # outside the Basic Multilingual Plane.
    if any(not key.isascii() and max(key) > "\uffff" for key in keys):
        keys.sort(key=_utf16_order)
    return keys


def _encode_into(value, out):
    if isinstance(value, str):
        out.append(_quote(value))
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, (int, float)):
        out.append(format_number(value))
    elif isinstance(value, dict):
        out.append("{")
        for i, key in enumerate(_sorted_keys(value)):
            if not isinstance(key, str):
                raise TypeError(f"object key {key!r} is not a string")
            if i:
                out.append(",")
            out.append(_quote(key))
            out.append(":")
            _encode_into(value[key], out)
        out.append("}")
    elif isinstance(value, (list, tuple)):
        out.append("[")
        for i, item in enumerate(value):
            if i:
                out.append(",")
            _encode_into(item, out)
        out.append("]")
    else:
        raise TypeError(f"{type(value).__name__} is not a JSON value")


def encode(value):
    """The canonical JSON text of `value` (a str, without a trailing newline)."""
    out = []
    _encode_into(value, out)
    return "".join(out)


def file_bytes(value):
    """The bytes of a store file holding `value`: canonical JSON, UTF-8, one newline."""
    return (encode(value) + "\n").encode("utf-8")
