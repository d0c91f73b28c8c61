"""Per-article analysis: sentences, entities, quotes, descriptors, dates and numbers.

Each concern lives in its own module; :func:`analyse` runs them in order over an article's clean
text. Every result carries character offsets into ``Article.text``.
"""

from __future__ import annotations

from ..models import Analysis, Article, Entity
from ..names import given_groups, to_ascii
from .dates import find_dates, pick_event_date
from .descriptors import find_descriptors
from .entities import find_entities
from .numbers import find_numbers
from .quotes import find_quotes
from .sentences import split_sentences

# Bump a component's version when its output changes, so `rashomon reanalyse` knows what is stale.
ANALYSIS_VERSION = "sentences.v2+entities.v6+quotes.v5+descriptors.v1+dates.v1+numbers.v3"

__all__ = ["ANALYSIS_VERSION", "analyse"]


def analyse(article: Article) -> Analysis:
    """Run every analyser over one article.

    Args:
        article: an ingested article; ``language`` and ``published``/``updated`` steer the analysers.

    Returns:
        The article's :class:`Analysis`.
    """
    text, language = article.text, article.language
    sentences = split_sentences(text, language)
    entities = find_entities(text, sentences, language) + _credit_entities(article)
    quotes = find_quotes(text, sentences, entities, language)
    descriptors = find_descriptors(text, sentences, entities, language)
    # Only the publication date anchors a year: pages are re-stamped "Updated at ..." years after the
    # event, so a year derived from an update stamp would be invented. Without one, `--MM-DD` stays.
    reference = article.published
    dates = find_dates(text, sentences, language, reference=reference)
    numbers = find_numbers(text, sentences, language)
    return Analysis(
        article_id=article.id,
        version=ANALYSIS_VERSION,
        sentences=sentences,
        entities=entities,
        quotes=quotes,
        descriptors=descriptors,
        dates=dates,
        numbers=numbers,
        event_date=pick_event_date(dates, sentences, reference=reference),
    )


# Credits longer than this are captions, not names.
_MAX_CREDIT_WORDS = 5


def _credit_entities(article: Article) -> list[Entity]:
    """Photo credits as entities with no mention in the body ("Photo: Пул Первого" names a channel).

    A credit whose first word is a known given name is a person, any other an organisation.
    """
    found: list[Entity] = []
    for credit in article.photo_credits:
        words = credit.split()
        if not words or len(words) > _MAX_CREDIT_WORDS or not words[0][:1].isupper():
            continue
        person = len(words) >= 2 and bool(given_groups(to_ascii(words[0]).lower()))
        found.append(Entity(key=f"c{len(found) + 1}", type="PER" if person else "ORG", name=credit))
    return found
