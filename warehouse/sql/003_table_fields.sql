-- 003: where a figure sits in a table and what the table declares about it, as columns the audit
-- and analysts read (not keys inside `attributes`): the table, cell and part of a `count share%`
-- cell, the row's stub path and the column's header path with their roles, where a rate's counts
-- came from, a text total's group, and the calculations a table declares with this figure as the
-- result. A figure's county is its own (a county row of a ministry table; none for 全國).

ALTER TABLE metrics ADD COLUMN IF NOT EXISTS table_id VARCHAR;
ALTER TABLE metrics ADD COLUMN IF NOT EXISTS row_index INTEGER;
ALTER TABLE metrics ADD COLUMN IF NOT EXISTS col_index INTEGER;
ALTER TABLE metrics ADD COLUMN IF NOT EXISTS cell_part VARCHAR;
ALTER TABLE metrics ADD COLUMN IF NOT EXISTS row_path VARCHAR;
ALTER TABLE metrics ADD COLUMN IF NOT EXISTS col_path VARCHAR;
ALTER TABLE metrics ADD COLUMN IF NOT EXISTS row_role VARCHAR;
ALTER TABLE metrics ADD COLUMN IF NOT EXISTS col_role VARCHAR;
ALTER TABLE metrics ADD COLUMN IF NOT EXISTS counts_from VARCHAR;
ALTER TABLE metrics ADD COLUMN IF NOT EXISTS group_id VARCHAR;
ALTER TABLE metrics ADD COLUMN IF NOT EXISTS group_role VARCHAR;
ALTER TABLE metrics ADD COLUMN IF NOT EXISTS calculations JSON;

CREATE OR REPLACE VIEW v_metrics AS
SELECT
    m.metric_id, m.document_id, d.file_name, d.file_type, d.path, m.page,
    m.county,
    m.strategy, s.title AS strategy_title,
    m.year, m.roc_year, m.period_start, m.period_end, m.period_text,
    m.indicator, m.label, m.value, m.value_text, m.unit, m.kind, m.comparator,
    m.numerator, m.denominator, m.counts_from, m.target_met, m.source, m.snippet,
    m.table_id, m.row_path, m.col_path, m.row_role, m.col_role,
    d.report_date, d.title AS document_title
FROM metrics m
JOIN documents d USING (document_id)
LEFT JOIN strategies s ON s.strategy = m.strategy;
ALTER TABLE metrics ADD COLUMN IF NOT EXISTS rate_base DOUBLE;
ALTER TABLE metrics ADD COLUMN IF NOT EXISTS ocr_confidence DOUBLE;
