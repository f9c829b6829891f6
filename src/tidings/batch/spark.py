"""The Spark engine: the batch algorithm as partition-wise transforms, joins and grouped maps.

Needs ``tidings[spark]`` (pyspark, pyarrow), imported only when this engine
runs. The corpus never goes to the driver: the driver plans, and collects
counts and a sample of problems for the report. Each step of
:mod:`tidings.batch.core` maps onto Spark like this:

=====================  ==============================================================
prepare                ``mapInArrow`` over the input partitions (parse, clean, segment,
                       features, MinHash, bands): cost grows with the documents
exact duplicates       three ``row_number`` windows (canonical URL, content hash, id) on
                       a narrow projection, then a semi-join
TF-IDF                 explode terms, ``groupBy(term)`` for document frequencies, join
                       back, ``collect_list`` per document, ``mapInArrow`` for the vector
syndication            explode LSH bands, self-join per band (a star for huge buckets),
                       ``mapInArrow`` to verify signatures, connected components
stories                the vectors ``repartition(1)`` and sorted by time (dated) or id
                       (undated), then one ``mapInArrow`` task runs the archive's
                       clusterer over them in that order; merges (a few integers per
                       merge, not documents) are resolved on the driver and joined back
repeated lines         ``(line key, story)`` pairs exploded and counted per key; only the keys
                       found in several stories (boilerplate, few) reach the driver
summaries              ``groupBy(story_id).applyInArrow``: one story per call
=====================  ==============================================================

The story pass is the one sequential step, because where an article goes
depends on the stories the articles before it made (that is what makes it
the archive's algorithm rather than a batch approximation of it). It streams:
the task reads its sorted partition batch by batch and holds only the active
stories of the time window (cold ones are pruned), so its memory does not
grow with the archive, and only vectors (not texts) are shuffled to it. Everything
else (preparing, deduplicating, vectors, syndication, summaries) stays
parallel. See docs/spark.md.

Connected components (syndication groups) are computed with min-label
propagation and pointer jumping (each round: a join over the edges, a
``groupBy`` min, a self-join of the labels), which converges in a few rounds
on news graphs.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from tidings.batch import core, inputs, tables
from tidings.config import Config
from tidings.errors import TidingsError

if TYPE_CHECKING:
    import pyarrow as pa
    from pyspark.sql import DataFrame, SparkSession

PREPARED_DDL = ", ".join(f"`{name}` {kind}" for name, kind in core.PREPARED_COLUMNS) + ", rowkey bigint"
VECTOR_DDL = "id string, vterms array<bigint>, vweights array<double>"
PLACED_DDL = "id string, story bigint, into bigint"
SCORED_DDL = "a string, b string, sim double"
STORY_ROW_DDL = ", ".join(f"`{name}` {kind}" for name, kind in core.STORY_COLUMNS)
_MAX_ITERATIONS = 100


def _require_pyspark() -> None:
    try:
        import pyspark  # noqa: F401
    except ImportError:
        raise TidingsError("the spark engine needs pyspark: install tidings[spark]") from None


def session(master: str | None, config: Config, app_name: str = "tidings-batch") -> SparkSession:
    """A Spark session for the batch (or the active one: ``spark-submit`` and tests make their own).

    UTC as the session time zone, so timestamps read from Parquet mean the same as
    in the local engine; Arrow for the Python steps; the UI off in local mode.
    """
    _require_pyspark()
    from pyspark import SparkConf
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName(app_name)
    if not master and SparkSession.getActiveSession() is None and not SparkConf().contains("spark.master"):
        master = "local[*]"  # not under spark-submit: this machine's cores
    if master:
        builder = builder.master(master)
        if master.startswith("local"):
            builder = builder.config("spark.ui.enabled", "false")
            # Workers run this interpreter, which has tidings, not PATH's python3 (pyspark reads only the variable).
            os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    spark = builder.getOrCreate()
    spark.conf.set("spark.sql.session.timeZone", "UTC")
    spark.conf.set("spark.sql.shuffle.partitions", str(config.batch.partitions))
    spark.conf.set("spark.sql.execution.arrow.pyspark.enabled", "true")
    spark.conf.set("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS")  # not INT96: readers see UTC
    return spark


def run_spark(
    paths: Sequence[str], output: str, config: Config, *, master: str | None = None, input_format: str = "auto"
) -> core.BatchReport:
    """Run the batch on Spark and write the tables under ``output`` (a local path or a storage URL)."""
    _require_pyspark()
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    spark = session(master, config)
    try:
        return _run(spark, paths, output, config, input_format)
    finally:
        if active is None:
            spark.stop()


def _run(spark: SparkSession, paths: Sequence[str], output: str, config: Config, fmt: str) -> core.BatchReport:
    from pyspark.sql import functions as F  # noqa: N812 - Spark's convention

    report = core.BatchReport(engine="spark")
    clock = core.StageClock(report)
    persisted: list[DataFrame] = []

    def keep(df: DataFrame) -> DataFrame:
        persisted.append(_cut(df))
        return persisted[-1]

    try:
        prepared = keep(read_prepared(spark, paths, config, fmt))
        report.records = prepared.count()
        clock("prepare")
        problems = prepared.where(F.col("problem").isNotNull()).select(
            F.col("where").alias("input"), F.col("problem").alias("reason")
        )
        docs, duplicate_problems = dedup(prepared.where(F.col("problem").isNull()), report)
        docs = keep(docs)
        problems = problems.unionByName(duplicate_problems)
        report.documents = n = docs.count()
        clock("dedup")
        vectors = keep(vectorize(docs, n))
        vectors.count()
        clock("tfidf")
        copy_of = keep(syndication(docs, config, report))
        report.copies = copy_of.count()
        clock("syndication")
        labels = keep(stories(docs, vectors, config, report))
        clock("stories")
        documents = (
            docs.join(labels, "id", "left")
            .join(copy_of, "id", "left")
            .withColumn("copy_root", F.coalesce(F.col("copy_of"), F.col("id")))
        )
        documents = keep(documents)
        summaries = summarize(documents, config, repeated_lines(documents, config))
        _write(summaries, documents, problems, output)
        clock("summaries+write")
        report.problems = spark.read.parquet(f"{output.rstrip('/')}/problems.parquet").count()
        report.problem_samples = [
            {"input": r["input"], "reason": r["reason"]}
            for r in spark.read.parquet(f"{output.rstrip('/')}/problems.parquet").limit(100).collect()
        ]
        _write_report(spark, report, output)
        return report
    finally:
        for df in persisted:
            df.unpersist()  # what a local checkpoint holds is freed with the frame


def _cut(df: DataFrame) -> DataFrame:
    """Materialise a step's result and cut its lineage, so later plans stay small.

    A reliable checkpoint when the session has a checkpoint directory (on a
    cluster: survives a lost executor), else a local one (executor storage,
    memory then disk).
    """
    from pyspark import StorageLevel

    if df.sparkSession.sparkContext.getCheckpointDir():
        return df.checkpoint(eager=True)
    return df.localCheckpoint(eager=True, storageLevel=StorageLevel.MEMORY_AND_DISK)


# -- step 1 -----------------------------------------------------------------------------------


def _arrow_schema(ddl_columns: Sequence[tuple[str, str]]) -> pa.Schema:
    import pyarrow as pa

    kinds = {
        "string": pa.string(),
        "bigint": pa.int64(),
        "int": pa.int32(),
        "double": pa.float64(),
        "binary": pa.binary(),
        "array<bigint>": pa.list_(pa.int64()),
        "array<double>": pa.list_(pa.float64()),
        "array<int>": pa.list_(pa.int32()),
        "array<string>": pa.list_(pa.string()),
    }
    return pa.schema([(name, kinds[kind]) for name, kind in ddl_columns])


def _prepare_batches(batches: Iterator[pa.RecordBatch], config: Config) -> Iterator[pa.RecordBatch]:
    """Partition-wise: raw records (``where``, ``rowkey``, ``record`` or Parquet columns) -> prepared rows."""
    import pyarrow as pa

    schema = _arrow_schema((*core.PREPARED_COLUMNS, ("rowkey", "bigint")))
    for batch in batches:
        rows = []
        for raw in batch.to_pylist():
            where, rowkey = raw.pop("where"), raw.pop("rowkey")
            line = raw.pop("value", None)
            if line is not None:
                where = f"{where} (record starting {line[:40]!r})"
            else:
                where = f"{where} (id {raw['id']})" if raw.get("id") else where
            row = core.prepare_record(where, line if line is not None else raw, config)
            row["rowkey"] = rowkey
            rows.append(row)
        yield pa.RecordBatch.from_pylist(rows, schema=schema)


def read_prepared(spark: SparkSession, paths: Sequence[str], config: Config, fmt: str) -> DataFrame:
    """Every input record, prepared: JSONL lines and Parquet rows go through :func:`core.prepare_record`."""
    from pyspark.sql import functions as F  # noqa: N812

    jsonl = [p for p in paths if inputs.format_of(p, fmt) == inputs.JSONL]
    parquet = [p for p in paths if inputs.format_of(p, fmt) == inputs.PARQUET]
    frames = []
    if jsonl:
        lines = spark.read.text(jsonl).where(F.trim("value") != "")
        frames.append(lines.select(F.col("_metadata.file_path").alias("where"), "value"))
    if parquet:
        rows = spark.read.parquet(*parquet)
        present = [c for c in inputs.RECORD_FIELDS if c in rows.columns]
        cols = [F.col(c).cast("string").alias(c) if c in ("id", "published", "time") else F.col(c) for c in present]
        frames.append(rows.select(F.col("_metadata.file_path").alias("where"), *cols))
    records = frames[0]
    for other in frames[1:]:
        records = records.unionByName(other, allowMissingColumns=True)
    records = records.withColumn("rowkey", F.monotonically_increasing_id())
    return records.mapInArrow(lambda batches: _prepare_batches(batches, config), PREPARED_DDL)


# -- step 2 -----------------------------------------------------------------------------------


def dedup(ok: DataFrame, report: core.BatchReport) -> tuple[DataFrame, DataFrame]:
    """One document per canonical URL, then per content hash, then per id, by :func:`core.dedup_key`'s order.

    Returns the kept documents and the problems for ids that two different documents claim.
    """
    from pyspark.sql import Window
    from pyspark.sql import functions as F  # noqa: N812

    order = [
        F.col("published").asc_nulls_last(),
        F.col("id"),
        F.col("digest"),
        F.coalesce(F.col("title"), F.lit("")),
        F.coalesce(F.col("outlet"), F.lit("")),
        F.col("exact"),
    ]
    narrow = ok.select(
        "rowkey",
        "where",
        "id",
        "canonical",
        "digest",
        "published",
        "title",
        "outlet",
        F.sha2("text", 256).alias("exact"),
    )

    def first_per(df: DataFrame, key: str) -> tuple[DataFrame, DataFrame]:
        grouping = F.coalesce(F.col(key), F.concat(F.lit("\u0000"), F.col("rowkey").cast("string")))
        ranked = df.withColumn("_rank", F.row_number().over(Window.partitionBy(grouping).orderBy(*order)))
        return ranked.where("_rank = 1").drop("_rank"), ranked.where("_rank > 1").drop("_rank")

    narrow = _cut(narrow)
    after_url, dropped_url = first_per(narrow, "canonical")
    after_digest, dropped_digest = first_per(after_url, "digest")
    kept, dropped_id = first_per(after_digest, "id")
    kept = _cut(kept)
    report.duplicate_urls = dropped_url.count()
    report.duplicate_contents = dropped_digest.count()
    report.duplicate_ids = dropped_id.count()
    problems = dropped_id.select(
        F.col("where").alias("input"),
        F.format_string(core.DUPLICATE_ID.replace("{!r}", "'%s'"), F.col("id")).alias("reason"),
    )
    docs = ok.join(kept.select("rowkey"), "rowkey", "left_semi").drop("where", "problem")
    return docs, problems


# -- step 3 -----------------------------------------------------------------------------------


def _vector_batches(batches: Iterator[pa.RecordBatch], n: int) -> Iterator[pa.RecordBatch]:
    import pyarrow as pa

    schema = _arrow_schema((("id", "string"), ("vterms", "array<bigint>"), ("vweights", "array<double>")))
    for batch in batches:
        out = []
        for row in batch.to_pylist():
            stats = row["stats"]
            vec = core.doc_vector([s["term"] for s in stats], [s["count"] for s in stats], [s["df"] for s in stats], n)
            out.append({"id": row["id"], "vterms": vec.terms, "vweights": vec.weights})
        yield pa.RecordBatch.from_pylist(out, schema=schema)


def vectorize(docs: DataFrame, n: int) -> DataFrame:
    """Per document: its TF-IDF vector, with document frequencies aggregated over the batch."""
    from pyspark.sql import functions as F  # noqa: N812

    exploded = docs.select("id", F.explode(F.arrays_zip("terms", "counts")).alias("tc")).select(
        "id", F.col("tc.terms").alias("term"), F.col("tc.counts").alias("count")
    )
    df = exploded.groupBy("term").agg(F.count("*").alias("df"))
    stats = exploded.join(df, "term").groupBy("id").agg(F.collect_list(F.struct("term", "count", "df")).alias("stats"))
    return stats.mapInArrow(lambda batches: _vector_batches(batches, n), VECTOR_DDL)


# -- connected components -----------------------------------------------------------------------


def connected_components(edges: DataFrame) -> DataFrame:
    """``(v, label)`` for every vertex of ``edges(a, b)``: label = the smallest id of its component.

    Min-label propagation with pointer jumping: each round a vertex takes the
    smallest label among itself and its neighbours, then the label of its label.
    Labels only decrease and always name a vertex of the same component, so at
    the fixed point every component carries its minimum.
    """
    from pyspark.sql import functions as F  # noqa: N812

    both = edges.select(F.col("a").alias("src"), F.col("b").alias("dst")).unionByName(
        edges.select(F.col("b").alias("src"), F.col("a").alias("dst"))
    )
    both = _cut(both)
    labels = _cut(
        both.groupBy("src")
        .agg(F.min("dst").alias("m"))
        .select(F.col("src").alias("v"), F.least("src", "m").alias("label"))
    )
    for _ in range(_MAX_ITERATIONS):
        spread = both.join(labels.withColumnRenamed("v", "src"), "src").select(F.col("dst").alias("v"), "label")
        merged = labels.unionByName(spread).groupBy("v").agg(F.min("label").alias("label"))
        jumps = merged.select(F.col("v").alias("l"), F.col("label").alias("l2"))
        jumped = _cut(
            merged.join(jumps, merged["label"] == jumps["l"], "left").select(
                "v", F.least(F.col("label"), F.coalesce(F.col("l2"), F.col("label"))).alias("label")
            )
        )
        changed = (
            jumped.join(labels.withColumnRenamed("label", "old"), "v").where(F.col("label") != F.col("old")).count()
        )
        labels = jumped
        if changed == 0:
            break
    else:  # pragma: no cover - a news graph converges in a handful of rounds
        raise TidingsError(f"connected components did not converge in {_MAX_ITERATIONS} rounds")
    return labels


# -- step 4 -----------------------------------------------------------------------------------------


def _scored_batches(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    import pyarrow as pa

    schema = _arrow_schema((("a", "string"), ("b", "string"), ("sim", "double")))
    for batch in batches:
        out = [{"a": r["a"], "b": r["b"], "sim": core.agreement(r["sa"], r["sb"])} for r in batch.to_pylist()]
        yield pa.RecordBatch.from_pylist(out, schema=schema)


def syndication(docs: DataFrame, config: Config, report: core.BatchReport) -> DataFrame:
    """``(id, copy_of)`` for every copy: band self-join, signature check, components, earliest member as root."""
    from pyspark.sql import functions as F  # noqa: N812

    bands = docs.select("id", F.explode("bands").alias("band"))
    sizes = bands.groupBy("band").agg(F.count("*").alias("size"), F.min("id").alias("first"))
    sized = bands.join(sizes.where("size > 1"), "band")
    small = sized.where(F.col("size") <= config.batch.max_bucket).select("band", "id")
    pairs = (
        small.alias("x")
        .join(small.alias("y"), "band")
        .where(F.col("x.id") < F.col("y.id"))
        .select(F.col("x.id").alias("a"), F.col("y.id").alias("b"))
    )
    stars = sized.where((F.col("size") > config.batch.max_bucket) & (F.col("id") != F.col("first"))).select(
        F.col("first").alias("a"), F.col("id").alias("b")
    )
    pairs = _cut(pairs.unionByName(stars).distinct())
    report.copy_pairs = pairs.count()
    sig = docs.select("id", "signature")
    joined = pairs.join(sig.select(F.col("id").alias("a"), F.col("signature").alias("sa")), "a").join(
        sig.select(F.col("id").alias("b"), F.col("signature").alias("sb")), "b"
    )
    scored = joined.select("a", "b", "sa", "sb").mapInArrow(_scored_batches, SCORED_DDL)
    edges = scored.where(F.col("sim") >= config.cluster.copy_jaccard).select("a", "b")
    labels = connected_components(edges)
    dated = labels.join(docs.select(F.col("id").alias("v"), "published"), "v").withColumn(
        "key", F.struct(F.coalesce(F.col("published"), F.lit(2**63 - 1)).alias("p"), F.col("v").alias("i"))
    )
    roots = dated.groupBy("label").agg(F.min("key").alias("root")).select("label", F.col("root.i").alias("root"))
    return (
        dated.join(roots, "label")
        .where(F.col("v") != F.col("root"))
        .select(F.col("v").alias("id"), F.col("root").alias("copy_of"))
    )


# -- step 5 ------------------------------------------------------------------------------------------


def _placed_batches(batches: Iterator[pa.RecordBatch], config: Config, first: int) -> Iterator[pa.RecordBatch]:
    """The story pass over one sorted partition, streaming: batches in, placements and merges out."""
    import pyarrow as pa

    schema = _arrow_schema((("id", "string"), ("story", "bigint"), ("into", "bigint")))

    def rows() -> Iterator[tuple[str, int | None, list[int], list[float]]]:
        for batch in batches:
            for r in batch.to_pylist():
                yield r["id"], r["published"], r["vterms"], r["vweights"]

    out: list[dict[str, object]] = []
    for doc_id, story, into in core.assign_stories(rows(), config.cluster, first):
        out.append({"id": doc_id, "story": story, "into": into})
        if len(out) >= 10_000:
            yield pa.RecordBatch.from_pylist(out, schema=schema)
            out = []
    yield pa.RecordBatch.from_pylist(out, schema=schema)


def stories(docs: DataFrame, vectors: DataFrame, config: Config, report: core.BatchReport) -> DataFrame:
    """``(id, story_id)`` for every document: the archive's clusterer in one streaming task per pass."""
    from pyspark.sql import functions as F  # noqa: N812

    dated = vectors.join(docs.select("id", "published"), "id")

    def one_pass(rows: DataFrame, first: int, *order: str) -> DataFrame:
        ordered = rows.repartition(1).sortWithinPartitions(*order)
        return ordered.mapInArrow(lambda batches: _placed_batches(batches, config, first), PLACED_DDL)

    placed = _cut(
        one_pass(dated.where(F.col("published").isNotNull()), 1, "published", "id").unionByName(
            one_pass(dated.where(F.col("published").isNull()), core.UNDATED_STORIES, "id")
        )
    )
    merges = [(int(r["story"]), int(r["into"])) for r in placed.where(F.col("id").isNull()).collect()]
    report.merges = len(merges)
    spark = docs.sparkSession
    moved = spark.createDataFrame(list(core.resolve_merges(merges).items()), "story bigint, final bigint")
    assigned = (
        placed.where(F.col("id").isNotNull())
        .join(F.broadcast(moved), "story", "left")
        .select("id", F.coalesce(F.col("final"), F.col("story")).alias("story"))
    )
    first_member = assigned.groupBy("story").agg(F.min("id").alias("label"))
    story = F.concat(F.lit("s"), F.substring(F.sha1(F.col("label")), 1, 15))
    out = _cut(assigned.join(first_member, "story").select("id", story.alias("story_id")))
    stats = (
        out.groupBy("story_id")
        .agg(F.count("*").alias("n"))
        .agg(
            F.count("*").alias("stories"),
            F.sum(F.when(F.col("n") == 1, 1).otherwise(0)).alias("singletons"),
            F.max("n").alias("largest"),
        )
    )
    row = stats.collect()[0]
    report.stories, report.singleton_stories, report.largest_story = (
        int(row["stories"]),
        int(row["singletons"] or 0),
        int(row["largest"] or 0),
    )
    return out


# -- step 6 and the tables ------------------------------------------------------------------------------


_STORY_INPUT = (
    "id",
    "url",
    "title",
    "outlet",
    "published",
    "published_source",
    "language",
    "format",
    "text",
    "sent_start",
    "sent_end",
    "sent_par",
    "copy_root",
)


def _story_group(table: pa.Table, config: Config, repeated: frozenset[int]) -> pa.Table:
    import pyarrow as pa

    rows = table.to_pylist()
    out = core.story_row(rows[0]["story_id"], rows, config, repeated)
    return pa.Table.from_pylist([out], schema=_arrow_schema(core.STORY_COLUMNS))


def repeated_lines(documents: DataFrame, config: Config) -> frozenset[int]:
    """Keys of the lines found in the articles of ``summarize.repeated_line_stories`` stories or more."""
    from operator import add

    from tidings.clean import line_keys

    if not (min_stories := config.summarize.repeated_line_stories):
        return frozenset()
    pairs = documents.select("story_id", "text").rdd.flatMap(lambda r: [(k, r[0]) for k in line_keys(r[1])])
    counts = pairs.distinct().map(lambda pair: (pair[0], 1)).reduceByKey(add)
    return frozenset(counts.filter(lambda kv: kv[1] >= min_stories).keys().collect())


def summarize(documents: DataFrame, config: Config, repeated: frozenset[int] = frozenset()) -> DataFrame:
    """One row per story, summarized in a grouped map (a story's documents meet in one task)."""
    return (
        documents.select("story_id", *_STORY_INPUT)
        .groupBy("story_id")
        .applyInArrow(lambda table: _story_group(table, config, repeated), STORY_ROW_DDL)
    )


def _write(summaries: DataFrame, documents: DataFrame, problems: DataFrame, output: str) -> None:
    from pyspark.sql import functions as F  # noqa: N812

    base = output.rstrip("/")
    stories_out = summaries.select(
        "story_id",
        "title",
        "summary",
        "sentences",
        F.from_json("citations", tables.CITATION_DDL).alias("citations"),
        "independent_sources",
        "size",
        F.timestamp_micros("first_published").alias("first_published"),
        F.timestamp_micros("last_published").alias("last_published"),
    )
    stories_out.write.mode("overwrite").parquet(f"{base}/stories.parquet")
    documents.select(
        "id",
        "url",
        F.col("canonical").alias("canonical_url"),
        "title",
        "outlet",
        F.timestamp_micros("published").alias("published"),
        "published_source",
        "language",
        "story_id",
        "copy_of",
        F.col("digest").alias("content_hash"),
        "text",
    ).write.mode("overwrite").parquet(f"{base}/documents.parquet")
    problems.write.mode("overwrite").parquet(f"{base}/problems.parquet")


def _write_report(spark: SparkSession, report: core.BatchReport, output: str) -> None:
    """report.json beside the tables (through Hadoop's file system, so object storage works too)."""
    import json

    text = json.dumps(report.as_dict(), indent=2) + "\n"
    jvm = spark.sparkContext._jvm
    path = jvm.org.apache.hadoop.fs.Path(f"{output.rstrip('/')}/report.json")
    fs = path.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration())
    stream = fs.create(path, True)
    try:
        stream.write(bytearray(text.encode("utf-8")))
    finally:
        stream.close()
