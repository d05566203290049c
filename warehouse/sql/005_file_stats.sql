-- 005: what a file looked like on disk when its bytes were last hashed: an unchanged re-ingest
-- trusts the stored sha256 of a path whose size, modification time and inode are the same (as git
-- trusts its index), instead of reading every file again. `--force` hashes everything.

CREATE TABLE IF NOT EXISTS file_stats (
    path           VARCHAR PRIMARY KEY,
    size_bytes     BIGINT NOT NULL,
    mtime_ns       BIGINT NOT NULL,
    inode          BIGINT NOT NULL,
    document_id    VARCHAR NOT NULL,
    recorded_at_ns BIGINT NOT NULL
);
