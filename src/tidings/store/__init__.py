"""Store: the embedded SQLite archive of documents and stories (see :mod:`tidings.store.archive`)."""

from tidings.store.archive import Archive, StoredDocument, StoryRow

__all__ = ["Archive", "StoredDocument", "StoryRow"]
