-- 進用率 (hiring rate) reported by each county, by year, with the counts shown beside it
SELECT county, year, year - 1911 AS roc_year, label, value_text || '%' AS reported,
       numerator, denominator, file_name, page
FROM v_metrics
WHERE indicator IN ('進用率', '聘用率') AND kind = 'actual'
ORDER BY county, year, page;

-- Targets and forecasts each county set, and for which period
SELECT county, strategy, period_text, label, kind, comparator, value_text, unit, file_name, page
FROM v_metrics
WHERE kind IN ('target', 'forecast')
ORDER BY county, strategy, page
LIMIT 15;

-- Where the audit disagrees with the deck: the page to look at
SELECT f.status, d.file_name, f.page, f.message
FROM v_findings f JOIN documents d USING (document_id)
WHERE f.status IN ('mismatch', 'reversed', 'sum_mismatch', 'target_missed', 'cross_document')
ORDER BY d.file_name, f.page;
