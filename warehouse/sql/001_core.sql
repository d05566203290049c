-- 001: core tables. One row per ingested file, its pages, blocks and table cells, the metrics mined
-- from them, audit findings and a log of ingest runs. document_id is the sha256 of the file's bytes.

CREATE TABLE IF NOT EXISTS documents (
    document_id   VARCHAR PRIMARY KEY,
    path          VARCHAR NOT NULL,
    file_name     VARCHAR NOT NULL,
    file_type     VARCHAR NOT NULL,
    size_bytes    BIGINT,
    page_count    INTEGER NOT NULL,
    title         VARCHAR,
    author        VARCHAR,
    created       VARCHAR,
    county        VARCHAR,
    report_date   DATE,
    report_roc_year INTEGER,
    metadata      JSON,
    warnings      VARCHAR[],
    ingested_at   TIMESTAMP NOT NULL,
    run_id        INTEGER
);

CREATE TABLE IF NOT EXISTS pages (
    document_id VARCHAR NOT NULL,
    page        INTEGER NOT NULL,
    width       DOUBLE,
    height      DOUBLE,
    title       VARCHAR,
    text        VARCHAR,
    warnings    VARCHAR[],
    PRIMARY KEY (document_id, page)
);

CREATE TABLE IF NOT EXISTS blocks (
    document_id VARCHAR NOT NULL,
    page        INTEGER NOT NULL,
    block_index INTEGER NOT NULL,
    kind        VARCHAR NOT NULL,
    text        VARCHAR,
    bbox        DOUBLE[],
    font_size   DOUBLE,
    bold        BOOLEAN,
    is_title    BOOLEAN,
    shape_id    INTEGER,
    shape_name  VARCHAR,
    flags       VARCHAR[],
    PRIMARY KEY (document_id, page, block_index)
);

CREATE TABLE IF NOT EXISTS table_cells (
    document_id VARCHAR NOT NULL,
    page        INTEGER NOT NULL,
    block_index INTEGER NOT NULL,
    row_index   INTEGER NOT NULL,
    col_index   INTEGER NOT NULL,
    row_span    INTEGER NOT NULL,
    col_span    INTEGER NOT NULL,
    text        VARCHAR,
    flags       VARCHAR[],
    PRIMARY KEY (document_id, page, block_index, row_index, col_index)
);

CREATE TABLE IF NOT EXISTS metrics (
    metric_id     VARCHAR PRIMARY KEY,
    document_id   VARCHAR NOT NULL,
    page          INTEGER NOT NULL,
    block_index   INTEGER,
    county        VARCHAR,
    strategy      INTEGER,
    year          INTEGER,
    roc_year      INTEGER,
    period_start  DATE,
    period_end    DATE,
    period_text   VARCHAR,
    indicator     VARCHAR,
    label         VARCHAR,
    value         DOUBLE,
    value_text    VARCHAR,
    unit          VARCHAR,
    kind          VARCHAR,
    comparator    VARCHAR,
    numerator     DOUBLE,
    denominator   DOUBLE,
    numerator_text   VARCHAR,
    denominator_text VARCHAR,
    target_met    BOOLEAN,
    source        VARCHAR,
    snippet       VARCHAR,
    bbox          DOUBLE[],
    attributes    JSON
);

CREATE TABLE IF NOT EXISTS findings (
    finding_id  VARCHAR PRIMARY KEY,
    "check"     VARCHAR NOT NULL,
    status      VARCHAR NOT NULL,
    severity    VARCHAR NOT NULL,
    document_id VARCHAR,
    page        INTEGER,
    metric_ids  VARCHAR[],
    reported    DOUBLE,
    computed    DOUBLE,
    difference  DOUBLE,
    expression  VARCHAR,
    message     VARCHAR,
    snippet     VARCHAR,
    bbox        DOUBLE[]
);

CREATE TABLE IF NOT EXISTS ingest_runs (
    run_id        INTEGER PRIMARY KEY,
    started_at    TIMESTAMP NOT NULL,
    finished_at   TIMESTAMP,
    command       VARCHAR,
    files_seen    INTEGER,
    files_new     INTEGER,
    files_changed INTEGER,
    files_moved   INTEGER,
    files_unchanged INTEGER,
    files_failed  INTEGER,
    metrics_added INTEGER,
    errors        VARCHAR[]
);
