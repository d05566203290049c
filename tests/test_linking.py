"""Linking: deck county, report date, strategy state across slides, year fallbacks."""

from __future__ import annotations

from datetime import date

from deckmine.patterns.linking import deck_info, page_strategies
from deckmine.patterns.mine import mine_document

from tests.mine_helpers import document, text


def test_county_from_cover_not_township_and_report_date() -> None:
    cover = [text(1, "台東市公所協辦"), text(1, "報告單位：臺東縣政府社會處"), text(1, "報告日期：112年3月15日")]
    info = deck_info(document(cover))
    assert (info.county, info.report_date, info.report_roc_year) == ("臺東縣", date(2023, 3, 15), 112)


def test_county_from_file_name_as_last_resort() -> None:
    info = deck_info(document([text(1, "社會安全網成果")], path="/decks/penghu-111.pptx"))
    assert info.county == "澎湖縣"


def test_strategy_state_carries_resets_and_splits() -> None:
    titles = ["簡報", "報告大綱", "策略一、擴增家庭服務資源", "促進就業服務", "優化保護服務輸送 提升風險控管",
              "人力進用概況", "策略一二：人力", "亮點分享", "感謝聆聽"]
    pages = [[] for _ in titles]
    pages[1] = [text(2, "壹、人力進用概況", "貳、各策略執行成果")]
    doc = document(*pages, titles=titles)
    in_force = page_strategies(doc)
    by_page = [in_force[(n, -1)] for n in range(1, len(titles) + 1)]
    assert by_page == [(), (), (1,), (1,), (2,), (), (1, 2), (), ()]


def test_two_strategy_heading_picks_by_topic_and_year_falls_back() -> None:
    cover = [text(1, "花蓮縣政府"), text(1, "113年8月20日")]
    page = [text(2, "保護服務"), text(2, "進用率85%"), text(2, "社福中心進用率90%")]
    metrics = mine_document(document(cover, page, titles=[None, "策略一二：人力進用"])).metrics
    strategies = {m.value: m.strategy for m in metrics}
    assert strategies == {85: 2, 90: 1}
    assert all(m.year == 2024 and m.county == "花蓮縣" for m in metrics)
    assert all(m.attributes["strategies"] == [1, 2] for m in metrics)
