-- 004: every other path at which a document's bytes were seen (the same file copied into two
-- folders of a batch): the document is loaded once, under `documents.path`, and the other paths
-- are listed here.

CREATE TABLE IF NOT EXISTS document_locations (
    document_id VARCHAR NOT NULL,
    path        VARCHAR NOT NULL,
    file_name   VARCHAR NOT NULL,
    run_id      INTEGER,
    PRIMARY KEY (document_id, path)
);
