#!/usr/bin/env python3
"""Writes Tests/Fixtures/python-float-table.txt: how Python prints doubles, the golden table
for annostore's CSV number formatting (Sources/AnnostoreModel/CSV/PythonFloat.swift).

Each line: the double's 64 bits in hex, `repr(v)`, and the CSV cell NimbusImage's server
writes for it (`str(int(v))` when `v.is_integer()`, else `repr(v)`). Deterministic (fixed
seed), so re-running gives the same file.
"""
import math
import random
import struct
import sys
from pathlib import Path


def bits(v):
    return struct.unpack("<Q", struct.pack("<d", v))[0]


def from_bits(b):
    return struct.unpack("<d", struct.pack("<Q", b))[0]


def cell(v):
    return str(int(v)) if v.is_integer() else repr(v)


def values():
    rng = random.Random(20240725)
    fixed = [
        0.0, -0.0, 1.0, -1.0, 0.1, 0.2, 0.3, 1 / 3, 2 / 3, 0.968, 2170.0, 1762842.9, 812.37,
        3724592.0, 1e-4, 1e-5, 9.999e-5, 0.00012345, 1.5e-7, 1e-7, 5e-324, 2.2250738585072014e-308,
        2.225073858507201e-308, 1.7976931348623157e308, 1e15, 1e16, 1.5e16, 9999999999999998.0,
        9007199254740992.0, 9007199254740993.0, 2.0**63, 2.0**63 - 1024, 2.0**64, 1e21, 1e22,
        1e23, 123456789012345678.0, 1e300, -1e300, 0.5, 1.25, 761.152955940129, 702.4453125,
        math.nan, math.inf, -math.inf, 5e-5, 4.35, 0.001, 100.0, 1e-10, 123.456e-8,
    ]
    out = list(fixed)
    for _ in range(1500):  # any double: random bit patterns
        v = from_bits(rng.getrandbits(64))
        if math.isfinite(v):
            out.append(v)
    for _ in range(3000):  # measurement-like decimals with few digits, all magnitudes
        digits = rng.randint(1, 17)
        mantissa = rng.randint(1, 10**digits - 1)
        exponent = rng.randint(-30, 30)
        v = float(f"{mantissa}e{exponent}")
        out.append(-v if rng.random() < 0.2 else v)
    for _ in range(200):  # whole numbers of every size
        v = float(rng.getrandbits(rng.randint(1, 1000)))
        if math.isfinite(v):
            out.append(v)
    for p in range(-30, 31):  # the exponent-form thresholds
        for v in (10.0**p, math.nextafter(10.0**p, 0), math.nextafter(10.0**p, math.inf)):
            out.append(v)
    return out


def main():
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else (
        Path(__file__).resolve().parent.parent / "Tests/Fixtures/python-float-table.txt")
    lines = [f"{bits(v):016x} {repr(v)} {cell(v) if math.isfinite(v) else repr(v)}"
             for v in values()]
    path.write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
