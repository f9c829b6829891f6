"""The archive's schema as numbered migrations.

``PRAGMA user_version`` records how many have been applied; opening an
archive applies the missing ones in one transaction each, so an archive
made by an older tidings is upgraded in place and a newer one is refused.
"""

from __future__ import annotations

MIGRATIONS: tuple[str, ...] = (
    # 1: documents, stories, syndication bands, term statistics, feeds, full-text search
    """
    CREATE TABLE documents (
        id TEXT PRIMARY KEY,
        url TEXT,
        canonical_url TEXT UNIQUE,
        content_hash TEXT NOT NULL UNIQUE,
        title TEXT,
        outlet TEXT,
        published TEXT,
        ingested_at TEXT NOT NULL,
        seq INTEGER NOT NULL,
        language TEXT,
        format TEXT NOT NULL,
        path TEXT,
        text TEXT NOT NULL,
        raw BLOB NOT NULL,
        copy_of TEXT REFERENCES documents(id) DEFERRABLE INITIALLY DEFERRED,
        story_id INTEGER REFERENCES stories(id) DEFERRABLE INITIALLY DEFERRED,
        minhash BLOB
    );
    CREATE INDEX documents_story ON documents(story_id);
    CREATE INDEX documents_published ON documents(published);
    CREATE INDEX documents_seq ON documents(seq);

    CREATE TABLE stories (
        id INTEGER PRIMARY KEY,
        title TEXT,
        first_seen TEXT,
        last_seen TEXT,
        first_published TEXT,
        last_published TEXT,
        last_seq INTEGER NOT NULL,
        size INTEGER NOT NULL,
        independent INTEGER NOT NULL,
        centroid BLOB NOT NULL,
        version INTEGER NOT NULL DEFAULT 1,
        summary TEXT,
        summary_version INTEGER NOT NULL DEFAULT 0,
        merged_into INTEGER REFERENCES stories(id)
    );
    CREATE INDEX stories_last_seen ON stories(last_seen);
    CREATE INDEX stories_last_seq ON stories(last_seq);

    CREATE TABLE story_merges (
        from_story INTEGER NOT NULL,
        into_story INTEGER NOT NULL,
        similarity REAL NOT NULL,
        at TEXT NOT NULL
    );

    CREATE TABLE doc_bands (
        band INTEGER NOT NULL,
        doc_id TEXT NOT NULL REFERENCES documents(id),
        PRIMARY KEY (band, doc_id)
    ) WITHOUT ROWID;

    CREATE TABLE term_df (
        term INTEGER PRIMARY KEY,
        df INTEGER NOT NULL
    ) WITHOUT ROWID;

    CREATE TABLE feeds (
        url TEXT PRIMARY KEY,
        etag TEXT,
        last_modified TEXT,
        last_polled TEXT,
        last_status TEXT
    );

    CREATE TABLE problems (
        id INTEGER PRIMARY KEY,
        input TEXT NOT NULL,
        reason TEXT NOT NULL,
        at TEXT NOT NULL
    );

    CREATE VIRTUAL TABLE documents_fts USING fts5(
        title, text, content='documents', content_rowid='rowid', tokenize='porter unicode61'
    );
    CREATE TRIGGER documents_ai AFTER INSERT ON documents BEGIN
        INSERT INTO documents_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
    END;
    CREATE TRIGGER documents_ad AFTER DELETE ON documents BEGIN
        INSERT INTO documents_fts(documents_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);
    END;
    CREATE TRIGGER documents_au AFTER UPDATE OF title, text ON documents BEGIN
        INSERT INTO documents_fts(documents_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);
        INSERT INTO documents_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
    END;
    """,
    # 2: indexes behind the foreign keys that point at documents. SQLite checks a new parent row against
    # its children; without these, every document insert scanned doc_bands and documents (quadratic ingest).
    """
    CREATE INDEX documents_copy_of ON documents(copy_of);
    CREATE INDEX doc_bands_doc ON doc_bands(doc_id);
    """,
    # 3: a write generation, so that every process writing stories sees when another one did (its in-memory
    # story index is then reloaded inside the transaction); feeds get a stable integer id (to unsubscribe);
    # story sizes recounted from their documents (two writers with stale indexes could leave them wrong).
    """
    CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value INTEGER NOT NULL
    ) WITHOUT ROWID;
    INSERT INTO meta (key, value) VALUES ('generation', 0);

    CREATE TABLE feeds_v3 (
        id INTEGER PRIMARY KEY,
        url TEXT NOT NULL UNIQUE,
        etag TEXT,
        last_modified TEXT,
        last_polled TEXT,
        last_status TEXT
    );
    INSERT INTO feeds_v3 (url, etag, last_modified, last_polled, last_status)
        SELECT url, etag, last_modified, last_polled, last_status FROM feeds ORDER BY rowid;
    DROP TABLE feeds;
    ALTER TABLE feeds_v3 RENAME TO feeds;

    UPDATE stories SET size = (SELECT COUNT(*) FROM documents WHERE documents.story_id = stories.id)
        WHERE merged_into IS NULL;
    """,
    # 4: where each document's publication date came from (metadata, feed, url, text; 'none' when undated; NULL
    # for a date archived before this was recorded), and a story's publication span kept apart from when its
    # articles were seen: first/last_seen become ingestion times, first/last_published the span over
    # publication dates (NULL when no article is dated), last_active what the front page ranks by.
    """
    ALTER TABLE documents ADD COLUMN published_source TEXT;
    UPDATE documents SET published_source = 'none' WHERE published IS NULL;

    ALTER TABLE stories ADD COLUMN last_active TEXT;
    UPDATE stories SET
        first_seen = (SELECT MIN(ingested_at) FROM documents WHERE documents.story_id = stories.id),
        last_seen = (SELECT MAX(ingested_at) FROM documents WHERE documents.story_id = stories.id),
        first_published = (SELECT MIN(published) FROM documents WHERE documents.story_id = stories.id),
        last_published = (SELECT MAX(published) FROM documents WHERE documents.story_id = stories.id)
        WHERE merged_into IS NULL;
    UPDATE stories SET last_active = COALESCE(last_published, last_seen);
    CREATE INDEX stories_last_active ON stories(last_active);
    """,
    # 5: lines counted across stories (key: tidings.clean.line_key of the line's words), so that a line printed
    # word for word in articles of several stories is known as boilerplate. The first two stories are kept, so
    # the count of distinct stories is exact up to three (the threshold that matters); documents archived
    # before this migration are not counted.
    """
    CREATE TABLE line_stories (
        key INTEGER PRIMARY KEY,
        first_story INTEGER NOT NULL,
        second_story INTEGER,
        stories INTEGER NOT NULL
    ) WITHOUT ROWID;
    """,
    # 6: an archive that already holds documents has them counted once, by the next ingest (version 5 counted only
    # the documents added after it): flagged here, the count needs the cleaner's line keys.
    """
    INSERT INTO meta (key, value) SELECT 'recount_lines', 1 WHERE EXISTS (SELECT 1 FROM documents);
    """,
    # 7: each document's sentences (spans and paragraphs, tidings.segment.pack), split once when it is archived
    # instead of at every summary of its story; NULL for a document archived before (split when read).
    """
    ALTER TABLE documents ADD COLUMN sentences BLOB;
    """,
)

VERSION = len(MIGRATIONS)
