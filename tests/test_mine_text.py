"""Text mining: heads, labels, kinds, targets, counts and groups, on sentences written for these
tests (variants of what the decks say, not the decks' own lines)."""

from __future__ import annotations

from deckmine.patterns.mine import Metric, mine_document

from tests.mine_helpers import COVER, document, notes, text


def mine_lines(*lines: str, title: str = "策略二、優化保護服務輸送") -> list[Metric]:
    return mine_document(document(COVER, [text(2, *lines)], titles=[None, title])).metrics


def find(metrics: list[Metric], value_text: str) -> Metric:
    hits = [m for m in metrics if m.value_text == value_text]
    assert hits, f"{value_text} not mined from {[m.value_text for m in metrics]}"
    return hits[0]


def test_rate_with_head_label_fraction_and_paired_target() -> None:
    metrics = mine_lines("113年上半年：實際聘用27名/中央核定36名，心衛社工聘用率75%(目標90%)")
    rate, target = find(metrics, "75"), find(metrics, "90")
    assert (rate.indicator, rate.unit, rate.kind) == ("聘用率", "%", "actual")
    assert rate.label == "心衛社工聘用率"
    assert (rate.numerator, rate.denominator) == (27, 36)
    assert (target.kind, target.comparator) == ("target", ">=")
    assert rate.attributes["target_value"] == 90
    assert find(metrics, "27").unit == "名" and find(metrics, "36").unit == "名"
    assert rate.year == 2024 and rate.period_end.month == 6


def test_lower_than_target_and_full_width_fraction() -> None:
    metrics = mine_lines("結案後再通報率３.１０％低於１２％，家訪完成率８０．５％（１６１／２００）")
    assert find(metrics, "3.10").kind == "actual"
    lower = find(metrics, "12")
    assert (lower.kind, lower.comparator) == ("target", "<")
    assert find(metrics, "3.10").attributes["target_value"] == 12
    visit = find(metrics, "80.5")
    assert (visit.numerator_text, visit.denominator_text) == ("161", "200")


def test_staff_counts_in_brackets_give_the_rate_its_counts() -> None:
    metrics = mine_lines("社工人員進用率達90%(核定2督18員，實際進用2督16員)")
    rate = find(metrics, "90")
    assert (rate.numerator, rate.denominator) == (18, 20)
    staff = find(metrics, "2督18員")
    assert (staff.value, staff.unit, staff.attributes["supervisors"], staff.attributes["workers"]) == (20, "員", 2, 18)


def test_total_and_parts_share_a_group() -> None:
    metrics = mine_lines("應處遇人數88人(完成處遇40人、處遇中30人、暫停處遇18人)")
    total = find(metrics, "88")
    parts = [m for m in metrics if m.group_role == "part"]
    assert total.group_role == "total"
    assert sorted(p.value for p in parts) == [18, 30, 40]
    assert {p.group_id for p in parts} == {total.group_id}


def test_label_on_the_line_before_and_target_met() -> None:
    metrics = mine_lines("家庭訪視率：", "45.6%達標")
    rate = find(metrics, "45.6")
    assert (rate.indicator, rate.target_met, rate.kind) == ("訪視率", True, "actual")


def test_label_after_a_lone_value_and_label_box_before() -> None:
    doc = document(COVER, [text(2, "92%", "人員", "聘用率"), text(2, "開戶率"), text(2, "66.7%未達標")],
                   titles=[None, "策略1 擴增家庭服務資源"])
    metrics = mine_document(doc).metrics
    assert find(metrics, "92").indicator == "聘用率"
    opened = find(metrics, "66.7")
    assert (opened.indicator, opened.target_met) == ("開戶率", False)


def test_kind_forecast_target_and_results() -> None:
    metrics = mine_lines(
        "114年預計開案300案，服務2,000人次，70%以上個案改善",
        "113年1-6月辦理講座至少12場",
        "114年推廣至少5,000人次",
        "已達目標值105%",
    )
    assert find(metrics, "300").kind == "forecast"
    assert find(metrics, "2,000").kind == "forecast"
    assert find(metrics, "70").kind == "target"
    assert find(metrics, "12").kind == "actual"  # 至少 in results already past the report date
    assert find(metrics, "5,000").kind == "target"  # 至少 in a plan for a later period
    assert find(metrics, "105").kind == "actual"


def test_not_figures() -> None:
    metrics = mine_lines("受理後24小時內派案95件，第3處據點於113年5月1日啟用，由3~5名委員組成")
    assert [m.value_text for m in metrics if m.unit == "小時"] == []
    assert find(metrics, "95").unit == "件"
    assert {(m.value, m.comparator) for m in metrics if m.unit == "名"} == {(3, ">="), (5, "<=")}
    assert all(m.value not in (113, 1, 5.0) or m.unit == "名" for m in metrics)


def test_period_from_clause_and_comparison_baseline() -> None:
    metrics = mine_lines("113年通報120件，較112年100件增加20%")
    assert find(metrics, "120").year == 2024
    assert find(metrics, "100").year == 2023  # the figure right after 較112年
    assert find(metrics, "20").year == 2024


def test_notes_are_mined_as_notes() -> None:
    doc = document(COVER, [notes(2, "本季服務受益人次共計1,234人次。")], titles=[None, "策略三 精神疾病"])
    metric = find(mine_document(doc).metrics, "1,234")
    assert (metric.source, metric.indicator, metric.unit) == ("notes", "受益人次", "人次")


def test_tenths_written_with_an_arabic_digit_are_percentages() -> None:
    metrics = mine_lines("個案滿意度逾8成，近6成家庭功能改善，3成功案例分享")
    assert {(m.value, m.value_text, m.comparator) for m in metrics if m.unit == "%"} == {
        (80, "8成", ">"), (60, "6成", "~")}


def test_target_cues_kpi_aim_and_floors() -> None:
    metrics = mine_lines(
        "KPI：≧88%，本期91.2%達標",
        "KPI：結案評估比率≦12%",
        "家訪完成率期達97%",
        "通報後訪視率不得低於80%，再通報率不得超過6%",
        "目標85%，實際82.4%",
    )
    assert (find(metrics, "88").kind, find(metrics, "88").comparator) == ("target", ">=")
    assert find(metrics, "91.2").kind == "actual"
    assert (find(metrics, "12").kind, find(metrics, "12").comparator) == ("target", "<=")
    assert (find(metrics, "97").kind, find(metrics, "97").comparator) == ("target", None)
    assert (find(metrics, "80").kind, find(metrics, "80").comparator) == ("target", ">=")
    assert (find(metrics, "6").kind, find(metrics, "6").comparator) == ("target", "<=")
    assert find(metrics, "82.4").kind == "actual"  # 實際 after a target is a result


def test_purpose_clause_follows_its_plan_and_plan_pages_make_floors_targets() -> None:
    metrics = mine_lines("明年規劃增設據點3處，以期服務涵蓋率至少達85%")
    assert (find(metrics, "85").kind, find(metrics, "85").comparator) == ("forecast", ">=")
    plan = document(COVER, [text(2, "預期成效"), text(2, "個案滿意度至少維持90%", "112年1-3月至少辦理5場")],
                    titles=[None, "伍、後續規劃"])
    planned = mine_document(plan).metrics
    assert find(planned, "90").kind == "target"
    assert find(planned, "5").kind == "actual"  # its own period is over at the report date
    unplanned = mine_lines("個案滿意度至少維持90%")
    assert find(unplanned, "90").kind == "actual"


def test_paired_counts_relative_years_and_rate_bases() -> None:
    metrics = mine_lines(
        "督導（編制/到職）：6/5名",
        "前(111)年同期通報率為3.2%，服務穩定",
        "平均負荷約31案",
        "112年溺水死亡率為每十萬人口2.7人",
    )
    assert [(m.value, m.unit, m.indicator, m.label) for m in metrics if m.unit == "名"] == [
        (6, "名", "編制", "督導編制"), (5, "名", "到職", "督導到職")]
    assert find(metrics, "3.2").year == 2022
    assert find(metrics, "31").year == 2024  # the date of a statement line does not carry on
    assert [m.value for m in metrics if m.unit == "人"] == [2.7]


def test_named_pair_gives_the_rate_its_counts_by_role_not_print_order() -> None:
    metrics = mine_lines("心理師（核定/實際）：50/45人，進用率90%")
    rate = find(metrics, "90")
    assert (rate.numerator, rate.denominator) == (45, 50)
    unnamed = find(mine_lines("保護個案追蹤率80%（40/50）"), "80")
    assert (unnamed.numerator, unnamed.denominator) == (40, 50)


def test_line_marked_continues_is_joined_to_the_next_in_any_file_type() -> None:
    """The extractor's `TextLine.continues` (a PDF line wrapped at its box's right edge) is read
    for every file type: the head split across the wrap is whole, the figure keeps its line's box."""
    from deckmine.extractors.model import BBox, TextBlock, TextLine

    first = TextLine("心衛社工聘", BBox(0, 0, 100, 12), 12.0, continues=True)
    second = TextLine("用率75%", BBox(0, 14, 60, 26), 12.0)
    block = TextBlock(page=2, bbox=BBox(0, 0, 100, 26), lines=[first, second])
    for file_type in ("pptx", "pdf"):
        deck = document(COVER, [block], titles=[None, "策略二、優化保護服務輸送"], file_type=file_type)
        rate = find(mine_document(deck).metrics, "75")
        assert (rate.indicator, rate.label) == ("聘用率", "心衛社工聘用率")
        assert rate.bbox == [0, 14, 60, 26]
    assert block.text == "心衛社工聘\n用率75%"
