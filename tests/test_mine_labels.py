"""Label cleaning: the names analysts read, without date residue or the words leading to a number."""

from __future__ import annotations

import pytest
from deckmine.patterns.labels import clean_label, label_start

from tests.test_mine_text import find, mine_lines


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("推廣至少", "推廣"),
        ("完成率達", "完成率"),
        ("受訓人數計", "受訓人數"),
        ("共", ""),
        ("• 年增聘", "增聘"),
        ("再增設", "增設"),
        ("月底安置兒少", "安置兒少"),
        ("平均每案訪視逾", "平均每案訪視"),
        ("再開案率", "再開案率"),  # a name that starts like residue
        ("年長者關懷訪視", "年長者關懷訪視"),
        ("服務 人次：", "服務人次"),
    ],
)
def test_clean_label(raw: str, clean: str) -> None:
    assert clean_label(raw) == clean


def test_label_start_keeps_an_age_or_time_span_that_is_part_of_the_name() -> None:
    text = "65歲以上獨居長者"
    assert label_start(text, 2) == 0
    assert label_start("辦理4場宣導", 2) == 2  # a count before the name is not part of it


def test_labels_of_mined_figures() -> None:
    metrics = mine_lines(
        "114年宣導至少6,500人次",
        "另辦理親職講座，共計420案次",
        "113年再增聘2員",
        "12歲以下兒少接受家外安置比率為41%",
        "家暴案件48小時內訪視率97%",
    )
    assert find(metrics, "6,500").label == "宣導"
    assert find(metrics, "420").label is None
    assert find(metrics, "2").label == "增聘"
    assert find(metrics, "41").label == "12歲以下兒少接受家外安置比率"
    assert find(metrics, "97").label == "家暴案件48小時內訪視率"
