"""Rules of slide structure and of prose figures that issue 9 named as classes, each tested on
invented sentences and slides (never a deck's own text): counts named by a rate's formula,
changes between periods, rates per population, listed shares, targets of their own year,
rates whose counts were only found by searching, decks of no one county, one heading per box,
chart number formats, per mille."""

from __future__ import annotations

from deckmine.extractors.model import BBox
from deckmine.patterns.charts import NumberFormat
from deckmine.patterns.mine import Metric, mine_document
from deckmine.patterns.numbers import find_quantities
from deckmine.pipeline.audit import check_document

from tests.mine_helpers import COVER, chart, document, text

DOC = "s" * 64


def mine_lines(*lines: str, title: str = "策略三、心理健康") -> list[Metric]:
    return mine_document(document(COVER, [text(2, *lines)], titles=[None, title])).metrics


def audit(metrics: list[Metric]) -> list[dict]:
    from deckmine.patterns.metric import DeckInfo
    from deckmine.patterns.mine import MinedDeck

    return check_document(MinedDeck(DeckInfo(), metrics).metric_rows(DOC), DOC)


def find(metrics: list[Metric], value_text: str) -> Metric:
    return next(m for m in metrics if m.value_text == value_text)


def test_rate_takes_the_counts_its_formula_names_in_its_sentence() -> None:
    rate = find(mine_lines("輔導員核定12名，實際進用9名，進用率80%"), "80")
    assert (rate.numerator, rate.denominator, rate.counts_from) == (9, 12, "printed")
    assert [f["status"] for f in audit([rate])] == ["mismatch"]  # 9/12 = 75%


def test_a_target_rate_takes_no_counts() -> None:
    metrics = mine_lines("應完成訪視40人，完成30人", "目標：完成率70%")
    assert find(metrics, "70").numerator is None


def test_a_rate_whose_counts_were_only_found_by_searching_is_never_ok() -> None:
    doc = document(COVER, [text(2, "受理320件"), text(2, "結案240件"), text(2, "成效75%")],
                   titles=[None, "策略二"])
    rate = find(mine_document(doc).metrics, "75")
    assert rate.numerator is None and rate.attributes["counts_nearby"] == ["240", "320"]
    statuses = [f["status"] for f in audit(mine_document(doc).metrics)]
    assert statuses == ["not_computable"]


def test_growth_between_two_periods_with_both_counts() -> None:
    metrics = mine_lines("116年1-6月受理通報2,400件，115年同期2,000件，較115年同期增加20.0%")
    growth = find(metrics, "20.0")
    assert (growth.numerator, growth.denominator, growth.counts_from, growth.year) == (2400, 2000, "growth", 2027)
    assert str(growth.period_start) == "2026-01-01"
    assert [f["status"] for f in audit(metrics) if f["check"] == "growth"] == ["ok"]
    wrong = mine_lines("116年完成評估900案，較115年（1,000案）減少12.0%")
    assert [f["status"] for f in audit(wrong) if f["check"] == "growth"] == ["sum_mismatch"]  # -10%


def test_rate_per_population_with_its_printed_fraction() -> None:
    metrics = mine_lines("每萬人口求助12.5件（250件／200,000人）")
    rate = find(metrics, "12.5")
    assert (rate.rate_base, rate.numerator, rate.denominator) == (10000, 250, 200000)
    assert [f["status"] for f in audit(metrics) if f["check"] == "rate"] == ["ok"]


def test_listed_shares_are_checked_only_when_the_list_is_complete() -> None:
    rounded = mine_lines("個案來源：學校41.5%、社區33.2%、其他25.4%")  # 100.1: rounding
    complete = mine_lines("個案來源：學校41.5%、社區33.2%、其他24.0%")
    incomplete = mine_lines("個案來源：學校41.5%、社區33.2%、醫院22.0%")
    assert [f["status"] for f in audit(rounded) if f["check"] == "percent_split"] == ["ok"]
    assert [f["status"] for f in audit(complete) if f["check"] == "percent_split"] == ["sum_mismatch"]
    assert [f["status"] for f in audit(incomplete) if f["check"] == "percent_split"] == ["not_computable"]


def test_a_target_in_the_next_clause_and_a_target_of_another_year() -> None:
    missed = mine_lines("113年追蹤率68.5%，未達113年目標值75%")
    assert [f["status"] for f in audit(missed) if f["check"] == "target"] == ["target_missed"]
    future = mine_lines("追蹤率68.5%，未達116年目標值75%")  # a later year's target is not missed yet
    assert not [f for f in audit(future) if f["check"] == "target"]
    later = mine_lines("已設置據點9處，118年底目標12處")
    assert not [f for f in audit(later) if f["check"] == "target"]
    lower = mine_lines("再通報率2.1%，低於目標值4%")
    assert [f["status"] for f in audit(lower) if f["check"] == "target"] == ["target_met"]


def test_a_deck_of_no_one_county() -> None:
    cover = [text(1, "強化社會安全網計畫各縣市執行情形"), text(1, "報告單位：衛生福利部保護服務司")]
    body = [text(2, "苗栗縣開案率61.2%，雲林縣58.4%"), text(2, "全國開案率55.0%")]
    metrics = mine_document(document(cover, body, titles=[None, "縣市比較"], path="/d/ministry.pptx")).metrics
    assert {m.value_text: m.county for m in metrics} == {"61.2": "苗栗縣", "58.4": "雲林縣", "55.0": None}


def test_each_box_takes_the_heading_above_it_when_a_title_names_two_strategies() -> None:
    left, right = BBox(40, 100, 440, 130), BBox(500, 100, 900, 130)
    blocks = [text(2, "■ 策略一 家庭", bbox=left), text(2, "■ 策略四 網絡", bbox=right),
              text(2, "訪視完成412人次", bbox=BBox(40, 140, 440, 400)),
              text(2, "轉介就業38人", bbox=BBox(500, 140, 900, 400))]
    metrics = mine_document(document(COVER, blocks, titles=[None, "策略一、四：跨域服務"])).metrics
    assert {m.value: m.strategy for m in metrics} == {412: 1, 38: 4}


def test_strategy_numbers_in_formal_numerals_and_ordinal_form() -> None:
    from deckmine.patterns.linking import heading_strategies

    assert heading_strategies("【策略肆】公私協力") == (4,)
    assert heading_strategies("第二項策略：保護") == (2,)
    assert heading_strategies("策略壹與策略參") == (1, 3)


def test_chart_number_formats_follow_the_ooxml_grammar() -> None:
    assert NumberFormat.parse('0"%"').literal_percent and not NumberFormat.parse('0"%"').scales_percent
    assert NumberFormat.parse("0.0%").scales_percent and NumberFormat.parse("0.0%").decimals == 1
    assert NumberFormat.parse('#,##0"件";[Red]-#,##0').suffix == "件"
    assert NumberFormat.parse("0\\%").literal_percent
    blocks = [chart(2, "完成率", ["116年", "117年"], {"目標值": [80, 85], "實際值": [78, 88]}, '0"%"')]
    metrics = mine_document(document(COVER, blocks, titles=[None, "策略一"])).metrics
    assert [(m.value, m.unit, m.kind) for m in metrics] == [
        (80, "%", "target"), (85, "%", "target"), (78, "%", "actual"), (88, "%", "actual")]
    assert [f["status"] for f in audit(metrics) if f["check"] == "target"] == ["target_missed", "target_met"]


def test_per_mille_and_unit_brackets() -> None:
    assert [(q.value, q.unit) for q in find_quantities("千分之2.7，另1.3‰")] == [(2.7, "‰"), (1.3, "‰")]
    assert find_quantities("經費(千元)") == []


def test_a_continued_slide_goes_on_under_the_slide_it_continues() -> None:
    from deckmine.patterns.linking import page_strategies

    titles = ["封面", "心理健康促進", "網絡合作", "心理健康促進（續）"]
    pages = [[], [text(2, "策略三 心理健康")], [text(3, "策略四 網絡")], [text(4, "服務人次1,200人次")]]
    in_force = page_strategies(document(*pages, titles=titles))
    assert [in_force[(n, -1)] for n in (2, 3, 4)] == [(3,), (4,), (3,)]


def test_a_change_against_last_year_and_a_fraction_in_brackets_is_no_list_of_parts() -> None:
    change = mine_lines("受理求助340件，較去年同期（400件）減少20.0%")  # (340-400)/400 = -15%
    assert [f["status"] for f in audit(change) if f["check"] == "growth"] == ["sum_mismatch"]
    per_capita = mine_lines("本縣每十萬人口15.0人（75人／500,000人）")
    assert [f["check"] for f in audit(per_capita)] == ["rate"]  # 75/500,000 × 100,000 = 15.0, no total


def test_hundred_million_before_a_ten_thousand_unit() -> None:
    assert [(q.value, q.unit) for q in find_quantities("經費3億2,100萬元")] == [(32100, "萬元")]


def test_a_chart_with_a_target_series_measures_one_indicator() -> None:
    blocks = [chart(2, "回訪完成率(%)", ["116年", "117年"], {"完成率": [91.0, 87.5], "目標值": [90.0, 90.0]}, "0.0")]
    metrics = mine_document(document(COVER, blocks, titles=[None, "策略三"])).metrics
    assert {m.indicator for m in metrics} == {"回訪完成率"}
    assert [f["status"] for f in audit(metrics) if f["check"] == "target"] == ["target_met", "target_missed"]


def test_a_plan_slide_of_four_strategy_boxes_is_no_outline() -> None:
    boxes = [BBox(40, 80, 440, 250), BBox(500, 80, 900, 250), BBox(40, 280, 440, 450), BBox(500, 280, 900, 450)]
    blocks = [text(2, f"策略{numeral}：重點", f"預計新增{index + 5}處", bbox=box)
              for index, (numeral, box) in enumerate(zip("一二三四", boxes, strict=True))]
    metrics = mine_document(document(COVER, blocks, titles=[None, "明年重點規劃"])).metrics
    assert {m.value: m.strategy for m in metrics} == {5: 1, 6: 2, 7: 3, 8: 4}


def test_a_disagreement_read_by_low_confidence_ocr_is_a_possible_misread() -> None:
    block = text(2, "結案率80%(30/40)")  # 30/40 = 75%: a mismatch as printed
    block.flags += ["ocr", "ocr_confidence=0.61", "ocr_low_confidence"]
    metrics = mine_document(document(COVER, [block], titles=[None, "策略一"])).metrics
    assert [m.ocr_confidence for m in metrics] == [0.61]
    finding = audit(metrics)[0]
    assert (finding["status"], finding["severity"]) == ("possible_misread", "warning")
    assert finding["message"].startswith("possible OCR misread (confidence 0.61)")
    sure = text(2, "結案率80%(30/40)")
    sure.flags += ["ocr", "ocr_confidence=0.97"]
    assert audit(mine_document(document(COVER, [sure], titles=[None, "策略一"])).metrics)[0]["status"] == "mismatch"


def test_a_runaway_text_box_is_mined_in_pieces() -> None:
    lines = ["社區據點服務說明文字，無數據。"] * 90_000 + ["年度服務人次共計1,234人次"]
    metrics = mine_document(document(COVER, [text(2, *lines)], titles=[None, "策略一"])).metrics
    assert [(m.value, m.unit) for m in metrics] == [(1234, "人次")]
