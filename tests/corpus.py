"""A generated news corpus in every input format, for the reliability tests and the ingest benchmark.

Articles are ~250-400 words in English, Russian, German or Polish, built from sentence templates
filled with a per-article place, people and numbers, so no two are near-duplicates (5-word shingle
Jaccard well under the 0.8 threshold). HTML pages carry the furniture of a real news page (navigation,
teasers, share buttons, footer, scripts): ~25 KB each.
"""

from __future__ import annotations

import io
import json
import random
from dataclasses import dataclass
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

_PLACES = ["Lviv", "Gdansk", "Vilnius", "Brest", "Leipzig", "Riga", "Poznan", "Kaunas", "Hrodna", "Odesa",
           "Dresden", "Torun", "Minsk", "Tartu", "Lublin", "Kharkiv"]
_NAMES = ["Anna Koval", "Piotr Nowak", "Jonas Weber", "Olga Sych", "Marek Zielinski", "Inga Berzina",
          "Taras Melnyk", "Eva Richter", "Pavel Lukas", "Maria Hrytsenko"]
_SENTENCES = {
    "en": ["The city council of {place} approved plan {a} on {day} by {b} votes to {c}.",
           "{name} said the work would cost {d} million and take {c} months.",
           "Residents of district {a} were asked to use the temporary crossing near gate {b}.",
           "Officials expect {b} new tram stops and {c} repaired bridges by the end of {year}.",
           "Local media reported that {d} people attended the hearing on {day}.",
           "According to the transport office, traffic on route {a} fell by {c} per cent."],
    "ru": ["Городской совет {place} утвердил план {a} в {day} при {b} голосах против {c}.",
           "{name} заявил, что работы обойдутся в {d} миллионов и займут {c} месяцев.",
           "Жителей района {a} попросили пользоваться временной переправой у ворот {b}.",
           "Чиновники ожидают {b} новых остановок и {c} отремонтированных мостов к концу {year} года.",
           "Местные СМИ сообщили, что на слушания пришли {d} человек.",
           "По данным транспортного управления, движение по маршруту {a} сократилось на {c} процентов."],
    "de": ["Der Stadtrat von {place} hat den Plan {a} am {day} mit {b} zu {c} Stimmen beschlossen.",
           "{name} sagte, die Arbeiten würden {d} Millionen kosten und {c} Monate dauern.",
           "Die Bewohner des Bezirks {a} sollen die provisorische Brücke am Tor {b} benutzen.",
           "Die Behörden erwarten bis Ende {year} {b} neue Haltestellen und {c} sanierte Brücken.",
           "Lokale Medien berichteten, dass {d} Menschen an der Anhörung teilnahmen.",
           "Nach Angaben des Verkehrsamts ging der Verkehr auf der Linie {a} um {c} Prozent zurück."],
    "pl": ["Rada miasta {place} przyjęła plan {a} w {day} stosunkiem {b} do {c} głosów.",
           "{name} powiedział, że prace będą kosztować {d} milionów i potrwają {c} miesięcy.",
           "Mieszkańców dzielnicy {a} poproszono o korzystanie z tymczasowej przeprawy przy bramie {b}.",
           "Urzędnicy spodziewają się {b} nowych przystanków i {c} wyremontowanych mostów do końca {year}.",
           "Lokalne media podały, że na przesłuchanie przyszło {d} osób.",
           "Według urzędu transportu ruch na trasie {a} spadł o {c} procent."],
}
_TITLES = {"en": "Council of {place} approves plan {a}", "ru": "Совет {place} утвердил план {a}",
           "de": "Stadtrat {place} beschließt Plan {a}", "pl": "Rada {place} przyjęła plan {a}"}
_DAYS = {"en": "Monday", "ru": "понедельник", "de": "Montag", "pl": "poniedziałek"}
LANGUAGES = tuple(_SENTENCES)


@dataclass(frozen=True)
class Generated:
    """One generated article."""

    title: str
    text: str
    language: str
    source: str
    published: str
    url: str


def article(n: int, *, seed: int = 0) -> Generated:
    """The ``n``-th article of the corpus (the same for the same ``n`` and ``seed``)."""
    rng = random.Random(seed * 1_000_003 + n)
    language = LANGUAGES[n % len(LANGUAGES)]
    place = rng.choice(_PLACES)
    values = {"place": place, "name": rng.choice(_NAMES), "day": _DAYS[language], "year": 2020 + n % 5}
    paragraphs = []
    for _ in range(rng.randint(5, 8)):
        sentences = []
        for _ in range(rng.randint(3, 5)):
            values.update(a=rng.randint(1, 10_000), b=rng.randint(1, 999), c=rng.randint(1, 99),
                          d=rng.randint(100, 100_000))
            sentences.append(rng.choice(_SENTENCES[language]).format(**values))
        paragraphs.append(" ".join(sentences))
    values["a"] = n
    return Generated(
        title=_TITLES[language].format(**values), text="\n\n".join(paragraphs), language=language,
        source=f"Outlet {n % 7}", published=f"202{n % 5}-0{n % 9 + 1}-1{n % 9}",
        url=f"https://outlet{n % 7}.example/news/{n}",
    )


def text_file(item: Generated) -> str:
    """The article as a plain-text file (title, outlet line, stamp, body)."""
    return f"{item.title}\n\n{item.source}\n\n{item.published}\n\n{item.text}\n"


def jsonl_line(item: Generated) -> str:
    """The article as one JSON line."""
    return json.dumps({"title": item.title, "text": item.text, "url": item.url, "source": item.source,
                       "published": item.published}, ensure_ascii=False)


_NAV = "".join(f'<li><a href="/section/{i}">Section {i}</a></li>' for i in range(40))
_TEASERS = "".join(
    f'<div class="teaser"><a href="/news/other-{i}"><img src="/img/{i}.jpg" alt=""><h3>Other story '
    f"number {i} in the sidebar</h3></a><p>Short teaser text for story {i}.</p></div>" for i in range(30)
)
_SCRIPT = "<script>window.dataLayer=window.dataLayer||[];" + "var x=1;" * 800 + "</script>"


def html_page(item: Generated) -> str:
    """The article as a news web page with navigation, teasers, share buttons and footer."""
    body = "".join(f"<p>{p}</p>" for p in item.text.split("\n\n"))
    return (
        f'<!DOCTYPE html><html lang="{item.language}"><head><meta charset="utf-8"><title>{item.title} | '
        f'{item.source}</title><meta property="og:site_name" content="{item.source}">'
        f'<meta property="article:published_time" content="{item.published}T09:00:00+00:00">'
        f'<link rel="canonical" href="{item.url}">{_SCRIPT}</head><body><header><nav><ul>{_NAV}</ul></nav>'
        f'</header><main><article><h1>{item.title}</h1><p class="byline">{item.source}</p>{body}'
        f'<div class="share">Share Facebook Twitter</div></article><aside>{_TEASERS}</aside></main>'
        f"<footer><p>© {item.source}. All rights reserved.</p><ul>{_NAV}</ul></footer></body></html>"
    )


def write_warc(path: Path, items: list[Generated]) -> None:
    """The articles' pages as a gzip WARC of response records."""
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        for item in items:
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")],
                                       protocol="HTTP/1.1")
            payload = io.BytesIO(html_page(item).encode())
            writer.write_record(writer.create_warc_record(item.url, "response", payload=payload,
                                                          http_headers=headers))


def write_mixed(folder: Path, count: int, *, seed: int = 0) -> int:
    """``count`` articles as files of every format (txt, HTML, JSONL of 5, RSS of 5, WARC of 5).

    Returns:
        The number of files written.
    """
    folder.mkdir(parents=True, exist_ok=True)
    n = files = 0
    while n < count:
        kind = files % 10
        take = 1 if kind < 7 else min(5, count - n)
        items = [article(i, seed=seed) for i in range(n, n + take)]
        name = folder / f"f{files:05d}"
        if kind < 5:
            name.with_suffix(".txt").write_text(text_file(items[0]), encoding="utf-8")
        elif kind < 7:
            name.with_suffix(".html").write_text(html_page(items[0]), encoding="utf-8")
        elif kind == 7:
            name.with_suffix(".jsonl").write_text("\n".join(map(jsonl_line, items)) + "\n", encoding="utf-8")
        elif kind == 8:
            entries = "".join(
                f"<item><title>{i.title}</title><link>{i.url}</link><description><![CDATA["
                + "".join(f"<p>{p}</p>" for p in i.text.split("\n\n")) + "]]></description></item>"
                for i in items
            )
            name.with_suffix(".rss").write_text(
                f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Feed {files}'
                f"</title>{entries}</channel></rss>", encoding="utf-8")
        else:
            write_warc(name.with_suffix(".warc.gz"), items)
        n += take
        files += 1
    return files
