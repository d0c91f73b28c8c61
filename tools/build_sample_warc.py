"""Pack the sample corpus's HTML pages in ``warc_src/`` into ``articles/sample.warc.gz``.

Each page becomes a WARC ``response`` record for the URL in its ``<link rel="canonical">``, as a
crawler would have stored it. Run after editing warc_src: ``python tools/build_sample_warc.py``.
"""

from __future__ import annotations

import re
import sys
from io import BytesIO
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

SAMPLE = Path(__file__).resolve().parent.parent / "rashomon" / "data" / "sample"
_CANONICAL = re.compile(rb'<link[^>]+rel="canonical"[^>]+href="([^"]+)"', re.I)


def main() -> None:
    """Write the WARC from every ``warc_src/*.html``."""
    target = SAMPLE / "articles" / "sample.warc.gz"
    with target.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for page in sorted((SAMPLE / "warc_src").glob("*.html")):
            body = page.read_bytes()
            found = _CANONICAL.search(body)
            if not found:
                sys.exit(f"{page.name}: no <link rel=canonical> to take the URL from")
            headers = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
            )
            record = writer.create_warc_record(
                found.group(1).decode(), "response", payload=BytesIO(body), http_headers=headers
            )
            writer.write_record(record)
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
