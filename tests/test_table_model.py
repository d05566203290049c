"""Table interpretation, one class of structure per test, each with its own invented table.

The audit's verdicts on these tables are tested at the user's level: a real `TableBlock` is
interpreted and mined, and the per-document audit runs on the metric rows it gives.
"""

from __future__ import annotations

from typing import Any

from deckmine.patterns.metric import DeckInfo
from deckmine.patterns.mine import MinedDeck
from deckmine.patterns.table_model import interpret_table, is_code
from deckmine.patterns.tables import mine_table
from deckmine.pipeline.audit import check_document

from tests.mine_helpers import table

DOC = "t" * 64


def rows_of(grid: list[list[str]], merged: dict[tuple[int, int], tuple[int, int]] | None = None) -> list[dict[str, Any]]:
    return MinedDeck(DeckInfo(), mine_table(table(1, grid, merged), 1, 0)[0]).metric_rows(DOC)


def alarms(grid: list[list[str]], merged: dict[tuple[int, int], tuple[int, int]] | None = None) -> list[dict[str, Any]]:
    return [f for f in check_document(rows_of(grid, merged), DOC)
            if f["status"] in ("mismatch", "sum_mismatch", "reversed", "target_missed")]


# --- header rows, stubs, corner -------------------------------------------------------------------


def test_year_headers_under_a_spanning_header_are_labels_not_values() -> None:
    grid = [
        ["機構", "編制", "到職", "增編", "~", "總員額"],
        ["~", "~", "~", "117", "118", "~"],
        ["東區站", "40", "33", "4", "2", "46"],
        ["西區站", "25", "25", "3", "0", "28"],
    ]
    merged = {(0, 0): (2, 1), (0, 1): (2, 1), (0, 2): (2, 1), (0, 3): (1, 2), (0, 5): (2, 1)}
    interpreted = interpret_table(table(1, grid, merged))
    assert (interpreted.header_rows, interpreted.stub_cols) == (2, 1)
    metrics = rows_of(grid, merged)
    assert not [m for m in metrics if m["value"] in (117, 118)]  # header cells are never values
    years = {m["value"]: m["year"] for m in metrics if m["col_index"] in (3, 4) and m["row_index"] == 2}
    assert years == {4: 2028, 2: 2029}


def test_a_hotline_column_header_is_a_label() -> None:
    grid = [["來源", "學校", "0800專線", "合計"], ["一月", "12", "5", "17"], ["二月", "9", "4", "13"]]
    interpreted = interpret_table(table(1, grid))
    assert interpreted.header_rows == 1
    assert interpreted.cols[2].inner == "0800專線"


def test_corner_period_dates_every_cell() -> None:
    grid = [["115年1-6月", "受理件數", "開案件數"], ["甲區", "310", "140"], ["乙區", "205", "96"]]
    metrics = rows_of(grid)
    assert {(m["year"], str(m["period_end"])) for m in metrics} == {(2026, "2026-06-30")}


def test_row_group_stub_names_the_indicator_in_the_second_column() -> None:
    grid = [
        ["面向", "指標", "115年", "116年"],
        ["服務成效", "回訪率", "71%", "74%"],
        ["~", "滿意度", "88%", "90%"],
    ]
    metrics = rows_of(grid, {(1, 0): (2, 1)})
    assert {m["indicator"] for m in metrics} == {"回訪率", "滿意度"}
    assert {m["row_path"] for m in metrics} == {"服務成效 回訪率", "服務成效 滿意度"}


def test_kind_comes_from_the_row_and_an_achievement_rate_is_an_actual() -> None:
    grid = [
        ["指標", "~", "116年", "117年(目標)"],
        ["追蹤率(%)", "目標值", "70", "75"],
        ["~", "實際值", "72.4", "－"],
        ["~", "達成率", "103.4%", "－"],
    ]
    metrics = rows_of(grid, {(0, 0): (1, 2), (1, 0): (3, 1)})
    kinds = {(m["row_index"], m["col_index"]): m["kind"] for m in metrics}
    assert kinds == {(1, 2): "target", (1, 3): "target", (2, 2): "actual", (3, 2): "actual"}
    assert {m["indicator"] for m in metrics if m["unit"] == "%"} == {"追蹤率(%)", "達成率"}
    # 72.4 / 70 = 103.43%: the achievement row is checked against the rows its head names
    achievement = next(m for m in metrics if m["row_index"] == 3)
    assert (achievement["numerator"], achievement["denominator"], achievement["counts_from"]) == (72.4, 70, "table")


def test_caption_row_is_not_a_header() -> None:
    grid = [["兒少安置概況", "兒少安置概況", "兒少安置概況"], ["年度", "寄養(人)", "機構(人)"], ["116年", "41", "30"]]
    interpreted = interpret_table(table(1, grid, {(0, 0): (1, 3)}))
    assert interpreted.caption == "兒少安置概況" and interpreted.header_rows == 2
    assert {m["unit"] for m in rows_of(grid, {(0, 0): (1, 3)})} == {"人"}


# --- calculations the structure declares ----------------------------------------------------------


def test_total_column_over_the_columns_that_add_up_not_a_subset() -> None:
    # 總員額 = 編制 + 增編 (116, 117); 到職 is part of 編制, not a part of the total
    grid = [
        ["機構", "編制", "到職", "增編", "~", "總員額"],
        ["~", "~", "~", "116", "117", "~"],
        ["東區站", "40", "33", "4", "2", "46"],
        ["西區站", "25", "25", "3", "0", "28"],
        ["南區站", "18", "12", "2", "2", "23"],
    ]
    merged = {(0, 0): (2, 1), (0, 1): (2, 1), (0, 2): (2, 1), (0, 3): (1, 2), (0, 5): (2, 1)}
    wrong = alarms(grid, merged)
    assert [(f["page"], f["reported"], f["computed"]) for f in wrong] == [(1, 23, 22)]
    assert "columns that add up on the other rows" in wrong[0]["message"]


def test_a_total_no_set_of_columns_explains_is_not_computable() -> None:
    grid = [["單位", "甲", "乙", "丙", "合計"], ["A", "3", "5", "7", "11"], ["B", "2", "9", "4", "20"]]
    findings = check_document(rows_of(grid), DOC)
    assert {f["status"] for f in findings if f["check"] == "table_total"} == {"not_computable"}
    assert all("adds up" in f["message"] for f in findings if f["check"] == "table_total")


def test_subset_column_is_never_a_part() -> None:
    grid = [["類別", "男", "女", "合計", "其中身障"], ["甲", "10", "12", "22", "3"], ["乙", "7", "6", "13", "1"],
            ["丙", "4", "5", "9", "2"]]
    findings = check_document(rows_of(grid), DOC)
    sums = {(f["expression"], f["status"]) for f in findings if f["check"] == "table_total"}
    assert sums == {("10+12 = 22", "ok"), ("7+6 = 13", "ok"), ("4+5 = 9", "ok")}


def test_rate_column_is_checked_against_the_counts_its_head_names_row_by_row() -> None:
    grid = [
        ["據點", "核定人數", "進用人數", "進用率"],
        ["北站", "20", "17", "85.0%"],
        ["中站", "15", "11", "80.0%"],  # 11/15 = 73.3%: an error
        ["南站", "12", "10", "83.3%"],
        ["合計", "47", "38", "80.8%"],  # 38/47 = 80.85%: consistent only when truncated
    ]
    findings = {f["reported"]: f["status"] for f in check_document(rows_of(grid), DOC) if f["check"] == "rate"}
    assert findings == {85.0: "ok", 80.0: "mismatch", 83.3: "ok", 80.8: "ok_truncated"}


def test_explicit_formula_in_a_rate_header() -> None:
    grid = [["區", "應訪", "已訪", "比率(已訪/應訪)"], ["一", "40", "30", "75%"], ["二", "50", "42", "80%"]]
    findings = {f["reported"]: f["status"] for f in check_document(rows_of(grid), DOC) if f["check"] == "rate"}
    assert findings == {75: "ok", 80: "mismatch"}  # 42/50 = 84%


def test_count_share_cells_against_their_base_and_the_row_split() -> None:
    grid = [
        ["來源", "學校", "警政", "醫院", "合計"],
        ["甲類", "50 25.0%", "90 45.0%", "60 30.0%", "200"],
        ["乙類", "30 20.0%", "70 50.0%", "50 33.3%", "150"],  # 70/150 = 46.7%: printed 50.0
    ]
    findings = check_document(rows_of(grid), DOC)
    shares = {(f["page"], f["reported"]): f["status"] for f in findings if f["check"] == "share"}
    assert shares[(1, 50.0)] == "mismatch" and shares[(1, 45.0)] == "ok" and shares[(1, 33.3)] == "ok"
    splits = [f["status"] for f in findings if f["check"] == "percent_split"]
    assert splits == ["ok", "sum_mismatch"]  # 20.0 + 50.0 + 33.3 = 103.3


def test_national_row_adds_up_only_over_every_county() -> None:
    grid = [["縣市", "件數"], ["臺北市", "10"], ["新北市", "20"], ["全國", "100"]]
    metrics = rows_of(grid)
    assert {m["county"] for m in metrics if m["row_index"] != 3} == {"臺北市", "新北市"}
    national = next(m for m in metrics if m["row_index"] == 3)
    assert national["county"] is None and national["attributes"]["scope"] == "national"
    assert not [f for f in check_document(metrics, DOC) if f["check"] == "table_total"]


def test_targets_pair_only_with_their_own_year() -> None:
    grid = [["指標", "~", "114年", "115年", "116年(目標)"], ["服務率", "實際值", "61%", "66%", "－"],
            ["~", "目標值", "60%", "68%", "70%"]]
    findings = [f for f in check_document(rows_of(grid, {(0, 0): (1, 2), (1, 0): (2, 1)}), DOC)
                if f["check"] == "target"]
    assert sorted((f["reported"], f["status"]) for f in findings) == [(61, "target_met"), (66, "target_missed")]


# --- cells that are not figures -------------------------------------------------------------------


def test_phones_addresses_and_serials_are_not_figures() -> None:
    assert is_code("(03)332-1234") and is_code("中山路25巷7號") and is_code("0800-222-333") and is_code("07")
    assert not is_code("1,250") and not is_code("113")
    grid = [["序號", "據點", "電話", "地址", "服務人次"], ["1", "甲中心", "(03)332-1234", "中山路25巷7號", "420"],
            ["2", "乙中心", "(03)441-8765", "民生路8號", "388"]]
    assert sorted(m["value"] for m in rows_of(grid)) == [388, 420]


# --- classes met in the second round of blind decks --------------------------------------------------


def test_group_totals_are_subtotals_and_the_grand_total_sums_them() -> None:
    grid = [["區", "人數"], ["甲里", "12"], ["乙里", "8"], ["東區合計", "20"], ["丙里", "5"], ["丁里", "6"],
            ["西區小計", "11"], ["總計", "32"]]
    findings = [f for f in check_document(rows_of(grid), DOC) if f["check"] == "table_total"]
    assert sorted((f["expression"], f["status"]) for f in findings) == [
        ("12+8 = 20", "ok"), ("20+11 = 31", "sum_mismatch"), ("5+6 = 11", "ok")]


def test_count_share_cells_of_a_column_and_a_rate_in_brackets() -> None:
    # `開案數(占比)` holds shares of its column; `結案數(結案率)` rates of the row: 結案 ÷ 開案
    grid = [
        ["來源", "開案數(占比)", "結案數(結案率)"],
        ["甲", "60(30.0%)", "45(75.0%)"],
        ["乙", "140(70.0%)", "98(60.0%)"],  # 98/140 = 70.0%: printed 60.0
        ["合計", "200(100.0%)", "143(71.5%)"],
    ]
    findings = check_document(rows_of(grid), DOC)
    assert not [f for f in findings if f["check"] == "share" and f["status"] != "ok"]
    rates = {f["reported"]: f["status"] for f in findings if f["check"] == "rate"}
    assert rates == {75.0: "ok", 60.0: "mismatch", 71.5: "ok"}


def test_signed_differences_and_a_stub_of_bare_years_with_the_corner_months() -> None:
    grid = [["年度(1-6月)", "受理", "結案"], ["114", "300", "210"], ["115", "320", "236"], ["增減", "+20", "+16"]]
    metrics = rows_of(grid)
    years = {(m["row_index"], m["col_index"]): (m["year"], str(m["period_end"])) for m in metrics}
    assert years[(1, 1)] == (2025, "2025-06-30") and years[(2, 1)] == (2026, "2026-06-30")
    assert not [m for m in metrics if m["value"] in (114, 115)]
    differences = {f["reported"]: f["status"] for f in check_document(metrics, DOC) if f["check"] == "table_difference"}
    assert differences == {20: "ok", 16: "sum_mismatch"}  # 236 - 210 = 26


def test_a_national_column_and_a_strategy_column() -> None:
    grid = [["策略", "指標", "本縣", "全國"], ["一", "開案率", "64.1%", "61.0%"], ["參", "訪視率", "90.2%", "88.8%"]]
    metrics = rows_of(grid)
    assert {(m["row_index"], m["col_index"]): m["strategy"] for m in metrics} == {
        (1, 2): 1, (1, 3): 1, (2, 2): 3, (2, 3): 3}
    national = [m for m in metrics if m["col_index"] == 3]
    assert all(m["attributes"]["scope"] == "national" for m in national)
