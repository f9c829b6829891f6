"""One typed configuration object with documented defaults.

Every knob lives here, validated when the object is built, so a bad value
fails at startup with a message naming it rather than deep inside a stage.
Configurations come from code, from CLI flags, or from a TOML file::

    [summarize]
    words = 120
    [ingest]
    languages = ["en"]
"""

from __future__ import annotations

import ipaddress
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from tidings.errors import ConfigError

BACKENDS = ("tfidf", "static", "semantic", "hybrid")
PARAPHRASE_JUDGES = ("static", "semantic", "off")


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise ConfigError(message)


@dataclass(frozen=True, slots=True)
class IngestConfig:
    """How inputs are read.

    ``max_bytes`` caps what is read from one file, page or stream (a 200 MB
    dump is refused, not loaded). ``languages`` lists the ISO 639-1 codes
    accepted; the cleaner and splitter are tuned for English, so other
    languages are reported rather than summarized badly. An empty tuple
    accepts every language.
    """

    max_bytes: int = 20 * 1024 * 1024
    languages: tuple[str, ...] = ("en",)
    min_words: int = 15

    def __post_init__(self) -> None:
        _check(self.max_bytes > 0, f"ingest.max_bytes must be positive, got {self.max_bytes}")
        _check(self.min_words >= 0, f"ingest.min_words must be >= 0, got {self.min_words}")


@dataclass(frozen=True, slots=True)
class DedupConfig:
    """Near-duplicate detection.

    Two sentences are near-duplicates when the Jaccard similarity of their
    content-word sets reaches ``sentence_threshold``. A document is a copy
    of another when at least ``copy_share`` of its sentences have a
    near-duplicate there (syndication keeps most sentences; a machine-spun
    rewrite keeps enough words per sentence to stay above the threshold).
    """

    sentence_threshold: float = 0.5
    copy_share: float = 0.5
    num_perm: int = 64

    def __post_init__(self) -> None:
        _check(0 < self.sentence_threshold <= 1, "dedup.sentence_threshold must be in (0, 1]")
        _check(0 < self.copy_share <= 1, "dedup.copy_share must be in (0, 1]")
        _check(16 <= self.num_perm <= 1024, "dedup.num_perm must be in [16, 1024]")


@dataclass(frozen=True, slots=True)
class SummarizeConfig:
    """The extractive summarizer.

    The budget is ``words`` (about that many words) or ``sentences`` (exactly
    that many at most); with both, whichever is reached first. ``redundancy``
    is the MMR trade-off: how strongly similarity to already chosen sentences
    counts against a candidate. ``backend`` picks the text representation:
    ``tfidf`` (default, no model), ``static`` (the bundled static embedding),
    ``semantic`` (MiniLM sentence embeddings) or ``hybrid`` (TF-IDF and MiniLM
    blended); the last two need ``tidings[semantic]``.

    Whatever the backend, a candidate that says what a chosen sentence
    already says is never taken. ``paraphrase`` picks the judge
    (:mod:`tidings.paraphrase`): ``static`` (default, the bundled static
    embedding: piece alignment of the two sentences reaches
    ``paraphrase_alignment``), ``semantic`` (MiniLM settles the pairs the
    alignment finds close; needs ``tidings[semantic]``) or ``off``.
    Candidates are grouped into facets (what each adds to the story); a
    facet that more independent sources tell weighs more (``facet_weight``)
    and a facet already told counts against its other sentences
    (``facet_penalty``). ``garble_penalty`` scales the salience cut for
    garbling marks (:mod:`tidings.fluency`). An article published more than
    ``background_days`` before the story is background (:mod:`tidings.recency`).
    In an archive, a line printed word for word in articles of
    ``repeated_line_stories`` different stories is boilerplate (0: off).
    """

    words: int | None = 150
    sentences: int | None = None
    redundancy: float = 0.6
    position_weight: float = 0.45
    support_weight: float = 0.3
    min_words: int = 8
    max_words: int = 60
    backend: str = "tfidf"
    overflow: bool = False
    paraphrase: str = "static"
    paraphrase_alignment: float = 0.55
    facet_weight: float = 0.5
    facet_penalty: float = 0.5
    garble_penalty: float = 0.5
    background_days: float = 30.0
    repeated_line_stories: int = 3

    def __post_init__(self) -> None:
        _check(
            self.repeated_line_stories == 0 or self.repeated_line_stories >= 2,
            f"summarize.repeated_line_stories must be 0 (off) or at least 2, got {self.repeated_line_stories}",
        )
        _check(
            self.words is not None or self.sentences is not None,
            "summarize needs a budget: words or sentences",
        )
        _check(self.words is None or self.words > 0, f"summarize.words must be positive, got {self.words}")
        _check(
            self.sentences is None or self.sentences > 0,
            f"summarize.sentences must be positive, got {self.sentences}",
        )
        _check(0 <= self.redundancy <= 5, "summarize.redundancy must be in [0, 5]")
        _check(0 <= self.position_weight <= 1, "summarize.position_weight must be in [0, 1]")
        _check(0 <= self.support_weight <= 1, "summarize.support_weight must be in [0, 1]")
        _check(0 < self.min_words < self.max_words, "summarize needs 0 < min_words < max_words")
        _check(self.backend in BACKENDS, f"unknown backend {self.backend!r} (known: {', '.join(BACKENDS)})")
        _check(
            self.paraphrase in PARAPHRASE_JUDGES,
            f"summarize.paraphrase must be one of {', '.join(PARAPHRASE_JUDGES)}, got {self.paraphrase!r}",
        )
        _check(
            0 < self.paraphrase_alignment <= 1,
            f"summarize.paraphrase_alignment must be in (0, 1], got {self.paraphrase_alignment}",
        )
        _check(0 <= self.facet_weight <= 1, f"summarize.facet_weight must be in [0, 1], got {self.facet_weight}")
        _check(0 <= self.facet_penalty <= 5, f"summarize.facet_penalty must be in [0, 5], got {self.facet_penalty}")
        _check(0 <= self.garble_penalty <= 10, f"summarize.garble_penalty must be in [0, 10]: {self.garble_penalty}")
        _check(self.background_days > 0, f"summarize.background_days must be positive, got {self.background_days}")


def _default_user_agent() -> str:
    # The package's own constant: importing importlib.metadata and scanning the installed
    # distributions for it cost 20-40 ms of every command's start-up.
    from tidings import __version__ as version

    return f"tidings/{version} (news summarizer; python-httpx)"


@dataclass(frozen=True, slots=True)
class FetchConfig:
    """How pages and feeds are fetched over HTTP.

    Fetching a URL someone else chose is a classic server-side request
    forgery hole, so the defaults are strict: only http(s), no private,
    loopback, link-local or otherwise non-public addresses (the cloud
    metadata service at 169.254.169.254 is the usual target), and caps on
    size, time and redirects so a hostile or broken server cannot exhaust
    the run. ``allow_private`` lifts the address check entirely;
    ``allow_networks`` (CIDR blocks such as ``"10.1.0.0/16"`` or
    ``"127.0.0.1/32"``) lifts it only for the networks named, which is the
    safer way to reach one intranet feed or a local test server.

    ``connect_timeout`` and ``read_timeout`` bound each network operation;
    ``total_timeout`` bounds one whole fetch, redirects included, so a server
    dripping a byte at a time cannot hold a worker forever. Politeness:
    at most ``per_host_concurrency`` requests in flight to one host, and
    request starts to one host at least ``min_host_interval`` seconds apart.
    ``max_workers`` bounds concurrent fetches over all hosts.
    """

    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    total_timeout: float = 60.0
    max_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    allow_private: bool = False
    allow_networks: tuple[str, ...] = ()
    user_agent: str = field(default_factory=_default_user_agent)
    per_host_concurrency: int = 2
    min_host_interval: float = 1.0
    max_workers: int = 8

    def __post_init__(self) -> None:
        for name in ("connect_timeout", "read_timeout", "total_timeout"):
            value = getattr(self, name)
            _check(
                isinstance(value, int | float) and 0 < value <= 3600,
                f"fetch.{name} must be a number of seconds in (0, 3600], got {value!r}",
            )
        _check(self.max_bytes > 0, f"fetch.max_bytes must be positive, got {self.max_bytes}")
        _check(0 <= self.max_redirects <= 30, f"fetch.max_redirects must be in [0, 30], got {self.max_redirects}")
        _check(
            isinstance(self.allow_private, bool),
            f"fetch.allow_private must be true or false, got {self.allow_private!r}",
        )
        for network in self.allow_networks:
            try:
                ipaddress.ip_network(network, strict=False)
            except (ValueError, TypeError):
                raise ConfigError(f"fetch.allow_networks: {network!r} is not an IP network like 10.0.0.0/8") from None
        _check(
            bool(self.user_agent.strip()) and not any(c in self.user_agent for c in "\r\n"),
            f"fetch.user_agent must be one non-empty line, got {self.user_agent!r}",
        )
        _check(
            1 <= self.per_host_concurrency <= 64,
            f"fetch.per_host_concurrency must be in [1, 64], got {self.per_host_concurrency}",
        )
        _check(
            isinstance(self.min_host_interval, int | float) and 0 <= self.min_host_interval <= 600,
            f"fetch.min_host_interval must be in [0, 600] seconds, got {self.min_host_interval!r}",
        )
        _check(1 <= self.max_workers <= 256, f"fetch.max_workers must be in [1, 256], got {self.max_workers}")


@dataclass(frozen=True, slots=True)
class ClusterConfig:
    """Story clustering, online and in batch (see :mod:`tidings.cluster`; tuned on the development streams).

    An article joins the best active story when the cosine of its TF-IDF
    vector with the story's centroid reaches ``threshold``; two stories an
    article fits are merged when their centroids' cosine reaches
    ``merge_threshold``. A story is active while its articles are within
    ``window_days`` of the new one. ``query_terms``, ``index_terms`` and
    ``centroid_terms`` bound the work per article (the article's strongest
    terms looked up, the terms each story is indexed under, the terms a
    centroid keeps). Names (runs of capitalised words) weigh ``name_weight``.
    ``copy_jaccard`` is the content-word Jaccard (estimated by MinHash) above
    which an archived article is a copy of an earlier one.
    """

    threshold: float = 0.3
    merge_threshold: float = 0.5
    window_days: float = 3.0
    query_terms: int = 12
    index_terms: int = 25
    centroid_terms: int = 150
    name_weight: float = 1.5
    copy_jaccard: float = 0.5

    def __post_init__(self) -> None:
        _check(0 < self.threshold < 1, f"cluster.threshold must be in (0, 1), got {self.threshold}")
        _check(0 < self.merge_threshold <= 1, f"cluster.merge_threshold must be in (0, 1], got {self.merge_threshold}")
        _check(self.window_days > 0, f"cluster.window_days must be positive, got {self.window_days}")
        _check(
            min(self.query_terms, self.index_terms, self.centroid_terms) >= 1,
            "cluster.query_terms, index_terms and centroid_terms must be positive",
        )
        _check(0 <= self.name_weight <= 10, f"cluster.name_weight must be in [0, 10], got {self.name_weight}")
        _check(0 < self.copy_jaccard <= 1, f"cluster.copy_jaccard must be in (0, 1], got {self.copy_jaccard}")


@dataclass(frozen=True, slots=True)
class ServeConfig:
    """The web service (``tidings serve``).

    ``max_body_bytes`` caps one request body: a larger one is answered 413
    before it is read, so a client cannot make the server buffer a huge
    upload. ``max_batch`` caps the documents in one ``POST /api/documents``.
    ``page_size`` is the stories per front page (and the API's default
    ``limit``; ``max_page_size`` its ceiling). Without a date filter the
    front page shows the stories active in the ``front_days`` days up to the
    archive's newest article. The background worker polls
    subscribed feeds every ``poll_every`` seconds (0 turns polling off) and
    refreshes stale story summaries ``summary_delay`` seconds after a write;
    ``worker = false`` turns the whole worker off (summaries are then only
    computed by ``tidings ingest``). A write waits at most ``write_wait``
    seconds for the archive's single writer before it is answered 503.
    CPU-heavy work runs outside the server's interpreter lock, which page
    reads need: one process cleans posted articles and ``processes`` others
    compute summaries and analyses (0: all of it in the server's threads).
    A rendered front page is reused for ``page_cache_seconds`` (0: never),
    or until this server writes. A request's reads are interrupted after
    ``read_seconds`` of work (answered 503), so no query can hold the server.
    At most ``search_slots`` searches run at once (0: half the CPU cores,
    at least one); another waits up to a second, then is answered 503, so
    that searches, the costliest reads, can never take every core from
    the story pages.
    """

    max_body_bytes: int = 8 * 1024 * 1024
    max_batch: int = 100
    page_size: int = 20
    max_page_size: int = 100
    front_days: int = 3
    poll_every: float = 600.0
    summary_delay: float = 1.0
    write_wait: float = 30.0
    worker: bool = True
    processes: int = 1
    page_cache_seconds: float = 2.0
    read_seconds: float = 5.0
    search_slots: int = 0

    def __post_init__(self) -> None:
        _check(self.max_body_bytes > 0, f"serve.max_body_bytes must be positive, got {self.max_body_bytes}")
        _check(1 <= self.max_batch <= 10_000, f"serve.max_batch must be in [1, 10000], got {self.max_batch}")
        _check(
            1 <= self.page_size <= self.max_page_size <= 1000,
            f"serve needs 1 <= page_size <= max_page_size <= 1000, got {self.page_size} and {self.max_page_size}",
        )
        _check(1 <= self.front_days <= 3650, f"serve.front_days must be in [1, 3650], got {self.front_days}")
        _check(self.poll_every >= 0, f"serve.poll_every must be >= 0 seconds, got {self.poll_every}")
        _check(self.summary_delay >= 0, f"serve.summary_delay must be >= 0 seconds, got {self.summary_delay}")
        _check(self.write_wait > 0, f"serve.write_wait must be positive, got {self.write_wait}")
        _check(isinstance(self.worker, bool), f"serve.worker must be true or false, got {self.worker!r}")
        _check(0 <= self.processes <= 64, f"serve.processes must be in [0, 64], got {self.processes}")
        _check(
            0 <= self.page_cache_seconds <= 3600,
            f"serve.page_cache_seconds must be in [0, 3600], got {self.page_cache_seconds}",
        )
        _check(0 < self.read_seconds <= 600, f"serve.read_seconds must be in (0, 600], got {self.read_seconds}")
        _check(0 <= self.search_slots <= 256, f"serve.search_slots must be in [0, 256], got {self.search_slots}")


ANALYZE_BACKENDS = ("auto", "rules", "spacy")


@dataclass(frozen=True, slots=True)
class AnalyzeConfig:
    """Cross-source analysis (see :mod:`tidings.analyze`).

    ``backend`` finds names: ``spacy`` (needs ``tidings[analyze]``), ``rules``
    (no model), or ``auto`` (spaCy when installed). ``soft_factor`` is how far
    "more than N" reaches before it stops being a natural way to say the
    number (soft upper bound ``N * soft_factor``). ``align_threshold`` is how
    alike two claims must read (cosine of their masked clauses, static
    embeddings) to be compared at all; a disagreement below it is not shown.
    ``summary`` adds the cited summary to the result.
    """

    backend: str = "auto"
    soft_factor: float = 1.5
    align_threshold: float = 0.55
    summary: bool = True

    def __post_init__(self) -> None:
        _check(
            self.backend in ANALYZE_BACKENDS,
            f"analyze.backend must be one of {', '.join(ANALYZE_BACKENDS)}, got {self.backend!r}",
        )
        _check(1 < self.soft_factor <= 10, f"analyze.soft_factor must be in (1, 10], got {self.soft_factor}")
        _check(0 < self.align_threshold <= 1, f"analyze.align_threshold must be in (0, 1], got {self.align_threshold}")


@dataclass(frozen=True, slots=True)
class BatchConfig:
    """Batch processing of a whole archive (``tidings batch``, see :mod:`tidings.batch`).

    Stories are made by the archive's own clusterer with the ``[cluster]``
    settings, so a batch and ``tidings ingest`` agree. An LSH bucket of more
    than ``max_bucket`` documents is paired as a star around its first member
    when looking for syndicated copies. ``partitions`` is Spark's number of
    shuffle partitions (about 2-4 per executor core).

    The local engine keeps its working rows on disk (a SQLite file in the
    output's work folder) and holds only what these two settings allow, so its
    memory does not grow with the archive: ``chunk`` is how many records (or,
    for summaries, documents) go to a worker process at a time, with two
    chunks per worker in flight; ``cache_mib`` is the SQLite page cache.
    """

    max_bucket: int = 200
    partitions: int = 200
    chunk: int = 256
    cache_mib: int = 64

    def __post_init__(self) -> None:
        _check(self.max_bucket >= 2, f"batch.max_bucket must be >= 2, got {self.max_bucket}")
        _check(1 <= self.partitions <= 100_000, f"batch.partitions must be in [1, 100000], got {self.partitions}")
        _check(1 <= self.chunk <= 100_000, f"batch.chunk must be in [1, 100000], got {self.chunk}")
        _check(1 <= self.cache_mib <= 65_536, f"batch.cache_mib must be in [1, 65536], got {self.cache_mib}")


@dataclass(frozen=True, slots=True)
class Config:
    """All settings of a tidings run."""

    ingest: IngestConfig = field(default_factory=IngestConfig)
    dedup: DedupConfig = field(default_factory=DedupConfig)
    summarize: SummarizeConfig = field(default_factory=SummarizeConfig)
    fetch: FetchConfig = field(default_factory=FetchConfig)
    cluster: ClusterConfig = field(default_factory=ClusterConfig)
    batch: BatchConfig = field(default_factory=BatchConfig)
    analyze: AnalyzeConfig = field(default_factory=AnalyzeConfig)
    serve: ServeConfig = field(default_factory=ServeConfig)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Config:
        """Build from nested dicts, rejecting unknown sections and keys."""
        sections = {f.name: f for f in fields(cls)}
        kwargs: dict[str, Any] = {}
        for name, values in data.items():
            if name not in sections:
                raise ConfigError(f"unknown config section [{name}] (known: {', '.join(sections)})")
            section_cls = type(getattr(cls(), name))
            known = {f.name for f in fields(section_cls)}
            unknown = set(values) - known
            if unknown:
                raise ConfigError(f"unknown key(s) in [{name}]: {', '.join(sorted(unknown))}")
            clean = {k: tuple(v) if isinstance(v, list) else v for k, v in values.items()}
            kwargs[name] = section_cls(**clean)
        return cls(**kwargs)

    @classmethod
    def from_toml(cls, path: str | Path) -> Config:
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"cannot read config {path}: {exc}") from exc
        return cls.from_dict(data)

    def with_summarize(self, **changes: Any) -> Config:
        """A copy with some summarizer settings changed (None values are ignored)."""
        changes = {k: v for k, v in changes.items() if v is not None}
        return replace(self, summarize=replace(self.summarize, **changes)) if changes else self
