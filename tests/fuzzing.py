"""Fuzzing inputs for every reader: seed documents per format, hypothesis mutators and the check.

Shared by tests/test_reliability.py (a small sample in CI) and benchmarks/fuzz_ingest.py (10,000
inputs per format, hypothesis or atheris). The check is the contract of :func:`rashomon.ingest.read_path`:
it yields articles and one-line :class:`RecordError` reasons, or raises a :class:`RashomonError` with a
one-line message; anything else (an uncaught exception) is a crash.
"""

from __future__ import annotations

import codecs
import gzip
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from hypothesis import strategies as st
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from rashomon.errors import RashomonError
from rashomon.ingest import RecordError, read_path
from rashomon.models import Article

RESOURCES = Path(__file__).parent / "resources"
FORMATS = ("txt", "html", "feed", "warc", "jsonl", "encodings")
# Small enough that the size checks are exercised by the mutators' duplications too.
MAX_BYTES = 200_000

_PAGE = """<!DOCTYPE html><html lang="{lang}"><head><meta charset="{charset}"><title>{title}</title>
<meta property="article:published_time" content="2024-03-0{n}T10:00:00+01:00"></head><body>
<nav><a href="/">Home</a> | <a href="/world">World</a></nav><article><h1>{title}</h1>
<p class="byline">By Ina Koval, 3 March 2024</p><p>{body}</p>
<p>Officials said repairs would take until the end of the month, and traffic was diverted.</p>
<figure><img src="a.jpg"><figcaption>Photo: Pavel Sych</figcaption></figure></article>
<footer>© News Example</footer></body></html>"""
_TEXTS = [
    ("en", "Bridge closed after flood", "The river rose two metres overnight and the bridge was closed."),
    ("ru", "Мост закрыт после паводка", "Река поднялась на два метра за ночь, мост закрыли для машин."),
    ("be", "Мост зачынены пасля паводку", "Рака паднялася на два метры за ноч, мост зачынілі для машын."),
    ("uk", "Міст закрили після повені", "Річка піднялася на два метри за ніч, міст закрили для руху."),
    ("pl", "Most zamknięty po powodzi", "Rzeka podniosła się o dwa metry, most zamknięto dla ruchu."),
    ("de", "Brücke nach Hochwasser gesperrt", "Der Fluss stieg über Nacht um zwei Meter, die Brücke ist zu."),
]


def _page(n: int, *, charset: str = "utf-8") -> str:
    lang, title, body = _TEXTS[n % len(_TEXTS)]
    return _PAGE.format(lang=lang, charset=charset, title=title, body=body, n=n % 9 + 1)


def _warc(*, gz: bool) -> bytes:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gz)
    writer.write_record(writer.create_warcinfo_record("seed.warc", {"software": "rashomon fuzz"}))
    for n in range(2):
        url = f"https://news.example/{n}"
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        payload = io.BytesIO(_page(n).encode())
        writer.write_record(writer.create_warc_record(url, "response", payload=payload, http_headers=headers))
    headers = StatusAndHeaders(
        "200 OK", [("Content-Type", "text/html"), ("Content-Encoding", "gzip")], protocol="HTTP/1.1"
    )
    payload = io.BytesIO(gzip.compress(_page(2).encode()))
    writer.write_record(writer.create_warc_record("https://news.example/z", "response", payload=payload,
                                                  http_headers=headers))
    return buffer.getvalue()


def _encoded(text: str, codec: str) -> bytes:
    return text.encode(codec, errors="replace")


def seeds(fmt: str) -> list[tuple[str, bytes]]:
    """Valid documents of a format, as (file name, bytes): what the mutators start from."""
    ingest = RESOURCES / "ingest"
    if fmt == "txt":
        files = [*ingest.glob("*.txt"), *(RESOURCES / "cli").glob("*.txt")]
        return [(p.name, p.read_bytes()) for p in sorted(files)]
    if fmt == "html":
        pages = [(f"page{n}.html", _page(n).encode()) for n in range(len(_TEXTS))]
        return [("de_latin1.html", (ingest / "de_latin1.html").read_bytes()), *pages]
    if fmt == "feed":
        return [(p.name, p.read_bytes()) for p in (ingest / "wire.rss", ingest / "radio.atom")]
    if fmt == "warc":
        return [("crawl.warc.gz", _warc(gz=True)), ("crawl.warc", _warc(gz=False))]
    if fmt == "jsonl":
        lines = [json.dumps({"title": t, "text": b, "language": lang, "url": f"https://e.example/{i}"},
                            ensure_ascii=i % 2 == 0) for i, (lang, t, b) in enumerate(_TEXTS)]
        return [("articles.jsonl", (ingest / "articles.jsonl").read_bytes()),
                ("made.jsonl", "\n".join(lines).encode())]
    if fmt == "encodings":
        out = [(p.name, p.read_bytes()) for p in sorted(ingest.glob("*.txt"))
               if not p.name.startswith(("be_", "en_"))]
        for lang, title, body in _TEXTS:
            for codec in ("cp1251", "koi8-r", "iso8859-5", "mac-cyrillic", "cp1250", "iso8859-2", "utf-16",
                          "utf-8-sig", "cp1252"):
                data = _encoded(f"{title}\n\n{body}\n", codec)
                if b"?" not in data:
                    out.append((f"{lang}_{codec}.txt", data))
        out.append(("ru_koi8.html", _encoded(_page(1, charset="koi8-r"), "koi8-r")))
        out.append(("ru_lie.html", _encoded(_page(1, charset="iso-8859-1"), "cp1251")))
        return out
    raise ValueError(fmt)


# Tokens that matter to some reader: markup, WARC/HTTP headers, JSON syntax, BOMs, charsets, control
# characters; inserted by the mutators so they reach the parsers' interesting branches quickly.
TOKENS = [
    b"<", b">", b"</", b"<!--", b"-->", b"<![CDATA[", b"]]>", b"<?xml version=\"1.0\"?>", b"<html>", b"<body>",
    b"<div>", b"<p>", b"</p>", b"<script>", b"<rss version=\"2.0\">", b"<feed>", b"<item>", b"<entry>",
    b"<title>", b"<description>", b"&amp;", b"&#0;", b"&#x110000;", b"&nbsp;", b"<!DOCTYPE html>",
    b"<meta charset=\"koi8-r\">", b"<meta charset=\"utf-16\">", b"<meta charset=\"x-unknown\">",
    b"encoding=\"cp1251\"", b"WARC/1.0\r\n", b"WARC-Type: response\r\n", b"WARC-Type: resource\r\n",
    b"Content-Length: 0\r\n", b"Content-Length: 99999999999\r\n", b"Content-Length: -1\r\n",
    b"Content-Type: text/html; charset=koi8-r\r\n", b"Content-Encoding: gzip\r\n", b"HTTP/1.1 200 OK\r\n",
    b"Transfer-Encoding: chunked\r\n", b"\r\n\r\n", b"\x1f\x8b\x08\x00", b"{", b"}", b"[", b"]",
    b"\"title\": ", b"\"text\": ", b"\"published\": \"2024-13-45\"", b"\"language\": 7", b"null",
    b"\\u0000", b"\\ud800", b"1e999", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\x00", b"\x1b",
    b"\x0c", b"\r", b"\n", b"\n\n", b"\xd0", b"\xc3\x28", b"\xf4\x90\x80\x80", b"\xe2\x80\xa8",
    b"Photo: ", b"Updated at 09:41, 17-03-2024", b"Source: ", b"Share", b"31.12.1969", b"29.02.2023",
]


@st.composite
def mutated(draw: st.DrawFn, fmt: str) -> tuple[str, bytes]:
    """A seed of ``fmt`` with 1-8 random mutations (flip, insert, delete, duplicate, splice, truncate)."""
    name, data = draw(st.sampled_from(seeds_cached(fmt)))
    buf = bytearray(data)
    for _ in range(draw(st.integers(1, 8))):
        op = draw(st.sampled_from(("flip", "token", "bytes", "delete", "duplicate", "splice", "truncate")))
        at = draw(st.integers(0, len(buf)))
        if op == "flip" and buf:
            at = min(at, len(buf) - 1)
            buf[at] ^= 1 << draw(st.integers(0, 7))
        elif op == "token":
            buf[at:at] = draw(st.sampled_from(TOKENS))
        elif op == "bytes":
            buf[at:at] = draw(st.binary(min_size=1, max_size=16))
        elif op == "delete":
            del buf[at : at + draw(st.integers(1, 256))]
        elif op == "duplicate":
            size = draw(st.integers(1, 4096))
            buf[at:at] = buf[at : at + size] * draw(st.integers(1, 50))
        elif op == "splice":
            other = draw(st.sampled_from([d for fmts in FORMATS for _n, d in seeds_cached(fmts)]))
            start = draw(st.integers(0, len(other)))
            buf[at:at] = other[start : start + draw(st.integers(1, 2048))]
        elif op == "truncate":
            del buf[at:]
    # The name steers detection only where content leaves it open; try the seed's and others.
    name = draw(st.sampled_from((name, name, "input.txt", "input.html", "feed.xml", "lines.jsonl",
                                 "crawl.warc.gz", "noext")))
    return name, bytes(buf)


@st.composite
def generated_text(draw: st.DrawFn) -> tuple[str, bytes]:
    """Random text (any script) in a random encoding, with or without a BOM: the decoders' input."""
    alphabet = st.characters(codec=None, exclude_categories=("Cs",))
    text = draw(st.text(alphabet=alphabet, min_size=0, max_size=400))
    lines = draw(st.lists(st.sampled_from([t for _l, t, _b in _TEXTS] + [b for _l, _t, b in _TEXTS]), max_size=4))
    text = "\n".join([*lines, text]) if draw(st.booleans()) else text
    codec = draw(st.sampled_from(("utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-32", "cp1251", "koi8-r",
                                  "koi8-u", "iso8859-5", "mac-cyrillic", "cp866", "cp1250", "cp1252", "latin-1",
                                  "iso8859-2", "gb18030", "shift_jis", "cp1253", "big5")))
    data = text.encode(codec, errors="replace")
    if draw(st.booleans()):
        data = codecs.BOM_UTF8 + data
    return draw(st.sampled_from(("a.txt", "a.html", "a.jsonl", "a"))), data


_SEED_CACHE: dict[str, list[tuple[str, bytes]]] = {}


def seeds_cached(fmt: str) -> list[tuple[str, bytes]]:
    """:func:`seeds`, computed once per format."""
    if fmt not in _SEED_CACHE:
        _SEED_CACHE[fmt] = seeds(fmt)
    return _SEED_CACHE[fmt]


def strategy(fmt: str) -> st.SearchStrategy[tuple[str, bytes]]:
    """Inputs for one format: mutated seeds (and generated text for ``encodings``)."""
    if fmt == "encodings":
        return st.one_of(mutated(fmt), generated_text())
    return mutated(fmt)


@dataclass
class Outcome:
    """What reading one input gave: articles, record errors, or the file's one-line rejection."""

    articles: int = 0
    record_errors: int = 0
    rejected: str | None = None


def _one_line(message: str) -> bool:
    return bool(message.strip()) and "\n" not in message and "\r" not in message and len(message) < 400


def check_file(path: Path, *, max_bytes: int = MAX_BYTES) -> Outcome:
    """Read ``path`` and check the readers' contract; an uncaught exception propagates (a crash)."""
    outcome = Outcome()
    try:
        for record in read_path(path, max_bytes=max_bytes):
            if isinstance(record, RecordError):
                assert _one_line(record.reason), f"record error is not one line: {record.reason!r}"
                assert record.location, "record error without a location"
                outcome.record_errors += 1
            else:
                assert isinstance(record, Article), f"reader yielded {type(record).__name__}"
                assert record.title.strip() and record.text.strip(), "article without title or text"
                assert "\x00" not in record.title + record.text, "NUL in an article"
                outcome.articles += 1
    except RashomonError as exc:
        assert _one_line(str(exc)), f"{type(exc).__name__} is not one line: {str(exc)!r}"
        outcome.rejected = f"{type(exc).__name__}: {exc}"
    return outcome


def check_bytes(folder: Path, name: str, data: bytes, *, max_bytes: int = MAX_BYTES) -> Outcome:
    """Write ``data`` as ``folder/name`` and :func:`check_file` it."""
    path = folder / name
    path.write_bytes(data)
    try:
        return check_file(path, max_bytes=max_bytes)
    finally:
        path.unlink(missing_ok=True)


Checker = Callable[[Path, str, bytes], Outcome]


# -- resource limits ----------------------------------------------------------------------------------

_PROBE = r"""
import json, resource, sys, time
from pathlib import Path
from rashomon.errors import RashomonError
from rashomon.ingest import RecordError, read_path
def run(path, max_bytes):
    out = {"articles": 0, "record_errors": 0, "rejected": None, "reasons": []}
    try:
        for record in read_path(Path(path), max_bytes=max_bytes):
            if isinstance(record, RecordError):
                out["record_errors"] += 1
                if len(out["reasons"]) < 3:
                    out["reasons"].append(record.location + ": " + record.reason)
            else:
                out["articles"] += 1
    except RashomonError as exc:
        out["rejected"] = f"{type(exc).__name__}: {exc}"
    return out
warm, path, max_bytes = sys.argv[1], sys.argv[2], int(sys.argv[3])
def hwm():
    # VmHWM is the peak RSS that getrusage's ru_maxrss reports, but resettable (clear_refs).
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
run(warm, max_bytes)  # imports, models and lazy tables loaded before the baseline
try:
    with open("/proc/self/clear_refs", "w") as refs:
        refs.write("5")  # reset the peak to the current RSS
except OSError:
    pass
base = hwm()
started = time.perf_counter()
out = run(path, max_bytes)
out["seconds"] = round(time.perf_counter() - started, 2)
out["baseline_mb"] = base // 1024
out["peak_mb"] = hwm() // 1024
out["maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
out["extra_mb"] = out["peak_mb"] - out["baseline_mb"]
print(json.dumps(out))
"""


def measure_read(path: Path, *, warm: Path, max_bytes: int, timeout: float = 600) -> dict[str, object]:
    """Read ``path`` in a fresh process; outcome, seconds and peak RSS above a warmed-up baseline (MB).

    ``warm`` is a small valid file of the same format, read first so that imports and lazily loaded
    models count in the baseline, not in the cost of the input.
    """
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-c", _PROBE, str(warm), str(path), str(max_bytes)],
        capture_output=True, text=True, timeout=timeout, check=False,
    )
    if result.returncode != 0:
        raise AssertionError(f"the probe crashed: {result.stderr[-2000:]}")
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


def write_single_line(path: Path, size: int) -> None:
    """A text file of ``size`` bytes with no line break (written in 1 MB pieces)."""
    piece = b"word " * (1024 * 1024 // 5)
    with path.open("wb") as stream:
        left = size
        while left > 0:
            stream.write(piece[:left])
            left -= len(piece)


def write_jsonl_single_line(path: Path, size: int) -> None:
    """A JSON Lines file whose one line (an article whose text never ends) is ``size`` bytes."""
    with path.open("wb") as stream:
        stream.write(b'{"title": "Endless", "text": "')
        left = size
        piece = b"word " * (1024 * 1024 // 5)
        while left > 0:
            stream.write(piece[:left])
            left -= len(piece)
        stream.write(b'"}\n')


def gzip_bomb(expanded: int) -> bytes:
    """A gzip stream that inflates to ``expanded`` zero bytes, built in milliseconds.

    One 16 MB block of zeros is deflated once, full-flushed (byte-aligned, no back-references across
    it) and repeated; the trailer's CRC is wrong, which a reader that stops at its limit never sees.
    """
    import zlib

    block = 16 * 1024 * 1024
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    header = compressor.compress(b"\0" * block) + compressor.flush(zlib.Z_FULL_FLUSH)
    repeat = zlib.compressobj(9, zlib.DEFLATED, -15)
    piece = repeat.compress(b"\0" * block) + repeat.flush(zlib.Z_FULL_FLUSH)
    return header + piece * max(0, expanded // block - 1) + compressor.flush()


def bomb_warc(path: Path, expanded: int) -> None:
    """A gzip WARC: one good page, then an HTML response whose gzip body inflates to ``expanded`` bytes."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record("https://news.example/0", "response",
                                                  payload=io.BytesIO(_page(0).encode()), http_headers=headers))
    bomb = StatusAndHeaders("200 OK", [("Content-Type", "text/html"), ("Content-Encoding", "gzip")],
                            protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record("https://news.example/bomb", "response",
                                                  payload=io.BytesIO(gzip_bomb(expanded)), http_headers=bomb))
    path.write_bytes(buffer.getvalue())


def deep_html(path: Path, depth: int) -> None:
    """An HTML page whose article paragraph sits ``depth`` ``<div>`` elements deep."""
    lang, title, body = _TEXTS[0]
    path.write_text(f"<html><head><title>{title}</title></head><body>" + "<div>" * depth
                    + f"<p>{body} " * 5 + "</div>" * depth + "</body></html>", encoding="utf-8")


def big_feed(path: Path, entries: int) -> None:
    """An RSS feed of ``entries`` short items."""
    with path.open("w", encoding="utf-8") as stream:
        stream.write('<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>')
        for n in range(entries):
            stream.write(f"<item><title>Item {n}</title><description>River level {n} cm.</description></item>")
        stream.write("</channel></rss>")
