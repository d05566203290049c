-- 006: briefings. The renditions of one briefing (its PPTX, the PDF exported from it, an ODP or
-- PPT copy: same county, report date and title, near-same text) share one `briefing_id`, set by
-- `warehouse.briefings.link_briefings` after each ingest. Views show one rendition per briefing:
-- the native deck (PPTX, then ODP, then PPT: it has the charts' data and the speaker notes), else
-- the PDF. `v_metrics_all` and `v_renditions` still reach every rendition.

ALTER TABLE documents ADD COLUMN IF NOT EXISTS briefing_id VARCHAR;

CREATE OR REPLACE VIEW v_renditions AS
SELECT
    d.document_id,
    coalesce(d.briefing_id, d.document_id) AS briefing_id,
    d.file_type, d.file_name, d.path, d.page_count, d.county, d.report_date, d.title,
    row_number() OVER (
        PARTITION BY coalesce(d.briefing_id, d.document_id)
        ORDER BY CASE d.file_type WHEN 'pptx' THEN 1 WHEN 'odp' THEN 2 WHEN 'ppt' THEN 3 ELSE 4 END,
                 d.ingested_at DESC, d.document_id
    ) = 1 AS is_primary,
    count(*) OVER (PARTITION BY coalesce(d.briefing_id, d.document_id)) AS renditions
FROM documents d;

-- One row per briefing: its primary rendition and the PDF to show pages from, if one was loaded.
CREATE OR REPLACE VIEW v_briefings AS
SELECT
    r.briefing_id, r.county, r.report_date, r.title, r.renditions,
    r.document_id AS primary_document_id, r.file_type AS primary_file_type,
    (SELECT p.document_id FROM v_renditions p
     WHERE p.briefing_id = r.briefing_id AND p.file_type = 'pdf'
     ORDER BY p.document_id LIMIT 1) AS pdf_document_id,
    list(o.file_type ORDER BY o.file_type) AS file_types
FROM v_renditions r
JOIN v_renditions o ON o.briefing_id = r.briefing_id
WHERE r.is_primary
GROUP BY ALL;

CREATE OR REPLACE VIEW v_metrics_all AS
SELECT
    m.metric_id, m.document_id, r.briefing_id, r.is_primary, d.file_name, d.file_type, d.path, m.page,
    m.county,
    m.strategy, s.title AS strategy_title,
    m.year, m.roc_year, m.period_start, m.period_end, m.period_text,
    m.indicator, m.label, m.value, m.value_text, m.unit, m.kind, m.comparator,
    m.numerator, m.denominator, m.counts_from, m.target_met, m.source, m.snippet,
    m.table_id, m.row_path, m.col_path, m.row_role, m.col_role,
    d.report_date, d.title AS document_title
FROM metrics m
JOIN documents d USING (document_id)
JOIN v_renditions r USING (document_id)
LEFT JOIN strategies s ON s.strategy = m.strategy;

CREATE OR REPLACE VIEW v_metrics AS
SELECT * EXCLUDE (is_primary) FROM v_metrics_all WHERE is_primary;

-- Audit findings of the primary renditions (what the report lists by default).
CREATE OR REPLACE VIEW v_findings AS
SELECT f.*, r.briefing_id
FROM findings f
JOIN v_renditions r USING (document_id)
WHERE r.is_primary;
