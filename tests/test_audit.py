"""The audit's checks on the figures an auditor would check in the seed decks, and their edge cases.

Metric rows are built by hand here (the columns the miner produces), so the checks are tested
independently of mining; each expected status and value was worked out by hand.
"""

from __future__ import annotations

import json
from datetime import date
from fractions import Fraction
from itertools import count
from pathlib import Path
from typing import Any

import pytest
from deckmine.patterns.metric import DeckInfo
from deckmine.patterns.mine import MinedDeck
from deckmine.patterns.tables import mine_table
from deckmine.pipeline.audit import check_document, check_rate, check_rates
from deckmine.pipeline.audit_store import list_findings, run_audit
from deckmine.warehouse.db import connect

from tests.mine_helpers import table

DOC = "d" * 64
_ids = count(1)


def metric(value_text: str, unit: str = "%", **fields: Any) -> dict[str, Any]:
    """A metric row as the miner makes it; `value` follows `value_text`."""
    row: dict[str, Any] = {
        "metric_id": f"m{next(_ids):04d}",
        "document_id": DOC,
        "page": 1,
        "block_index": 0,
        "source": "text",
        "indicator": None,
        "label": None,
        "value": float(value_text.replace(",", "")),
        "value_text": value_text,
        "unit": unit,
        "kind": "actual",
        "comparator": None,
        "numerator": None,
        "denominator": None,
        "numerator_text": None,
        "denominator_text": None,
        "target_met": None,
        "snippet": "",
        "bbox": [10.0, 20.0, 60.0, 35.0],
        "attributes": {},
    }
    row.update(fields)
    return row


def only(findings: list[dict[str, Any]], check: str) -> dict[str, Any]:
    chosen = [f for f in findings if f["check"] == check]
    assert len(chosen) == 1, chosen
    return chosen[0]


# --- every rate example in the seeds' "Figures an auditor would check" ---------------------------


@pytest.mark.parametrize(
    ("value_text", "numerator", "denominator", "status", "computed"),
    [
        ("71", 41, 58, "ok", "70.69"),
        ("12.24", 631, 5156, "ok", "12.238"),
        ("85", 17, 20, "ok", "85.00"),
        ("81", 18, 22, "ok_truncated", "81.82"),
        ("91.80", 74, 68, "mismatch", "108.824"),
        ("94.44", 72, 68, "reversed", "105.882"),
        ("84.85", 33, 29, "mismatch", "113.793"),
        ("294.4", 524, 178, "ok", "294.38"),
        ("87.9", 73, 83, "ok_truncated", "87.95"),
        ("78.7", 48, 61, "ok", "78.69"),
    ],
)
def test_seed_rates(value_text: str, numerator: int, denominator: int, status: str, computed: str) -> None:
    result = check_rate(value_text, numerator, denominator)
    assert result.status == status
    places = len(computed.split(".")[1])
    assert round(float(result.computed), places) == float(computed)
    assert result.expression == f"{numerator}/{denominator}"


def test_reversed_fraction_names_the_order_that_matches() -> None:
    result = check_rate("94.44", 72, 68)
    assert round(float(result.reversed_value), 2) == 94.44
    [finding] = check_rates([metric("94.44", indicator="繳存率", label="繳存率", numerator=72.0, denominator=68.0)], DOC)
    assert finding["severity"] == "warning"
    assert "printed reversed (68/72 = 94.444%)" in finding["message"]


def test_mismatch_reports_gap_and_both_orders() -> None:
    row = metric("91.80", indicator="開戶率", label="開戶率", numerator=74.0, denominator=68.0)
    [finding] = check_rates([row], DOC)
    assert finding["status"] == "mismatch" and finding["severity"] == "error"
    assert finding["computed"] == pytest.approx(108.823529, abs=1e-6)
    assert finding["difference"] == pytest.approx(17.023529, abs=1e-6)
    assert finding["expression"] == "74/68"
    assert "74/68 = 108.824%" in finding["message"] and "68/74 = 91.892%" in finding["message"]
    # 84.85% (33/29): 29/33 = 87.88% does not explain it either
    other = check_rate("84.85", 33, 29)
    assert other.status == "mismatch" and round(float(other.reversed_value), 2) == 87.88


def test_ok_message_reads_like_the_brief() -> None:
    row = metric("71", indicator="進用率", label="進用率", numerator=41.0, denominator=58.0)
    [finding] = check_rates([row], DOC)
    assert finding["message"] == "進用率 71% vs 41/58 = 70.69%: consistent when rounded"
    assert finding["severity"] == "info"
    assert finding["metric_ids"] == [row["metric_id"]]
    assert finding["bbox"] == [10.0, 20.0, 60.0, 35.0]


def test_truncated_is_said_and_not_an_error() -> None:
    row = metric("87.9", label="涵蓋率", numerator=73.0, denominator=83.0)
    [finding] = check_rates([row], DOC)
    assert finding["status"] == "ok_truncated" and finding["severity"] == "info"
    assert "truncated (rounding gives 88.0%); not an error" in finding["message"]


def test_staff_pairs_sum_supervisors_and_workers() -> None:
    # 核定3督17員 = 20 approved, 實際進用3督14員 = 17 hired -> 85%
    exact = metric("85", unit="%", label="進用率", numerator=17.0, denominator=20.0,
                   numerator_text="3督14員", denominator_text="3督17員")
    # 核定4督18員 = 22, 實際進用4督14員 = 18 -> 81.8%, 81% only by truncation
    cut = metric("81", unit="%", label="進用率", numerator=18.0, denominator=22.0,
                 numerator_text="4督14員", denominator_text="4督18員")
    first, second = check_rates([exact, cut], DOC)
    assert first["status"] == "ok" and first["computed"] == 85.0
    assert second["status"] == "ok_truncated"
    assert "(4督14員/4督18員)" in second["message"]


# --- edge cases of rates ----------------------------------------------------------------------


def test_zero_denominator_is_not_computable_not_a_crash() -> None:
    assert check_rate("50", 3, 0).status == "not_computable"
    [finding] = check_rates([metric("50", numerator=3.0, denominator=0.0)], DOC)
    assert finding["status"] == "not_computable" and finding["computed"] is None
    assert "denominator is 0" in finding["message"]


def test_zero_numerator_is_a_plain_zero_rate() -> None:
    assert check_rate("0", 0, 12).status == "ok"
    assert check_rate("5", 0, 12).status == "mismatch"


def test_rates_above_100_are_legal() -> None:
    assert check_rate("294.4", 524, 178).status == "ok"
    assert check_rate("120", 6, 5).status == "ok"
    assert check_rate("125", 6, 5).status == "mismatch"


def test_half_unit_boundary_is_inclusive() -> None:
    # 1/8 = 12.5%: rounds half-up to 13, and both 12 and 13 are within half a unit
    assert check_rate("13", 1, 8).status == "ok"
    assert check_rate("12", 1, 8).status == "ok"
    # 1/16 = 6.25%: 6.3 is on the boundary (ok), 6.2 is the truncation
    assert check_rate("6.3", 1, 16).status == "ok"
    assert check_rate("6.2", 1, 16).status == "ok"
    assert check_rate("6.1", 1, 16).status == "mismatch"
    # just past the boundary: 12.51% cannot be written 12%, only 13% or truncated... 12 by truncation
    assert check_rate("12", 1251, 10000).status == "ok_truncated"
    assert check_rate("11", 1251, 10000).status == "mismatch"


def test_exact_arithmetic_not_float() -> None:
    # 0.1+0.2 style traps: 7/20 = 35% exactly, and 35.0 is written with one decimal
    result = check_rate("35.0", 0.7, 2)
    assert result.status == "ok" and result.computed == Fraction(35)
    assert check_rate("33.33", 1, 3).status == "ok"
    assert check_rate("33.34", 1, 3).status == "mismatch"


def test_full_width_and_thousands_separators() -> None:
    assert check_rate("１２.２４％", 631, 5156).status == "ok"
    assert check_rate("12.24", 631.0, 5156.0).expression == "631/5156"


def test_missing_counts_give_no_finding() -> None:
    rows = [
        metric("71", label="進用率"),  # no counts at all
        metric("71", label="進用率", numerator=41.0),  # only one count
        metric("41", unit="名", numerator=41.0, denominator=58.0),  # a count, not a rate
    ]
    assert check_document(rows, DOC) == []


def test_at_least_bound_with_counts() -> None:
    # 至少80% (17/20 = 85%): the counts satisfy the bound
    bound = metric("80", label="進用率", comparator=">=", numerator=17.0, denominator=20.0)
    # 至少85% with 18/22 = 81.8%: they do not
    short = metric("85", label="進用率", comparator=">=", numerator=18.0, denominator=22.0)
    first, second = check_rates([bound, short], DOC)
    assert first["status"] == "ok" and "within the stated bound >= 80%" in first["message"]
    assert second["status"] == "mismatch"


# --- totals in text ---------------------------------------------------------------------------


def text_group(group: str, total: str, parts: list[str], unit: str = "人") -> list[dict[str, Any]]:
    rows = [metric(total, unit=unit, label="應執行處遇人數", group_id=group, group_role="total")]
    rows += [metric(p, unit=unit, group_id=group, group_role="part") for p in parts]
    return rows


@pytest.mark.parametrize(
    ("total", "parts", "expression"),
    [
        ("155", ["82", "50", "23"], "82+50+23 = 155"),  # 性侵害加害人處遇, phase 1
        ("152", ["67", "49", "5", "31"], "67+49+5+31 = 152"),  # 家暴加害人處遇, phase 1
        ("73", ["6", "57", "10"], "6+57+10 = 73"),  # 性侵害加害人處遇, 112年1-3月
        ("63", ["13", "39", "0", "11"], "13+39+0+11 = 63"),  # 家暴加害人處遇, 112年1-3月
    ],
)
def test_taitung_offender_treatment_totals(total: str, parts: list[str], expression: str) -> None:
    finding = only(check_document(text_group("g1", total, parts), DOC), "text_total")
    assert finding["status"] == "ok" and finding["severity"] == "info"
    assert finding["expression"] == expression
    assert finding["computed"] == float(total) and finding["difference"] == 0


def test_text_total_off_by_one_is_a_sum_mismatch() -> None:
    finding = only(check_document(text_group("g1", "156", ["82", "50", "23"]), DOC), "text_total")
    assert finding["status"] == "sum_mismatch" and finding["severity"] == "error"
    assert finding["computed"] == 155 and finding["difference"] == -1
    assert "82+50+23 = 155, not 156" in finding["message"]


def test_two_groups_on_one_page_are_checked_apart() -> None:
    rows = text_group("a", "155", ["82", "50", "23"]) + text_group("b", "152", ["67", "49", "5", "31"])
    statuses = [f["status"] for f in check_document(rows, DOC) if f["check"] == "text_total"]
    assert statuses == ["ok", "ok"]


def test_group_without_parts_or_total_gives_nothing() -> None:
    rows = [metric("155", unit="人", group_id="x", group_role="total")]
    rows += [metric("82", unit="人", group_id="y", group_role="part")]
    assert check_document(rows, DOC) == []


# --- tables -----------------------------------------------------------------------------------


def table_cells(rows: list[tuple[str, list[str]]], headers: list[str], corner: str = "") -> list[dict[str, Any]]:
    """Metric rows of a real table (mined and interpreted as a deck's would be): `rows` are
    (row header, cell texts), '' for an empty cell."""
    grid = [[corner, *headers], *[[row_header, *values] for row_header, values in rows]]
    mined = MinedDeck(DeckInfo(), mine_table(table(1, grid), 1, 3)[0])
    return mined.metric_rows(DOC)


PSYCHIATRIC_HEADERS = ["受理案件", "符合轉介", "不符合", "收案", "退回", "評估中", "結案"]


def psychiatric_table(total_row: list[str]) -> list[dict[str, Any]]:
    return table_cells(
        [
            ("疑似精神個案", ["9", "7", "2", "4", "3", "0", "0"]),
            ("社區高風險精神個案", ["7", "4", "3", "2", "1", "1", "0"]),
            ("合計", total_row),
        ],
        PSYCHIATRIC_HEADERS,
    )


def test_psychiatric_case_table_total_row_adds_up() -> None:
    findings = [f for f in check_document(psychiatric_table(["16", "11", "5", "6", "4", "1", "0"]), DOC)
                if f["check"] == "table_total"]
    assert len(findings) == 7
    assert {f["status"] for f in findings} == {"ok"}
    first = next(f for f in findings if f["expression"].startswith("9+7"))
    assert first["expression"] == "9+7 = 16" and first["reported"] == 16


def test_table_total_row_off_by_one() -> None:
    findings = check_document(psychiatric_table(["16", "11", "5", "7", "4", "1", "0"]), DOC)
    wrong = [f for f in findings if f["status"] == "sum_mismatch"]
    assert len(wrong) == 1
    assert wrong[0]["expression"] == "4+2 = 6" and wrong[0]["reported"] == 7
    assert wrong[0]["difference"] == -1
    assert "合計 收案" in wrong[0]["message"] and "[parts: 合計 row]" in wrong[0]["message"]


COUNSELLING_HEADERS = ["晤談人次", "服務項目總人次", "接案個案服務總人次", "專輔人員人數", "平均接案服務人次"]
GROWTH_LABEL = "增加率 (當年平均接案服務人次 - 去年平均接案服務人次) / 去年平均接案服務人次 *100%)"


def counselling_table(increase: list[str], rate: str) -> list[dict[str, Any]]:
    return table_cells(
        [
            ("110年", ["1211", "3563", "4774", "15", "318.2"]),
            ("111年", ["1219", "4326", "5545", "16", "346.6"]),
            ("增加人數", increase),
            (GROWTH_LABEL, ["", "", "", "", rate]),
        ],
        COUNSELLING_HEADERS,
    )


def test_counselling_table_increase_row_and_rate() -> None:
    findings = check_document(counselling_table(["8", "763", "771", "1", "28.4"], "8.92%"), DOC)
    differences = [f for f in findings if f["check"] == "table_difference"]
    assert [f["status"] for f in differences] == ["ok"] * 5
    assert differences[-1]["expression"] == "346.6-318.2 = 28.4"
    growth = only(findings, "table_growth_rate")
    # (346.6 - 318.2) / 318.2 = 8.9252%: rounding gives 8.93, the deck printed the truncation
    assert growth["status"] == "ok_truncated"
    assert growth["computed"] == pytest.approx(8.925204, abs=1e-6)
    assert growth["expression"] == "(346.6-318.2)/318.2×100"
    assert not [f for f in findings if f["check"] == "table_total"]


def test_counselling_table_wrong_increase_and_rate() -> None:
    findings = check_document(counselling_table(["8", "763", "781", "1", "28.4"], "9.5%"), DOC)
    wrong = [f for f in findings if f["status"] == "sum_mismatch"]
    assert sorted(f["check"] for f in wrong) == ["table_difference", "table_growth_rate"]
    difference = next(f for f in wrong if f["check"] == "table_difference")
    assert difference["computed"] == 771 and difference["reported"] == 781


def test_total_column_and_averages_are_not_summed() -> None:
    rows = table_cells(
        [("男", ["10", "5", "15", "7.5"]), ("女", ["4", "6", "10", "5"]), ("合計", ["14", "11", "26", "6.3"])],
        ["一月人數", "二月人數", "總計", "平均"],
    )
    findings = check_document(rows, DOC)
    totals = {(f["expression"], f["status"]) for f in findings if f["check"] == "table_total"}
    # column 總計: 10+5 = 15 and 4+6 = 10 explain it on the other rows, so 14+11 = 25 vs 26 is an
    # error; row 合計: 10+4, 5+6, 15+10 = 25 vs 26
    assert ("10+5 = 15", "ok") in totals and ("4+6 = 10", "ok") in totals
    assert ("14+11 = 25", "sum_mismatch") in totals and ("15+10 = 25", "sum_mismatch") in totals
    assert not any("7.5" in expression for expression, _ in totals)


def test_percentages_splitting_a_whole() -> None:
    headers = ["輕度占比", "中度占比", "重度占比"]
    rounded = table_cells([("分布", ["33.3%", "33.3%", "33.3%"])], headers)
    off = table_cells([("分布", ["40%", "35%", "27%"])], headers)
    unrelated = table_cells([("達成率", ["49%", "27%", "80%"])], ["北區", "中區", "南區"])
    findings = [f for rows in (rounded, off, unrelated) for f in check_document(rows, DOC)]
    splits = [f for f in findings if f["check"] == "percent_split"]
    assert [(f["status"], f["computed"]) for f in splits] == [("ok", 99.9), ("sum_mismatch", 102.0)]


# --- targets ----------------------------------------------------------------------------------


def test_actual_beside_its_target_misses_it() -> None:
    # 進用率71%(目標85%)
    row = metric("71", label="進用率", attributes={"target_value": 85.0, "target_comparator": ">="})
    finding = only(check_document([row], DOC), "target")
    assert finding["status"] == "target_missed" and finding["severity"] == "warning"
    assert finding["reported"] == 71 and finding["computed"] == 85 and finding["difference"] == -14
    assert finding["message"] == "進用率 71% misses its target >= 85%"


def test_claimed_target_met_that_is_missed() -> None:
    row = metric("71", label="進用率", target_met=True,
                 attributes={"target_value": 85.0, "target_comparator": ">="})
    finding = only(check_document([row], DOC), "target")
    assert finding["status"] == "target_missed"
    assert "claimed 達標 but misses its target >= 85%" in finding["message"]


def test_lower_is_better_target() -> None:
    # 再開案率0%(目標低於10%) meets; 12% does not; exactly 10% does not meet "< 10"
    rows = [
        metric(v, label="再開案率", attributes={"target_value": 10.0, "target_comparator": "<"})
        for v in ("0", "12", "10")
    ]
    statuses = [f["status"] for f in check_document(rows, DOC)]
    assert statuses == ["target_met", "target_missed", "target_missed"]


def test_at_least_target_is_inclusive() -> None:
    row = metric("85", label="進用率", target_met=True,
                 attributes={"target_value": 85.0, "target_comparator": ">="})
    assert only(check_document([row], DOC), "target")["status"] == "target_met"


def test_target_from_a_separate_metric_in_the_same_block() -> None:
    actual = metric("98.1", indicator="訪視評估比率", label="訪視評估比率", target_met=True)
    target = metric("95", indicator="訪視評估比率", kind="target", comparator=">=")
    finding = only(check_document([actual, target], DOC), "target")
    assert finding["status"] == "target_met"
    assert finding["metric_ids"] == [actual["metric_id"], target["metric_id"]]


def test_claim_without_a_target_gives_nothing() -> None:
    assert check_document([metric("12.24", label="訪視率", target_met=True)], DOC) == []


def test_finding_ids_are_deterministic_and_unique() -> None:
    rows = text_group("g", "155", ["82", "50", "23"]) + [
        metric("71", label="進用率", numerator=41.0, denominator=58.0,
               attributes={"target_value": 85.0, "target_comparator": ">="})
    ]
    first, second = check_document(rows, DOC), check_document(rows, DOC)
    assert [f["finding_id"] for f in first] == [f["finding_id"] for f in second]
    assert len({f["finding_id"] for f in first}) == len(first) == 3
    assert check_document(rows, "e" * 64)[0]["finding_id"] != first[0]["finding_id"]


def test_json_text_from_the_warehouse() -> None:
    rows = [metric("71", label="進用率", attributes=json.dumps({"target_value": 85.0}))]
    assert only(check_document(rows, DOC), "target")["status"] == "target_missed"
    table_rows = psychiatric_table(["16", "11", "5", "7", "4", "1", "0"])
    for row in table_rows:
        row["calculations"] = json.dumps(row["calculations"], ensure_ascii=False) if row["calculations"] else None
    assert [f["status"] for f in check_document(table_rows, DOC)].count("sum_mismatch") == 1


# --- across documents -------------------------------------------------------------------------


def add_document(con: Any, document_id: str, file_name: str, county: str, title: str,
                 report_date: date, metrics: list[dict[str, Any]]) -> None:
    from deckmine.warehouse.store import METRIC_COLUMNS, insert_rows

    con.execute(
        "INSERT INTO documents (document_id, path, file_name, file_type, page_count, title, county, "
        "report_date, ingested_at) VALUES (?, ?, ?, ?, 1, ?, ?, ?, now())",
        [document_id, f"/decks/{file_name}", file_name, file_name.rsplit(".", 1)[1], title, county, report_date],
    )
    for row in metrics:
        row["document_id"] = document_id
        row["county"] = county
        row["attributes"] = json.dumps(row.get("attributes") or {}, ensure_ascii=False)
    insert_rows(con, "metrics", METRIC_COLUMNS, metrics)


def cross_metric(value_text: str, **fields: Any) -> dict[str, Any]:
    base = {"indicator": "進用率", "label": "進用率", "period_start": date(2023, 1, 1),
            "period_end": date(2023, 3, 31), "period_text": "112年1-3月"}
    base.update(fields)
    return metric(value_text, **base)


def test_cross_document_disagreement(tmp_path: Path) -> None:
    con = connect(tmp_path / "w.duckdb")
    add_document(con, "a" * 64, "taitung-112.pdf", "臺東縣", "成果", date(2023, 4, 19), [cross_metric("71")])
    add_document(con, "b" * 64, "taitung-112.pptx", "臺東縣", "成果", date(2023, 4, 19),
                 [cross_metric("70.7"), cross_metric("55,269", unit="人次", indicator="受益人次")])
    add_document(con, "c" * 64, "taitung-112-q2.pdf", "台東縣", "第二季", date(2023, 7, 1),
                 [cross_metric("75"), cross_metric("55,269", unit="人次", indicator="受益人次")])
    add_document(con, "e" * 64, "taichung.pdf", "臺中市", "計畫", date(2023, 3, 15), [cross_metric("60")])
    assert run_audit(con) == 2
    findings = list_findings(con, status="cross_document")
    # 71 and 70.7 agree (same deck, two formats); 75 disagrees with both; Taichung is another county
    assert sorted(findings["file_name"]) == ["taitung-112-q2.pdf", "taitung-112-q2.pdf"]
    assert set(findings["severity"]) == {"warning"}
    message = findings["message"].iloc[0]
    assert message.startswith("臺東縣 進用率 (112年1-3月, actual): 75% in taitung-112-q2.pdf p.1 but ")
    # re-running replaces, never duplicates
    assert run_audit(con) == 2
    assert con.execute("SELECT count(*) FROM findings").fetchone()[0] == 2


def test_same_deck_in_two_formats_that_disagree_is_said(tmp_path: Path) -> None:
    con = connect(tmp_path / "w.duckdb")
    add_document(con, "a" * 64, "deck.pdf", "臺東縣", "成果", date(2023, 4, 19), [cross_metric("71")])
    add_document(con, "b" * 64, "deck.pptx", "臺東縣", "成果", date(2023, 4, 19), [cross_metric("17")])
    assert run_audit(con) == 1
    assert list_findings(con)["message"].iloc[0].endswith("the same deck in two formats")


def test_several_values_under_one_key_are_compared_by_label(tmp_path: Path) -> None:
    con = connect(tmp_path / "w.duckdb")
    rows_a = [cross_metric("9", unit="人", indicator="受理案件", label="疑似精神個案 受理案件"),
              cross_metric("7", unit="人", indicator="受理案件", label="社區高風險 受理案件")]
    rows_b = [cross_metric("9", unit="人", indicator="受理案件", label="疑似精神個案 受理案件"),
              cross_metric("8", unit="人", indicator="受理案件", label="社區高風險 受理案件")]
    add_document(con, "a" * 64, "one.pdf", "臺東縣", "一", date(2023, 4, 19), rows_a)
    add_document(con, "b" * 64, "two.pdf", "臺東縣", "二", date(2023, 5, 19), rows_b)
    assert run_audit(con) == 1
    assert "社區高風險 受理案件" in list_findings(con)["message"].iloc[0]


def test_different_labels_under_one_head_are_not_compared(tmp_path: Path) -> None:
    """`平均接案服務人次 346.6` and `持續服務人次 3萬3,108` share the head 服務人次 but are different figures."""
    con = connect(tmp_path / "w.duckdb")
    add_document(con, "a" * 64, "one.pdf", "臺東縣", "一", date(2023, 4, 19),
                 [cross_metric("346.6", unit="人次", indicator="服務人次", label="平均接案服務人次")])
    add_document(con, "b" * 64, "two.pdf", "臺東縣", "二", date(2023, 5, 19),
                 [cross_metric("33,108", unit="人次", indicator="服務人次", label="持續服務人次")])
    assert run_audit(con) == 0


def test_list_findings_filters(tmp_path: Path) -> None:
    con = connect(tmp_path / "w.duckdb")
    add_document(con, DOC, "taitung-112.pdf", "臺東縣", "成果", date(2023, 4, 19), [])
    from deckmine.warehouse.store import FINDING_COLUMNS, insert_rows

    rows = text_group("g", "156", ["82", "50", "23"]) + [metric("71", numerator=41.0, denominator=58.0)]
    insert_rows(con, "findings", FINDING_COLUMNS, check_document(rows, DOC))
    assert len(list_findings(con)) == 2
    assert list(list_findings(con)["status"]) == ["sum_mismatch", "ok"]  # worst first
    assert len(list_findings(con, county="台東縣")) == 2
    assert len(list_findings(con, county="臺中市")) == 0
    assert list(list_findings(con, status="ok")["check"]) == ["rate"]
    assert len(list_findings(con, document="taitung-112")) == 2
    assert len(list_findings(con, document=DOC[:8])) == 2
    assert len(list_findings(con, document="other.pdf")) == 0


def test_recheck_recomputes_per_document_findings_from_stored_metrics(tmp_path: Path) -> None:
    con = connect(tmp_path / "w.duckdb")
    rows = text_group("g", "156", ["82", "50", "23"]) + [metric("71", numerator=41.0, denominator=58.0)]
    expected = {(f["finding_id"], f["status"]) for f in check_document(rows, DOC)}
    add_document(con, DOC, "taitung-112.pdf", "臺東縣", "成果", date(2023, 4, 19), rows)
    con.execute("INSERT INTO findings (finding_id, \"check\", status, severity, document_id) "
                "VALUES ('stale', 'rate', 'mismatch', 'error', ?)", [DOC])
    assert run_audit(con, recheck=True) == 0  # no cross-document findings with one deck
    stored = set(con.execute("SELECT finding_id, status FROM findings").fetchall())
    assert stored == expected and len(stored) == 2
