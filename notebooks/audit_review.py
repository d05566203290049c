# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#   kernelspec:
#     display_name: Python 3 (deckmine)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Audit review: where the decks disagree with themselves
#
# The audit recomputes every figure it can: rates against their counts, totals against their
# parts, figures against their stated targets, and the same figure across decks. This notebook
# answers: how many findings of each status, in which counties and from which checks, and which
# are the worst gaps, with the sentence they came from and where to find it (file and page).
#
# **Source**: the warehouse at `$DECKMINE_DB` (default `deckmine.duckdb` at the repository root),
# read-only. Cross-deck findings are as fresh as the last `deckmine audit` (the runner runs it).
#
# **Counting rule**: every deck exists as a PDF and as a PPTX, two renditions of one briefing.
# `list_findings` lists the findings of one rendition per briefing (the PPTX: `v_findings`), and a
# finding's page link opens the briefing's PDF rendition (`v_briefings.pdf_document_id`). Findings
# of one deck with the same check, status, page, reported and computed values are counted once.

# %%
from collections.abc import Callable
from pathlib import Path

import duckdb
import matplotlib.pyplot as plt
import pandas as pd
from deckmine.pipeline.audit import SEVERITY, STATUS_ORDER
from deckmine.pipeline.audit_store import list_findings
from IPython.display import Markdown, display
from nbsupport import save_chart, use_cjk_font, warehouse_path

STATUS_COLOURS = {
    "mismatch": "#b2182b", "sum_mismatch": "#d6604d", "reversed": "#f4a582",
    "target_missed": "#fdae61", "cross_document": "#fee090", "ok_truncated": "#d9f0d3",
    "not_computable": "#dddddd", "target_met": "#a6dba0", "ok": "#5aae61",
}
PROBLEMS = [status for status in STATUS_ORDER if SEVERITY[status] != "info"]
WORST_COUNT = 10

font = use_cjk_font()
db_path = warehouse_path()
con = duckdb.connect(str(db_path), read_only=True)
pd.set_option("display.max_colwidth", 80)
print(f"warehouse: {db_path}; chart font: {font}")

# %% [markdown]
# ## One row per finding and deck

# %%
raw = list_findings(con)  # one rendition per briefing: the PPTX of a deck loaded as PPTX and PDF
pdfs = con.execute(
    "SELECT r.document_id, p.path AS pdf_path FROM v_renditions r "
    "JOIN v_briefings b USING (briefing_id) JOIN documents p ON p.document_id = b.pdf_document_id"
).df()
raw = raw.merge(pdfs, on="document_id", how="left")
raw["deck"] = raw["file_name"].str.lower().str.replace(r"\.(pdf|pptx?)$", "", regex=True)
same_problem = ["deck", "check", "status", "page", "reported_key", "computed_key"]
raw["reported_key"] = raw["reported"].round(6)
raw["computed_key"] = raw["computed"].round(6)
findings = (
    raw.groupby(same_problem, dropna=False, sort=False)
    .agg(
        county=("county", "first"), severity=("severity", "first"), message=("message", "first"),
        reported=("reported", "first"), computed=("computed", "first"),
        difference=("difference", "first"), snippet=("snippet", "first"),
        files=("file_name", lambda names: sorted(set(names))),
    )
    .reset_index()
    .drop(columns=["reported_key", "computed_key"])
)
pdf_of_deck = raw.dropna(subset=["pdf_path"]).groupby("deck")["pdf_path"].first()  # page links
assert not findings.empty, f"no findings in {db_path}: is the warehouse loaded?"
print(f"{len(raw)} findings in the warehouse -> {len(findings)} once per deck")

# %% [markdown]
# ## By status

# %%
statuses = [status for status in STATUS_ORDER if status in set(findings["status"])]
by_status = (
    findings.groupby("status").size().reindex(statuses).rename("findings").to_frame()
    .assign(severity=lambda frame: frame.index.map(SEVERITY))
)
display(by_status)

# %% [markdown]
# ## By county and status

# %%
by_county = findings.pivot_table(index="county", columns="status", values="deck",
                                 aggfunc="count", fill_value=0).reindex(columns=statuses,
                                                                        fill_value=0)
by_county["problems"] = by_county[[s for s in PROBLEMS if s in by_county]].sum(axis=1)
by_county = by_county.sort_values("problems", ascending=False)

def stacked_bars(counts: pd.DataFrame, ylabel: str, title: str, name: str, legend_title: str,
                 label: Callable[[str], str]) -> None:
    """One horizontal bar per row of `counts`, stacked by status in `statuses` order; saved as `name`."""
    figure, axis = plt.subplots(figsize=(10, 0.6 * len(counts) + 1.8))
    left = pd.Series(0, index=counts.index)
    for status in statuses:
        axis.barh(counts.index, counts[status], left=left, color=STATUS_COLOURS.get(status, "grey"),
                  edgecolor="white", label=label(status))
        left += counts[status]
    axis.invert_yaxis()
    axis.set_xlabel("稽核結果數 Findings (once per deck)")
    axis.set_ylabel(ylabel)
    axis.set_title(title)
    axis.legend(fontsize=8, loc="center left", bbox_to_anchor=(1.01, 0.5), title=legend_title)
    axis.grid(axis="x", alpha=0.3)
    figure.tight_layout()
    print(save_chart(figure, name))


stacked_bars(by_county, "縣市 County", "各縣市稽核結果（依狀態）", "audit_by_county", "status (severity)",
             lambda status: f"{status} ({SEVERITY[status]})")
display(by_county)

# %% [markdown]
# ## By check and status

# %%
by_check = findings.pivot_table(index="check", columns="status", values="deck", aggfunc="count",
                                fill_value=0).reindex(columns=statuses, fill_value=0)

stacked_bars(by_check, "檢查 Check", "各項檢查的結果（依狀態）", "audit_by_check", "status",
             lambda status: status)
display(by_check)

# %% [markdown]
# ## The worst gaps
# Errors and warnings, largest relative gap first: |reported − computed| / |computed|, so a gap of
# 14 people against a target of 400 ranks below 14 points against a target of 85 %. Each with its
# snippet and where to look: the files and page (a link opens the PDF at that page).

# %%
problems = findings[findings["severity"] != "info"].copy()
problems["gap"] = (problems["reported"] - problems["computed"]).abs()
problems["relative_gap"] = problems["gap"] / problems["computed"].abs()
worst = problems.sort_values(["relative_gap", "gap"], ascending=False, na_position="last")
worst = worst.head(WORST_COUNT).reset_index(drop=True)
worst["where"] = worst.apply(lambda row: f"{' / '.join(row['files'])} p.{row['page']}", axis=1)


def page_link(row: dict) -> str:
    """The reference, linked to the deck's PDF at that page when the warehouse has the PDF."""
    pdf = pdf_of_deck.get(row["deck"])
    if isinstance(pdf, str) and pd.notna(row["page"]):
        return f"[{row['where']}]({Path(pdf).resolve().as_uri()}#page={int(row['page'])})"
    return row["where"]


lines = [
    f"{rank}. **{row['county']}** {row['check']} · {row['status']} — {row['message']}  \n"
    f"   「{row['snippet']}」 — {page_link(row)}"
    for rank, row in enumerate(worst.to_dict("records"), start=1)
]
display(Markdown("\n".join(lines) if lines else "No errors or warnings."))
display(worst[["county", "check", "status", "reported", "computed", "relative_gap", "snippet",
               "where"]])

# %%
con.close()
