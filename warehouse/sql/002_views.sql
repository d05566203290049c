-- 002: the strategies lookup (filled at ingest from patterns/data/strategies.tsv) and views for the
-- common questions.

CREATE TABLE IF NOT EXISTS strategies (
    strategy INTEGER PRIMARY KEY,
    title    VARCHAR NOT NULL
);

-- Every metric with the document it came from and the strategy's title.
CREATE OR REPLACE VIEW v_metrics AS
SELECT
    m.metric_id, m.document_id, d.file_name, d.file_type, d.path, m.page,
    coalesce(m.county, d.county) AS county,
    m.strategy, s.title AS strategy_title,
    m.year, m.roc_year, m.period_start, m.period_end, m.period_text,
    m.indicator, m.label, m.value, m.value_text, m.unit, m.kind, m.comparator,
    m.numerator, m.denominator, m.target_met, m.source, m.snippet,
    d.report_date, d.title AS document_title
FROM metrics m
JOIN documents d USING (document_id)
LEFT JOIN strategies s ON s.strategy = m.strategy;

-- The latest reported value per county, indicator (label) and period: the one from the document
-- with the latest report date (ties: the last ingested).
CREATE OR REPLACE VIEW v_latest AS
SELECT * EXCLUDE (rn) FROM (
    SELECT
        v.*,
        row_number() OVER (
            PARTITION BY v.county, v.indicator, v.label, v.period_start, v.period_end, v.kind, v.unit
            ORDER BY v.report_date DESC NULLS LAST, d.ingested_at DESC, v.page
        ) AS rn
    FROM v_metrics v
    JOIN documents d USING (document_id)
    WHERE v.indicator IS NOT NULL
) WHERE rn = 1;

-- One row per county and year with the program's main rates (mean of the actual percentages
-- reported under that indicator head) and how many metrics stand behind the row.
CREATE OR REPLACE VIEW v_county_year AS
SELECT
    county,
    year,
    year - 1911 AS roc_year,
    round(avg(value) FILTER (WHERE indicator IN ('進用率', '聘用率') AND unit = '%' AND kind = 'actual'), 2) AS hiring_rate,
    round(avg(value) FILTER (WHERE indicator = '涵蓋率' AND unit = '%' AND kind = 'actual'), 2) AS coverage_rate,
    round(avg(value) FILTER (WHERE indicator = '訪視率' AND unit = '%' AND kind = 'actual'), 2) AS visit_rate,
    round(avg(value) FILTER (WHERE indicator = '開戶率' AND unit = '%' AND kind = 'actual'), 2) AS account_rate,
    round(avg(value) FILTER (WHERE indicator = '繳存率' AND unit = '%' AND kind = 'actual'), 2) AS deposit_rate,
    round(avg(value) FILTER (WHERE indicator = '達成率' AND unit = '%' AND kind = 'actual'), 2) AS achievement_rate,
    round(avg(value) FILTER (WHERE indicator = '再通報率' AND unit = '%' AND kind = 'actual'), 2) AS re_report_rate,
    count(*) AS n_metrics,
    count(*) FILTER (WHERE kind = 'target') AS n_targets
FROM v_metrics
WHERE county IS NOT NULL AND year IS NOT NULL
GROUP BY county, year;
