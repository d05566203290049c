"""Table and chart mining: names from headers, units from headers, periods from year headers."""

from __future__ import annotations

from deckmine.patterns.mine import mine_document

from tests.mine_helpers import COVER, chart, document, table


def test_year_rows_header_units_and_totals() -> None:
    grid = [
        ["", "個案晤談人次", "開案人數", "結案率"],
        ["111年", "1,500", "120", "80.5%"],
        ["112年1-6月", "800", "64", "75%"],
        ["合計", "2,300", "184", ""],
    ]
    metrics = mine_document(document(COVER, [table(2, grid)], titles=[None, "策略4 跨網絡合作"])).metrics
    by_cell = {(m.row_index, m.col_index): m for m in metrics}
    assert (by_cell[(1, 1)].value, by_cell[(1, 1)].unit, by_cell[(1, 1)].year) == (1500, "人次", 2022)
    assert (by_cell[(2, 2)].unit, by_cell[(2, 2)].period_end.isoformat()) == ("人", "2023-06-30")
    assert (by_cell[(1, 3)].unit, by_cell[(1, 3)].value) == ("%", 80.5)
    total = by_cell[(3, 1)]
    assert (total.row_role, total.row_path, total.year) == ("total", "合計", 2023)
    assert [c.kind for c in total.calculations] == ["sum"]
    assert all(m.strategy == 4 and m.source == "table" for m in metrics)


def test_merged_header_target_columns_and_prose_cell() -> None:
    grid = [
        ["績效指標", "目標值", "~", "達成情形"],
        ["~", "112年", "113年", "~"],
        ["派案比率", "85%", "90%", "113年有效案件300件，24小時內派案294件，派案率98%。"],
    ]
    merged = {(0, 0): (2, 1), (0, 1): (1, 2), (0, 3): (2, 1)}
    doc = document(COVER, [table(2, grid, merged)], titles=[None, "策略二 保護服務"])
    metrics = mine_document(doc).metrics
    targets = {m.value: m for m in metrics if m.kind == "target"}
    assert set(targets) == {85, 90} and targets[90].year == 2024
    dispatched = [m for m in metrics if m.value == 98][0]
    assert (dispatched.kind, dispatched.source, dispatched.indicator) == ("actual", "table", "派案率")
    assert (dispatched.numerator, dispatched.denominator) == (294, 300)
    assert [m.value for m in metrics if m.unit == "件"] == [300, 294]


def test_chart_points_percent_format_and_forecast_category() -> None:
    blocks = [
        chart(2, "開案率", ["111年", "112年"], {"開案率": [0.875, 0.9]}, "0.0%"),
        chart(2, "服務量（案）", ["112年", "113年(預估)"], {"服務量": [120, 150]}, "#,##0"),
    ]
    metrics = mine_document(document(COVER, blocks, titles=[None, "策略一"])).metrics
    rates = [m for m in metrics if m.unit == "%"]
    assert [(m.value, m.value_text, m.year) for m in rates] == [(87.5, "87.5", 2022), (90.0, "90.0", 2023)]
    cases = [m for m in metrics if m.unit == "案"]
    assert [(m.value, m.kind) for m in cases] == [(120, "actual"), (150, "forecast")]
    assert all(m.source == "chart" and m.strategy == 1 for m in metrics)


def test_summary_table_rows_name_their_strategy_by_part_of_its_title() -> None:
    grid = [
        ["面向", "指標", "113年目標", "113年1-6月"],
        ["網絡資源布建", "輔導人員聘用率", "80%", "83.1%"],
        ["自殺防治服務", "自殺關懷訪視率", "≧92%", "95.5%"],
        ["其他", "志工人數", "100人", "120人"],
    ]
    summary = document(COVER, [table(2, grid)], titles=[None, "肆、年度指標一覽"])
    by_row = {m.row_index: m.strategy for m in mine_document(summary).metrics}
    assert by_row == {1: 4, 2: 3, 3: None}
    headed = document(COVER, [table(2, grid)], titles=[None, "策略一 家庭服務"])
    assert {m.strategy for m in mine_document(headed).metrics} == {1}  # a heading in force wins
