"""Zip-level work: reproducible packages (fixed entry times, order and modes); a package's core properties."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import struct
import zipfile
import zlib
from pathlib import Path

from lxml import etree

CONTENT_TYPES = "[Content_Types].xml"
# The XML parts of a .docx we read are unpacked to at most this: a zip bomb stops here, not in memory.
MAX_XML_BYTES = 200 * 1024 * 1024
# What reading a damaged zip raises besides BadZipFile: a corrupt deflate stream (zlib.error), a
# member cut short (EOFError), an encrypted member or an unknown compression (RuntimeError,
# NotImplementedError), a size field beyond ZIP64 (LargeZipFile).
ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, RuntimeError, NotImplementedError)


def one_line(exc: BaseException) -> str:
    """An exception's message on one line (lxml's and zlib's may span several)."""
    return " ".join(str(exc).split())


def reproducible_zip(data: bytes, when: dt.date, fix_core_dates: bool = False) -> bytes:
    """Rewrite an OOXML package so the same content always gives the same bytes.

    ``fix_core_dates`` sets docProps/core.xml's created and modified dates to
    ``when``, for writers (openpyxl) that stamp the time of saving.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        entries = [(info.filename, src.read(info)) for info in src.infolist()]
    if fix_core_dates:
        iso = f"{when.isoformat()}T00:00:00Z".encode()
        entries = [
            (name, re.sub(rb"(<dcterms:(?:created|modified)\b[^>]*>)[^<]*", rb"\g<1>" + iso, blob)
             if name == "docProps/core.xml" else blob)
            for name, blob in entries
        ]
    return _zip(entries, when)


def write_package(package, when: dt.date) -> bytes:
    """Serialise a python-docx package straight to reproducible bytes.

    Does what python-docx's PackageWriter does, but compresses once and with
    fixed entry times, instead of saving and then rewriting the zip.
    """
    from docx.opc.oxml import serialize_part_xml
    from docx.opc.pkgwriter import (
        _ContentTypesItem,  # python-docx internals, pinned by tests
    )

    parts = list(package.iter_parts())
    entries: list[tuple[str, bytes]] = [
        (CONTENT_TYPES, serialize_part_xml(_ContentTypesItem.from_parts(parts)._element)),
        ("_rels/.rels", package.rels.xml),
    ]
    for part in parts:
        entries.append((part.partname.membername, part.blob))
        if len(part.rels):
            entries.append((part.partname.rels_uri.membername, part.rels.xml))
    return _zip(entries, when)


def _zip(entries: list[tuple[str, bytes]], when: dt.date) -> bytes:
    """The entries as a zip, byte for byte what zipfile writes for them (deflate level 6).

    Written here rather than through zipfile so that an entry whose bytes were
    compressed before (a template's styles, theme and settings, the same in the
    notice and every extract) is not compressed again.
    """
    stamp = (min(max(when.year, 1980), 2107), when.month, when.day, 0, 0, 0)  # the years a zip can hold
    dostime = stamp[3] << 11 | stamp[4] << 5 | stamp[5] // 2
    dosdate = (stamp[0] - 1980) << 9 | stamp[1] << 5 | stamp[2]
    order = sorted(entries, key=lambda e: (e[0] != CONTENT_TYPES, e[0] != "_rels/.rels", e[0]))
    out = bytearray()
    central = bytearray()
    for name, blob in order:
        data, crc = _deflated(blob)
        encoded = name.encode("ascii") if name.isascii() else name.encode("utf-8")
        flags = 0 if name.isascii() else 0x800
        offset = len(out)
        out += struct.pack("<4s2B4HL2L2H", b"PK\003\004", 20, 0, flags, zipfile.ZIP_DEFLATED, dostime, dosdate,
                           crc, len(data), len(blob), len(encoded), 0)
        out += encoded
        out += data
        central += struct.pack("<4s4B4HL2L5H2L", b"PK\001\002", 20, 3, 20, 0, flags, zipfile.ZIP_DEFLATED,
                               dostime, dosdate, crc, len(data), len(blob), len(encoded), 0, 0, 0, 0,
                               0o644 << 16, offset)
        central += encoded
    start = len(out)
    out += central
    out += struct.pack("<4s4H2LH", b"PK\005\006", 0, 0, len(order), len(order), len(central), start, 0)
    return bytes(out)


_DEFLATED: dict[bytes, tuple[bytes, int]] = {}
_DEFLATED_BYTES = 0


# Parts this large (a template's styles and theme) are also kept deflated in the user cache
# (``deflated/``, by the SHA-256 of the part and zlib's version): a cold render does not compress them again.
CACHED_FROM = 32 << 10


def _deflated(blob: bytes) -> tuple[bytes, int]:
    """``blob`` deflated (raw, level 6, as zipfile does) and its CRC-32; remembered for repeated parts."""
    global _DEFLATED_BYTES
    found = _DEFLATED.get(blob)
    if found is None:
        found = _deflated_cached(blob) if len(blob) >= CACHED_FROM else _deflate(blob)
        if _DEFLATED_BYTES + len(blob) > 32 << 20:
            _DEFLATED.clear()
            _DEFLATED_BYTES = 0
        _DEFLATED[blob] = found
        _DEFLATED_BYTES += len(blob)
    return found


def _deflate(blob: bytes) -> tuple[bytes, int]:
    packer = zlib.compressobj(6, zlib.DEFLATED, -15)
    return packer.compress(blob) + packer.flush(), zlib.crc32(blob)


def _deflated_cached(blob: bytes) -> tuple[bytes, int]:
    from .. import cache

    digest = hashlib.sha256(blob).hexdigest()
    name = f"deflated/{hashlib.sha256(f'6:{zlib.ZLIB_RUNTIME_VERSION}:{digest}'.encode()).hexdigest()}"
    stored = cache.read_bytes(name)
    if stored is not None and len(stored) >= 4:
        return stored[4:], int.from_bytes(stored[:4], "big")
    data, crc = _deflate(blob)
    cache.write_bytes(name, crc.to_bytes(4, "big") + data)
    return data, crc


def _zip_reference(entries: list[tuple[str, bytes]], when: dt.date) -> bytes:
    """The same zip through zipfile: what _zip must equal byte for byte (tests compare them)."""
    stamp = (min(max(when.year, 1980), 2107), when.month, when.day, 0, 0, 0)  # the years a zip can hold
    order = sorted(entries, key=lambda e: (e[0] != CONTENT_TYPES, e[0] != "_rels/.rels", e[0]))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for name, blob in order:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            dst.writestr(info, blob, compresslevel=6)
    return out.getvalue()


def core_property(path: Path, name: str) -> str:
    """A Dublin Core property (``creator``, ``description`` ...) of an OOXML file's docProps/core.xml;
    '' if the file is no such package or has none."""
    try:
        with zipfile.ZipFile(path) as z:
            core = z.read("docProps/core.xml")
        root = etree.fromstring(core, etree.XMLParser(resolve_entities=False, no_network=True))
    except (OSError, KeyError, ValueError, *ZIP_ERRORS, etree.XMLSyntaxError):
        return ""
    found = root.find(f"{{http://purl.org/dc/elements/1.1/}}{name}")
    return (found.text or "") if found is not None else ""
