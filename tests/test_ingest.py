"""Ingest: format detection, decoding, furniture removal and every reader, on real files."""

from __future__ import annotations

import gzip
import io
import json
import os
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from rashomon.errors import EmptyInput, FileTooLarge, InputError, UnsupportedFormat
from rashomon.ingest import RecordError, detect_format, read_path
from rashomon.ingest.encoding import decode_bytes
from rashomon.ingest.furniture import clean, parse_stamp
from rashomon.models import Article

RESOURCES = Path(__file__).parent / "resources" / "ingest"
MAX = 1_000_000


def read_all(path: Path, **options: object) -> list[Article | RecordError]:
    return list(read_path(path, max_bytes=options.pop("max_bytes", MAX), **options))  # type: ignore[arg-type]


def read_one(path: Path, **options: object) -> Article:
    (article,) = read_all(path, **options)
    assert isinstance(article, Article)
    return article


# -- plain text ---------------------------------------------------------------------------------------


def test_belarusian_text_furniture_becomes_metadata() -> None:
    article = read_one(RESOURCES / "be_furniture.txt")
    assert article.title == "Гарадская рада зацвердзіла новы план рамонту мастоў"
    assert article.source == "Наша Ніва"
    assert article.updated == "2024-03-17T09:41"
    assert article.published is None
    assert article.photo_credits == ["Іван Сідарэнка"]
    assert article.language == "be"
    assert article.format == "txt"
    assert article.encoding == "utf-8"
    assert article.path == str((RESOURCES / "be_furniture.txt").absolute())
    assert article.id == ""
    paragraphs = article.text.split("\n\n")
    # hard-wrapped lines of one paragraph are joined with a space
    assert paragraphs[0].startswith("Дэпутаты гарадской рады ў аўторак")
    assert "паводле якога за тры гады" in paragraphs[0]
    assert len(paragraphs) == 3
    for furniture in ("Абноўлена", "Фота", "Падзяліцца", "Facebook", "Наша Ніва", "Рабочыя на старым мосце"):
        assert furniture not in article.text
    assert article.title not in article.text


def test_english_text_stamps_credits_and_captions() -> None:
    article = read_one(RESOURCES / "en_furniture.txt")
    assert article.title == "Harbour Authority Delays Ferry Timetable Change"
    assert article.source == "Example Wire"
    assert article.updated == "2023-11-03T09:05"
    assert article.published == "2023-11-02"
    # the empty credit ("... pier. Photo:") is dropped, a named one at the end of a line is kept
    assert article.photo_credits == ["Jane Doe", "Harbour Authority"]
    assert article.language == "en"
    paragraphs = article.text.split("\n\n")
    assert paragraphs == [
        "The harbour authority said on Thursday it would postpone the new ferry timetable by two weeks "
        "after complaints from commuters on the northern route.",
        '"We have listened to the people who use the boats every day," a spokeswoman told reporters.',
        # two sentences before a credit are a paragraph, kept without the credit
        "The change was first announced in September. "
        "The authority did not say whether the fares would change.",
    ]
    # a one-sentence caption before a credit is not body text
    assert "Passengers waiting" not in article.text
    for furniture in ("Share", "Tweet", "Updated", "Published", "Photo"):
        assert furniture not in article.text


def test_ukrainian_utf8_bom() -> None:
    article = read_one(RESOURCES / "uk_bom.txt")
    assert article.encoding == "utf-8"
    assert article.title == "Міська рада ухвалила бюджет на ремонт шкіл"
    assert not article.title.startswith("\ufeff")
    assert article.updated == "2024-03-05T18:20"
    assert article.photo_credits == ["Олена Коваль"]
    assert article.language == "uk"
    assert "Поділитися" not in article.text
    assert "Батьки учнів" not in article.text  # caption before "Фото:"
    assert article.source is None  # the line under the title is a sentence, not an outlet


def test_russian_cp1251() -> None:
    article = read_one(RESOURCES / "ru_cp1251.txt")
    assert article.encoding == "cp1251"
    assert article.title == "Городские власти закрыли старый рынок на реконструкцию"
    assert article.updated == "2024-02-12T10:15"
    assert article.published == "2024-02-11"
    assert article.photo_credits == ["Пётр Смирнов"]
    assert article.language == "ru"
    assert article.text.endswith("что им не дали времени подготовиться.")
    assert "Поделиться" not in article.text


def test_russian_koi8r() -> None:
    article = read_one(RESOURCES / "ru_koi8r.txt")
    assert article.encoding == "koi8-r"
    assert article.title == "Новый мост через реку откроют летом"
    assert article.updated == "2023-06-03T08:40"
    assert article.text.startswith("Строители завершили укладку последнего пролета")
    assert article.language == "ru"


def test_german_utf16() -> None:
    article = read_one(RESOURCES / "de_utf16.txt")
    assert article.encoding == "utf-16"
    assert article.title == "Stadtrat beschließt neue Radwege"
    assert article.source == "Beispiel Zeitung"
    assert article.updated == "2023-03-14T09:15"
    assert article.photo_credits == ["Max Müller"]
    assert article.language == "de"
    assert "Teilen" not in article.text
    assert "zwölf Kilometer" in article.text


def test_polish_iso8859_2() -> None:
    article = read_one(RESOURCES / "pl_latin2.txt")
    assert article.encoding == "iso8859-2"
    assert article.title == "Rada miasta przyjęła plan budowy żłobków"
    assert article.updated == "2024-05-07T16:45"
    assert article.photo_credits == ["Katarzyna Wiśniewska"]
    assert article.language == "pl"
    assert "Udostępnij" not in article.text


def test_user_source_and_language_override() -> None:
    article = read_one(RESOURCES / "be_furniture.txt", source="Radio Svaboda", language="ru")
    assert article.source == "Radio Svaboda"
    assert article.language == "ru"


def test_text_without_blank_lines_is_one_paragraph_per_sentence_line(tmp_path: Path) -> None:
    path = tmp_path / "flat.txt"
    path.write_text(
        "Bridge reopens after repairs\n"
        "The bridge reopened on Monday after six months of repairs.\n"
        "Drivers had used a detour through the\n"
        "industrial zone since March.\n",
        encoding="utf-8",
    )
    article = read_one(path)
    assert article.text.split("\n\n") == [
        "The bridge reopened on Monday after six months of repairs.",
        "Drivers had used a detour through the industrial zone since March.",
    ]


# -- stamps and lines ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Updated at 09:41,17-03-2024", ("updated", "2024-03-17T09:41")),
        ("Updated: 17 March 2024 09:41", ("updated", "2024-03-17T09:41")),
        ("Last updated March 17, 2024 9:41 a.m.", ("updated", "2024-03-17T09:41")),
        ("Обновлено 17.03.2024, 09:41", ("updated", "2024-03-17T09:41")),
        ("Абноўлена 17 сакавіка 2024, 09:41", ("updated", "2024-03-17T09:41")),
        ("Оновлено 17 березня 2024 о 09:41", ("updated", "2024-03-17T09:41")),
        ("Опубликовано 11 октября 2020 года", ("published", "2020-10-11")),
        ("Апублікавана 11.10.2020", ("published", "2020-10-11")),
        ("Published: 2020-10-11", ("published", "2020-10-11")),
        ("Aktualisiert am 14.03.2023 um 09:15", ("updated", "2023-03-14T09:15")),
        ("Aktualisiert um 21:15 am 14.03.2023", ("updated", "2023-03-14T21:15")),
        ("Veröffentlicht am 14. März 2023, 08:00 Uhr", ("published", "2023-03-14T08:00")),
        ("Zaktualizowano 17.03.2024 09:41", ("updated", "2024-03-17T09:41")),
        ("Opublikowano: 7 maja 2024", ("published", "2024-05-07")),
        ("17.03.2024 09:41", ("published", "2024-03-17T09:41")),
    ],
)
def test_stamps(line: str, expected: tuple[str, str]) -> None:
    assert parse_stamp(line) == expected


@pytest.mark.parametrize(
    "line",
    [
        "Published on 3 March 2020, the report found that prices had doubled.",
        "Updated figures will follow next week.",
        "Updated at 25:99,40-13-2024",
        "The vote on 9 August 2020 was widely criticised.",
    ],
)
def test_prose_is_not_a_stamp(line: str) -> None:
    assert parse_stamp(line) is None


def test_share_lines_in_several_languages_are_dropped() -> None:
    text = "Title of the piece\n\nBody sentence one is here.\n\n" + "\n".join(
        ["Share", "Поделиться", "Падзяліцца", "Поділитися", "Teilen", "Udostępnij", "Tweet", "Facebook",
         "Share on Facebook", "Facebook Twitter Telegram"]
    )  # fmt: skip
    cleaned = clean(text)
    assert cleaned.paragraphs == ["Body sentence one is here."]


def test_credit_line_and_trailing_credit_in_cyrillic() -> None:
    cleaned = clean("Загаловак\n\nФота: Reuters\n\nПершы сказ тут. Другі сказ тут. Фото: ТАСС\n")
    assert cleaned.photo_credits == ["Reuters", "ТАСС"]
    assert cleaned.paragraphs == ["Першы сказ тут. Другі сказ тут."]


# -- HTML ---------------------------------------------------------------------------------------------


def test_html_latin1_page() -> None:
    article = read_one(RESOURCES / "de_latin1.html")
    assert article.format == "html"
    assert article.encoding == "iso8859-1"  # the <meta charset> is respected
    assert article.title == "Stadtwerke erhöhen die Gaspreise"
    assert article.source == "Beispiel Anzeiger"
    assert article.author == "Anna Schäfer"
    assert article.published == "2023-01-09"
    assert article.url == "https://anzeiger.example/wirtschaft/gaspreise"
    assert article.photo_credits == ["Peter Groß"]
    assert article.language == "de"
    assert article.text.startswith("Die Stadtwerke haben angekündigt")
    assert len(article.text.split("\n\n")) == 3
    for furniture in ("Startseite", "Impressum", "Alle Rechte", "Foto:", "Vor dem Rathaus"):
        assert furniture not in article.text


# -- feeds --------------------------------------------------------------------------------------------


def test_rss_feed() -> None:
    first, second, third = read_all(RESOURCES / "wire.rss")
    assert isinstance(first, Article) and isinstance(second, Article)
    assert first.format == "feed"
    assert first.title == "Port workers end strike after pay deal"
    assert first.url == "https://wire.example/2024/05/port-strike"
    assert first.published == "2024-05-14T16:20+02:00"
    assert first.updated is None
    assert first.author == "Tom Baker"
    assert first.source == "Example Wire: World"
    assert first.photo_credits == ["Ann Lee"]
    assert first.language == "en"
    assert first.text.split("\n\n") == [
        "Port workers voted on Tuesday to accept a new pay offer and end a strike that had lasted nine days.",
        "The union said the deal raised wages by six percent over two years. It also shortens night shifts.",
    ]
    assert second.language == "be"
    assert third == RecordError("entry 3", "no text")


def test_atom_feed() -> None:
    first, second = read_all(RESOURCES / "radio.atom")
    assert isinstance(first, Article) and isinstance(second, Article)
    assert first.source == "Радио Пример"
    assert first.author == "Мария Иванова"
    assert first.published == "2024-03-01T12:30+03:00"
    assert first.updated == "2024-03-02T10:00+03:00"
    assert first.url == "https://radio.example/news/1"
    assert first.language == "ru"
    assert first.text.split("\n\n")[1] == "Выставка продлится до конца апреля, вход для студентов бесплатный."
    assert second.language == "uk"
    assert second.url == "https://radio.example/news/2"


def test_large_feed_is_read_entry_by_entry(tmp_path: Path) -> None:
    items = "".join(
        f"<item><title>Item {n}</title><link>https://e.example/{n}</link>"
        f"<description>Report number {n} says the river rose again overnight.</description></item>"
        for n in range(2000)
    )
    path = tmp_path / "big.xml"
    path.write_text(
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>E</title>{items}</channel></rss>'
    )
    records = read_path(path, max_bytes=10_000_000)
    first = next(records)
    assert isinstance(first, Article) and first.title == "Item 0"
    assert sum(1 for _ in records) == 1999


# -- JSON Lines ---------------------------------------------------------------------------------------


def test_jsonl_bad_lines_are_reported_and_the_rest_read() -> None:
    records = read_all(RESOURCES / "articles.jsonl")
    assert [r.location for r in records if isinstance(r, RecordError)] == ["line 2", "line 3", "line 6"]
    errors = {r.location: r.reason for r in records if isinstance(r, RecordError)}
    assert errors["line 2"].startswith("invalid JSON")
    assert errors["line 3"] == "missing text"
    assert errors["line 6"] == "not a JSON object"
    first, second = (r for r in records if isinstance(r, Article))
    assert first.title == "Council approves library extension"
    assert first.url == "https://news.example/library"
    assert first.source == "News Example"
    assert first.published == "2024-02-05"
    assert first.text == (
        "The council approved a two-storey extension of the central library on Monday.\n\n"
        "Construction is due to start in spring."
    )
    assert first.format == "jsonl"
    assert second.language == "be"
    assert second.published == "2024-03-17T09:41"


def test_jsonl_line_over_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "long.jsonl"
    good = json.dumps({"title": "Short one", "text": "A short text about the weather today."})
    long = json.dumps({"title": "Long one", "text": "word " * 5000})
    path.write_text(f"{good}\n{long}\n{good}\n", encoding="utf-8")
    records = read_all(path, max_bytes=2000)
    assert [type(r).__name__ for r in records] == ["Article", "RecordError", "Article"]
    assert records[1] == RecordError("line 2", "line longer than the 2000-byte limit")


# -- WARC ---------------------------------------------------------------------------------------------

PAGE = """<html><head><title>{title}</title>{meta}</head><body><article><h1>{title}</h1>
<p>{body} The officials said the work would continue through the winter months.</p>
<p>Residents were asked to use the temporary crossing further downstream until the end of May.</p>
</article></body></html>"""


def _warc(path: Path, *, gz: bool, pages: int = 3, extra_payload: bytes | None = None) -> bytes:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gz)
    writer.write_record(writer.create_warcinfo_record(path.name, {"software": "rashomon tests"}))
    for n in range(pages):
        meta = f'<meta property="article:published_time" content="2021-06-0{n + 1}">' if n == 0 else ""
        html = PAGE.format(
            title=f"River bridge closed for repairs {n}", meta=meta, body=f"Bridge number {n}."
        )
        request = writer.create_warc_record(
            f"https://news.example/bridge/{n}",
            "request",
            payload=io.BytesIO(b""),
            http_headers=StatusAndHeaders(
                f"GET /bridge/{n} HTTP/1.1", [("Host", "news.example")], is_http_request=True
            ),
        )
        writer.write_record(request)
        headers = StatusAndHeaders(
            "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
        )
        writer.write_record(
            writer.create_warc_record(
                f"https://news.example/bridge/{n}",
                "response",
                payload=io.BytesIO(html.encode()),
                http_headers=headers,
            )
        )
    image = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
    png = io.BytesIO(b"\x89PNG....")
    writer.write_record(
        writer.create_warc_record("https://news.example/a.png", "response", payload=png, http_headers=image)
    )
    if extra_payload is not None:
        headers = StatusAndHeaders(
            "200 OK", [("Content-Type", "text/html"), ("Content-Encoding", "gzip")], protocol="HTTP/1.1"
        )
        writer.write_record(
            writer.create_warc_record(
                "https://news.example/bomb",
                "response",
                payload=io.BytesIO(extra_payload),
                http_headers=headers,
            )
        )
    data = buffer.getvalue()
    path.write_bytes(data)
    return data


@pytest.mark.parametrize("gz", [True, False])
def test_warc_pages(tmp_path: Path, gz: bool) -> None:
    path = tmp_path / ("crawl.warc.gz" if gz else "crawl.warc")
    _warc(path, gz=gz)
    records = read_all(path)
    assert all(isinstance(r, Article) for r in records)
    assert [r.url for r in records if isinstance(r, Article)] == [
        f"https://news.example/bridge/{n}" for n in range(3)
    ]
    first = records[0]
    assert isinstance(first, Article)
    assert first.format == "html"
    assert first.title == "River bridge closed for repairs 0"
    assert first.published == "2021-06-01"
    assert first.path == str(path.absolute())
    assert first.encoding == "utf-8"
    assert "temporary crossing" in first.text
    # WARC-Date (the crawl time) is never taken as the publication date
    assert all(r.published is None for r in records[1:] if isinstance(r, Article))


def test_truncated_warc_gz_keeps_the_records_before(tmp_path: Path) -> None:
    data = _warc(tmp_path / "full.warc.gz", gz=True)
    path = tmp_path / "cut.warc.gz"
    path.write_bytes(data[: len(data) - 400])
    records = read_all(path)
    articles = [r for r in records if isinstance(r, Article)]
    assert 1 <= len(articles) <= 3
    assert isinstance(records[-1], RecordError)
    assert records[-1].location.startswith("record ")
    assert "truncated" in records[-1].reason


def test_truncated_plain_warc(tmp_path: Path) -> None:
    data = _warc(tmp_path / "full.warc", gz=False)
    path = tmp_path / "cut.warc"
    path.write_bytes(data[: int(len(data) * 0.75)])
    records = read_all(path)
    assert isinstance(records[0], Article)
    assert isinstance(records[-1], RecordError) and "truncated" in records[-1].reason


def test_warc_payload_over_the_limit_is_reported(tmp_path: Path) -> None:
    bomb = gzip.compress(b"<html><body>" + b"<p>x</p>" * 500_000 + b"</body></html>")
    path = tmp_path / "bomb.warc.gz"
    _warc(path, gz=True, pages=1, extra_payload=bomb)
    assert len(bomb) < 50_000
    records = read_all(path, max_bytes=100_000)
    assert isinstance(records[0], Article)
    assert records[-1] == RecordError("record 5", "payload larger than the 100000-byte limit")


def test_warc_is_streamed_whatever_its_size(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    data = _warc(path, gz=True)
    assert len(data) > 2000
    assert len([r for r in read_all(path, max_bytes=2000) if isinstance(r, Article)]) == 3


# -- errors -------------------------------------------------------------------------------------------


def test_empty_and_whitespace_files(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(EmptyInput):
        read_all(empty)
    blank = tmp_path / "blank.txt"
    blank.write_bytes(b"  \n\n\t \r\n")
    with pytest.raises(EmptyInput):
        read_all(blank)


def test_only_furniture_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "furniture.txt"
    path.write_text("Updated at 09:41,17-03-2024\n\nShare\nFacebook\nPhoto: Someone\n", encoding="utf-8")
    with pytest.raises(EmptyInput):
        read_all(path)


def test_binary_junk(tmp_path: Path) -> None:
    path = tmp_path / "junk.txt"
    path.write_bytes(bytes(range(256)) * 40)
    with pytest.raises(UnsupportedFormat):
        read_all(path)
    noise = tmp_path / "noise.bin"
    noise.write_bytes(os.urandom(4096))
    with pytest.raises(UnsupportedFormat):
        read_all(noise)


def test_gzip_that_is_not_warc(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt.gz"
    path.write_bytes(gzip.compress(b"just some text"))
    with pytest.raises(UnsupportedFormat, match="gzip"):
        read_all(path)


def test_unreadable_paths(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_all(tmp_path / "missing.txt")
    with pytest.raises(InputError, match="directory"):
        read_all(tmp_path)
    dangling = tmp_path / "dangling.txt"
    dangling.symlink_to(tmp_path / "nowhere.txt")
    with pytest.raises(InputError):
        read_all(dangling)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_permission_denied(tmp_path: Path) -> None:
    path = tmp_path / "secret.txt"
    path.write_text("Title\n\nBody text here.", encoding="utf-8")
    path.chmod(0)
    with pytest.raises(InputError, match="permission"):
        read_all(path)


def test_oversize_file_names_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("Title line\n\n" + "A sentence of body text. " * 100, encoding="utf-8")
    with pytest.raises(FileTooLarge, match="1000-byte limit"):
        read_all(path, max_bytes=1000)


# -- detection and decoding ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "head", "expected"),
    [
        ("a.txt", b"<!DOCTYPE html><html><body><p>x</p></body></html>", "html"),
        ("a.html", b"Just a title\n\nAnd a body.", "txt"),
        ("a.txt", b'<?xml version="1.0"?>\n<rss version="2.0"><channel></channel></rss>', "feed"),
        ("a.bin", b'<?xml version="1.0"?>\n<!-- c -->\n<feed xmlns="http://www.w3.org/2005/Atom">', "feed"),
        ("a.txt", b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">', "feed"),
        ("a.txt", b'{"title": "a", "text": "b"}\n{"title": "c", "text": "d"}\n', "jsonl"),
        ("a.jsonl", b'{"title": "a", "text": "b"}\nnot json\n', "jsonl"),
        ("a.txt", b'{"title": "a", "text": "b"}\nnot json\n', "txt"),
        (
            "a.txt",
            b"<div><p>One</p><p>Two <a href='x'>link</a> <span>s</span><br></p><h2>H</h2></div>",
            "html",
        ),
        ("a.gz", gzip.compress(b"WARC/1.1\r\nWARC-Type: warcinfo\r\n", mtime=0), "warc"),
        ("a.txt", b"WARC/1.0\r\nWARC-Type: warcinfo\r\n", "warc"),
    ],
)
def test_detect_format_by_content(name: str, head: bytes, expected: str) -> None:
    assert detect_format(Path(name), head) == expected


SAMPLES = {
    "ru": "Вчера вечером в центре города прошла акция протеста. Участники требовали освободить задержанных "
    "журналистов, сообщил наш корреспондент. Полиция не вмешивалась. Я ничего не видел.",
    "be": "Учора ўвечары ў цэнтры горада прайшла акцыя пратэсту. Удзельнікі патрабавалі вызваліць затрыманых "
    "журналістаў, паведаміў наш карэспандэнт. Міліцыя не ўмешвалася.",
    "uk": "Учора ввечері в центрі міста відбулася акція протесту. Учасники вимагали звільнити затриманих "
    "журналістів, повідомив наш кореспондент. Поліція не втручалася. Її не бачили.",
    "short": "Новости дня",
}


@pytest.mark.parametrize("codec", ["cp1251", "koi8-r", "koi8-u", "iso8859-5", "mac-cyrillic"])
@pytest.mark.parametrize("language", sorted(SAMPLES))
def test_cyrillic_code_pages(language: str, codec: str) -> None:
    text = SAMPLES[language]
    try:
        data = text.encode(codec)
    except UnicodeEncodeError:
        pytest.skip(f"{codec} cannot write {language}")
    decoded, _encoding = decode_bytes(data)
    assert decoded == text


def test_declared_charset_is_respected_only_when_it_reads_well() -> None:
    german = "Größere Zwischenfälle gab es nicht, sagte die Bürgermeisterin.".encode("iso8859-1")
    assert decode_bytes(german, declared="iso-8859-1")[1] == "iso8859-1"
    assert decode_bytes(german, declared="windows-1250") == (german.decode("cp1250"), "cp1250")
    russian = SAMPLES["ru"].encode("cp1251")
    assert decode_bytes(russian, declared="koi8-r") == (SAMPLES["ru"], "cp1251")
    assert decode_bytes("Über".encode(), declared="iso-8859-1") == ("Über", "utf-8")


def test_not_a_regular_file(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="not a regular file"):
        read_all(fifo)


def test_jsonl_whose_first_line_is_longer_than_the_head(tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    text = "The river rose again overnight and the town council met in the morning. " * 2000
    path.write_text(json.dumps({"title": "Flood", "text": text}) + "\n", encoding="utf-8")
    assert path.stat().st_size > 64 * 1024
    (article,) = read_all(path, max_bytes=10_000_000)
    assert isinstance(article, Article) and article.format == "jsonl" and article.title == "Flood"


def test_short_line_ending_in_a_dash_is_not_an_outlet() -> None:
    cleaned = clean("Floods in the north\n\nMINSK —\n\nThe river rose again overnight.\n")
    assert cleaned.source is None


def test_one_line_holding_publish_and_update_stamps(tmp_path: Path) -> None:
    path = tmp_path / "two_stamps.txt"
    path.write_text(
        "Опубликовано: 02.02.2022 08:00 | Обновлено: 03.02.2022 10:30\n\n"
        "Паром между островами снова ходит\n\n"
        "Паромное сообщение между островами возобновилось в среду после ремонта причала.\n",
        encoding="utf-8",
    )
    (article,) = read_all(path)
    assert isinstance(article, Article)
    assert article.title == "Паром между островами снова ходит"
    assert (article.published, article.updated) == ("2022-02-02T08:00", "2022-02-03T10:30")
    assert "Опубликовано" not in article.text
