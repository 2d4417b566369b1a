"""Extraction: the model points at evidence sentences, the program copies the words.

`extract_chunk` asks the model for `PositionDraft`s over one chunk (re-asking a bounded number of
times when the answer does not fit the schema, halving the chunk when the answer is cut off).
`ground_positions` turns drafts into `Position`s whose quotes are character-exact slices of the
article: the quoted words inside the evidence sentences for direct speech, the sentences themselves
for reported speech. A draft that fails a check is kept, marked invalid with its reason, and goes
to review; it never reaches the briefing as fact.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

import jinja2

from briefing.text.chunk import numbered, split_chunk
from briefing.text.names import name_in_text, name_words, speaker_key, text_words
from briefing.resources import PROMPTS_DIR, rules_file
from briefing.errors import BriefError
from briefing.llm.client import ModelClient, ModelError, ModelInvalidOutput, ModelTruncated, Usage
from briefing.models import (
    Article,
    Chunk,
    ExtractionDraft,
    Position,
    PositionDraft,
    QuoteSpan,
    Sentence,
    SpeechKind,
    SummaryDraft,
)
from briefing.text.segment import find_quotes, invented_quotation, quotes_in

DEFAULT_TOPICS = rules_file("topics.toml")

_prompt_env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(PROMPTS_DIR),
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=False,
    autoescape=False,
)


@dataclass(frozen=True)
class Prompt:
    name: str
    id: str  # hash of the templates' text: every stored position records it

    def messages(self, **context: object) -> list[dict[str, str]]:
        system = _prompt_env.get_template(f"{self.name}_system.j2").render(**context)
        user = _prompt_env.get_template(f"{self.name}_user.j2").render(**context)
        return [{"role": "system", "content": system}, {"role": "user", "content": user}]


def load_prompt(name: str) -> Prompt:
    digest = hashlib.sha256()
    for part in ("system", "user"):
        path = PROMPTS_DIR / f"{name}_{part}.j2"
        if not path.exists():
            raise BriefError(f"prompt template {path} is missing: restore it from the repository")
        digest.update(path.read_bytes())
    return Prompt(name=name, id=digest.hexdigest()[:12])


def schema_hash(schema: type[ExtractionDraft | SummaryDraft]) -> str:
    text = json.dumps(schema.model_json_schema(), sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def load_topics(path: Path | None = None) -> dict[str, str]:
    path = path or DEFAULT_TOPICS
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise BriefError(f"cannot read the topic list {path} ({exc}): fix it or remove topics_file") from exc
    topics = data.get("topics")
    if not isinstance(topics, dict) or not topics:
        raise BriefError(f"{path} has no [topics] table: add one line `key = \"description\"` per topic")
    return {str(k): str(v) for k, v in topics.items()}


# asking the model ------------------------------------------------------------------------------


@dataclass
class ChunkDrafts:
    """Drafts with the sentence ids of the chunk they were read from."""

    sentence_ids: frozenset[int]
    drafts: list[PositionDraft]


def extract_chunk(
    client: ModelClient,
    prompt: Prompt,
    topics: dict[str, str],
    text: str,
    chunk: Chunk,
    usage: Usage,
    max_reasks: int = 2,
) -> list[ChunkDrafts]:
    messages = prompt.messages(topics=topics, numbered=numbered(text, chunk))
    for attempt in range(max_reasks + 1):
        try:
            answer = client.parse(messages, ExtractionDraft)
        except ModelTruncated as exc:
            _count(exc, usage)
            halves = split_chunk(chunk, text)
            if len(halves) == 1:
                raise
            return [
                part
                for half in halves
                for part in extract_chunk(client, prompt, topics, text, half, usage, max_reasks)
            ]
        except ModelInvalidOutput as exc:
            _count(exc, usage)
            if attempt == max_reasks:
                raise
            # Feed the error back: small models usually fix a schema slip when shown it.
            messages = messages + [
                {"role": "assistant", "content": exc.content or "(empty answer)"},
                {
                    "role": "user",
                    "content": f"That answer was invalid ({exc}). Reply again with JSON that "
                    "matches the schema.",
                },
            ]
            continue
        except ModelError as exc:
            _count(exc, usage)
            raise
        usage.add(answer.usage)
        ids = frozenset(s.index for s in chunk.sentences)
        return [ChunkDrafts(sentence_ids=ids, drafts=list(answer.parsed.positions))]
    raise AssertionError("unreachable")


def _count(exc: ModelError, usage: Usage) -> None:
    """A refused, cut-off or unusable answer still cost its tokens: count them."""
    if isinstance(exc.usage, Usage):
        usage.add(exc.usage)


# grounding -------------------------------------------------------------------------------------

_WORD = re.compile(r"[\w’'-]+", re.UNICODE)
_NOT_NAMES = {"the", "of", "and", "for", "in", "on", "to", "a", "an", "s", "mr", "mrs", "ms", "dr"}


def speaker_in_text(speaker: str, text: str) -> bool:
    """Whether the article names the speaker as the model wrote it (`names.name_in_text`): a
    first name the model made up ("Vladimir Peskov") is not found."""
    return name_in_text(speaker, text)


_ROLE_FILLER = {"the", "of", "and", "for", "in", "on", "to", "a", "an", "at", "s"}
_ROLE_REACH = 6  # words either side of the speaker's name


def role_in_text(role: str, speaker: str, text: str) -> bool:
    """Whether the article gives the speaker this role: every word of it ("Kremlin
    spokesperson"; a plural or possessive counts) is within a few words of the speaker's name
    ("Kremlin spokesman Dmitry Peskov", "Peskov, the Kremlin's spokesman, said"). A briefing
    shows only such roles, never a small model's guess ("Peskov, foreign minister") or the
    title of someone named in the same sentence."""
    wanted = [w for w in name_words(role) if len(w) > 2 and w not in _ROLE_FILLER]
    key = speaker_key(speaker).split()
    if not wanted or not key:
        return False
    found, where = text_words(text), _word_places(text)
    near: set[str] = set()
    for at in where.get(key[-1], ()):
        # the speaker's whole key ("health minister") ends here
        if list(found[at + 1 - len(key) : at + 1]) == key:
            near.update(found[max(0, at - _ROLE_REACH) : at + _ROLE_REACH + 1])
    return all(w in near or w + "s" in near or w.removesuffix("s") in near for w in wanted)


@functools.lru_cache(maxsize=64)
def _word_places(text: str) -> dict[str, list[int]]:
    """Where each of an article's `text_words` is (its positions are checked one after
    another: read it once)."""
    places: dict[str, list[int]] = {}
    for at, word in enumerate(text_words(text)):
        places.setdefault(word, []).append(at)
    return places


def checked_role(position: Position, text: str) -> Position:
    """The position as a briefing shows it: its role kept when the article gives it to the
    speaker or an analyst wrote it, else left out (still stored, and shown for review)."""
    if not position.role or "role" in position.edited:
        return position
    if role_in_text(position.role, position.speaker, text):
        return position
    return position.model_copy(update={"role": ""})


def ground_positions(
    article: Article,
    sentences: list[Sentence],
    chunk_drafts: list[ChunkDrafts],
    *,
    provider: str,
    model: str,
    prompt_id: str,
    schema_hash: str,
    quotes: list[QuoteSpan] | None = None,
) -> list[Position]:
    """Check every draft against the text and copy its evidence verbatim."""
    by_index = {s.index: s for s in sentences}
    quotes = find_quotes(article.text) if quotes is None else quotes
    grounded: list[Position] = []
    for part in chunk_drafts:
        for draft in part.drafts:
            grounded.append(
                _ground_one(article, by_index, quotes, part.sentence_ids, draft)
                .model_copy(
                    update={
                        "provider": provider,
                        "model": model,
                        "prompt_id": prompt_id,
                        "schema_hash": schema_hash,
                    }
                )
            )
    return merge_positions(grounded)


def _ground_one(
    article: Article,
    by_index: dict[int, Sentence],
    quotes: list[QuoteSpan],
    chunk_ids: frozenset[int],
    draft: PositionDraft,
) -> Position:
    problems: list[str] = []
    evidence = sorted(set(draft.evidence))
    unknown = [i for i in evidence if i not in by_index]
    unseen = [i for i in evidence if i in by_index and i not in chunk_ids]
    evidence = [i for i in evidence if i not in unknown and i not in unseen]
    if unknown:
        problems.append(
            "cites sentence " + ", ".join(f"S{i}" for i in unknown) + " that is not in the text"
        )
    if unseen:
        problems.append(
            "cites " + ", ".join(f"S{i}" for i in unseen) + ", outside the part it was shown"
        )
    if not evidence and not unknown and not unseen:
        problems.append("cites no evidence")
    suspicious = [i for i in evidence if _INSTRUCTION.search(article.text[by_index[i].start : by_index[i].end])]
    if suspicious:
        problems.append(
            "cites " + ", ".join(f"S{i}" for i in suspicious)
            + ", which reads like an instruction aimed at the model, not reporting"
        )
    if not speaker_in_text(draft.speaker, article.text):
        problems.append(f"speaker {draft.speaker!r} is not named in the article")
    elif evidence:
        attributed = [i for i in evidence if _refers_to(draft, article.text, by_index, i)]
        if not attributed:
            problems.append(f"the cited sentences do not name or refer to {draft.speaker!r}")
        else:
            # A cited sentence that neither refers to the speaker nor carries quoted words next
            # to one that does (a headline, another actor's statement) is not their evidence.
            evidence = [
                i
                for i in evidence
                if i in attributed
                or (quotes_in(by_index[i], quotes) and any(abs(i - j) <= 2 for j in attributed))
            ]
    text = article.text
    kind, spans, evidence = evidence_spans(by_index, quotes, evidence)
    cited = [text[by_index[i].start : by_index[i].end] for i in evidence]
    if invented_quotation(draft.summary, cited + [text[a:b] for a, b in spans]) is not None:
        problems.append("its summary quotes words that are not in its evidence")
    return Position(
        article_id=article.id,
        speaker=draft.speaker.strip(),
        role=draft.role.strip(),
        topic=draft.topic.strip(),
        stance=draft.stance,
        summary=draft.summary.strip(),
        kind=kind,
        evidence=evidence,
        spans=spans,
        quotes=[text[a:b] for a, b in spans],
        valid=not problems,
        reason="; ".join(problems) or None,
    )


def evidence_spans(
    by_index: dict[int, Sentence], quotes: list[QuoteSpan], evidence: list[int]
) -> tuple[SpeechKind, list[tuple[int, int]], list[int]]:
    """What the briefing quotes for this evidence, and the evidence that covers it.

    Direct speech when the cited sentences hold quoted words: each quotation they are part of,
    whole, even where it runs on into a sentence that was not cited ("Our approach is well
    known. However, this issue can be discussed." is one quotation: half of it can say the
    opposite of the whole), and those sentences join the evidence. Else reported speech: the
    sentences themselves."""
    whole: list[tuple[int, int]] = []
    for i in evidence:
        for start, end in quotes_in(by_index[i], quotes):
            span = next((q.start, q.end) for q in quotes if q.start <= start and end <= q.end)
            if span not in whole:
                whole.append(span)
    if not whole:
        return "reported", [(by_index[i].start, by_index[i].end) for i in evidence], evidence
    covered = {
        s.index for s in by_index.values() for a, b in whole if s.start < b and a < s.end
    }
    return "direct", sorted(whole), sorted(set(evidence) | covered)


# Article text is untrusted: sentences that address a model are content, never evidence.
_INSTRUCTION = re.compile(
    r"\b(ignore|disregard|forget)\b.{0,40}\b(previous|prior|above|earlier)\b.{0,20}"
    r"\b(instructions?|prompts?|rules)\b|^\s*(system|assistant)\s*:|\byou are (now )?an? (ai|assistant|language model)\b",
    re.IGNORECASE,
)
_PRONOUNS = {"he", "she", "they", "his", "her", "their"}


def _refers_to(
    draft: PositionDraft, text: str, by_index: dict[int, Sentence], index: int
) -> bool:
    """Whether sentence `index` names the speaker (or a word of their role), or refers to them
    by a pronoun whose antecedent is named in one of the three sentences before (a quote split
    into sentences often puts "he said" two sentences after the name)."""

    def words(indexes: list[int]) -> set[str]:
        found = _WORD.findall(" ".join(text[by_index[i].start : by_index[i].end] for i in indexes))
        return {w.casefold().removesuffix("’s").removesuffix("'s") for w in found}

    names = [w for w in _WORD.findall(draft.speaker) if len(w) > 2]
    roles = [w for w in _WORD.findall(draft.role) if len(w) > 3]
    candidates = {w.casefold().removesuffix("’s").removesuffix("'s") for w in names + roles}
    candidates -= _NOT_NAMES
    own = words([index])
    if candidates & own:
        return True
    before = [i for i in range(index - 3, index) if i in by_index]
    return bool(_PRONOUNS & own) and bool(before) and bool(candidates & words(before))


def merge_positions(positions: list[Position]) -> list[Position]:
    """Merge what was found twice (by overlapping chunks, or by the model repeating itself):
    the same speaker with overlapping evidence, or with no usable evidence and the same summary.

    The position with more evidence wins; a valid one beats an invalid one.
    """

    def same(a: Position, b: Position) -> bool:
        if speaker_key(a.speaker) != speaker_key(b.speaker):
            return False
        if a.evidence or b.evidence:
            return bool(set(a.evidence) & set(b.evidence))
        return a.summary == b.summary

    kept: list[Position] = []
    for candidate in positions:
        twin = next((k for k in kept if same(k, candidate)), None)
        if twin is None:
            kept.append(candidate)
        elif (candidate.valid, len(candidate.evidence)) > (twin.valid, len(twin.evidence)):
            kept[kept.index(twin)] = candidate
    kept.sort(key=lambda p: (p.evidence[0] if p.evidence else 10**9, p.speaker))
    return kept


# the day's summary -----------------------------------------------------------------------------


@dataclass
class SummaryLine:
    text: str
    refs: list[int]  # 1-based numbers of the positions it rests on


def summarize(
    client: ModelClient,
    prompt: Prompt,
    day: str,
    positions: list[Position],
    source_text: str,
    usage: Usage,
) -> list[SummaryLine]:
    """Ask for the day's opening sentences; keep only those resting on real positions."""
    if not positions:
        return []
    answer = client.parse(prompt.messages(day=day, positions=positions), SummaryDraft)
    usage.add(answer.usage)
    lines: list[SummaryLine] = []
    for sentence in answer.parsed.sentences[:3]:
        refs = sorted({n for n in sentence.positions if 1 <= n <= len(positions)})
        text = " ".join(sentence.text.split())
        if not refs or not text:
            continue  # a sentence that rests on no position is not allowed in the briefing
        cited = [quote for n in refs for quote in positions[n - 1].quotes]
        if invented_quotation(text, cited) is not None:
            continue  # it quotes words that are not the evidence of the positions it cites
        lines.append(SummaryLine(text=text, refs=refs))
    return lines
