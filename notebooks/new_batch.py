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
# # A new batch of decks: what is new, what changed
#
# Point `$DECKMINE_NEW_BATCH` at a folder of new briefing decks (PDF or PPTX). The notebook loads
# them into a **copy** of the warehouse (`$DECKMINE_DB` is never written to) and lists, indicator
# by indicator, what the batch adds and what it reports differently from what was there.
#
# Without `$DECKMINE_NEW_BATCH` it makes a demonstration batch in a temporary folder: the sample
# deck `hualien-113.pptx` revised with python-pptx, one chart bar and one sentence changed and one
# new sentence added, as a county's corrected resubmission would be.
#
# **Comparison rule**: an indicator is identified by county, indicator head, label, chart category,
# period and kind (actual or target) and unit. A figure of the batch is
# - **new** when the warehouse had nothing under that identity,
# - **changed** when it had the identity but never with this value (the old values are shown),
# - **unchanged** when the same value was already there.
# Old figures of the same county, report date and file type (a PPTX is compared with the PPTX) that
# the batch no longer reports are **dropped**.
# A deck's PDF and PPTX give the same identities, so figures are compared as distinct values and
# nothing is double-counted.

# %%
import os
import re
import shutil
import tempfile
from pathlib import Path

import duckdb
import matplotlib.pyplot as plt
import pandas as pd
from deckmine.pipeline.ingest import ingest
from IPython.display import display
from nbsupport import REPO_ROOT, save_chart, use_cjk_font, warehouse_path, year_label
from pptx import Presentation
from pptx.chart.data import CategoryChartData

DEMO_DECK = REPO_ROOT / "corpus" / "decks" / "hualien-113.pptx"
IDENTITY = ["county", "indicator", "label", "category", "period_start", "period_end", "kind", "unit"]

font = use_cjk_font()
source_db = warehouse_path()
if not source_db.exists():
    raise FileNotFoundError(f"{source_db}: no warehouse (run `deckmine ingest corpus/decks` first)")
workspace = Path(tempfile.mkdtemp(prefix="deckmine-new-batch-"))
print(f"warehouse: {source_db}; workspace: {workspace}; chart font: {font}")

# %% [markdown]
# ## The batch
# The demonstration revision: the first chart bar on slide 3 (社福中心 進用率 88 % → 92 %), the
# overall 進用率 sentence on slide 4 (約89% → 約91%), and a new sentence on 留任率.


# %%
def revise_demo_deck(source: Path, target: Path) -> list[str]:
    """Write a revised copy of `source` to `target`; returns what was changed."""
    deck = Presentation(str(source))
    changes = []
    chart = next(shape.chart for shape in deck.slides[2].shapes if shape.has_chart)
    plot = chart.plots[0]
    series = plot.series[0]
    values = list(series.values)
    data = CategoryChartData(number_format="0%")
    data.categories = list(plot.categories)
    data.add_series(series.name, [0.92, *values[1:]])
    chart.replace_data(data)
    changes.append(f"slide 3 chart: {plot.categories[0]} {values[0]:.0%} -> 92%")
    for shape in deck.slides[3].shapes:
        if not shape.has_text_frame:
            continue
        for paragraph in shape.text_frame.paragraphs:
            for run in paragraph.runs:
                if "整體進用率約" in run.text:
                    before = run.text
                    run.text = re.sub(r"(整體進用率約)\d+", r"\g<1>91", run.text)
                    changes.append(f"slide 4 text: {before} -> {run.text}")
                    added = paragraph.add_run()  # same paragraph style, new sentence
                    added.text = "；113年1-6月社工人員留任率達93%"
                    changes.append(f"slide 4 text added: {added.text}")
    deck.save(str(target))
    return changes


configured_batch = os.environ.get("DECKMINE_NEW_BATCH")
if configured_batch:
    batch_dir = Path(configured_batch)
    if not batch_dir.is_dir():
        raise NotADirectoryError(f"DECKMINE_NEW_BATCH={batch_dir} is not a folder")
else:
    batch_dir = workspace / "batch"
    batch_dir.mkdir()
    for change in revise_demo_deck(DEMO_DECK, batch_dir / DEMO_DECK.name):
        print(change)
print(f"batch: {batch_dir}: {sorted(path.name for path in batch_dir.iterdir())}")

# %% [markdown]
# ## Ingest into a copy of the warehouse

# %%
copy_db = workspace / "warehouse.duckdb"
shutil.copyfile(source_db, copy_db)
summary = ingest([batch_dir], copy_db, jobs=1)
print(f"new {summary.new}, changed {summary.changed}, moved {summary.moved}, "
      f"unchanged {summary.unchanged}, failed {summary.failed}; {summary.metrics_added} metrics")
assert summary.failed == 0, f"some decks of the batch failed: {summary.errors}"

con = duckdb.connect(str(copy_db), read_only=True)
batch_run = con.execute("SELECT max(run_id) FROM ingest_runs").fetchone()[0]
batch_documents = con.execute(
    "SELECT document_id, file_name, file_type, county, report_date FROM documents WHERE run_id = ?",
    [batch_run],
).df()
display(batch_documents)

# %% [markdown]
# ## Compare indicator by indicator

# %%
figures = con.execute("""
    SELECT m.document_id, d.run_id = ? AS in_batch, d.file_name, d.file_type, d.report_date,
           coalesce(m.county, d.county) AS county, m.indicator, m.label,
           json_extract_string(m.attributes, '$.category') AS category,
           m.period_start, m.period_end, m.kind, m.unit, m.year, m.value, m.page, m.snippet
    FROM metrics m JOIN documents d USING (document_id)
    WHERE m.indicator IS NOT NULL AND m.value IS NOT NULL
""", [batch_run]).df()
new_figures = figures[figures["in_batch"]].drop_duplicates(subset=[*IDENTITY, "value"])
old_figures = figures[~figures["in_batch"]].drop_duplicates(subset=[*IDENTITY, "value"])

old_values = old_figures.groupby(IDENTITY, dropna=False)["value"].agg(
    lambda values: sorted(set(values))).rename("old_values")
compared = new_figures.join(old_values, on=IDENTITY)


def classify(row: pd.Series) -> str:
    if not isinstance(row["old_values"], list):
        return "new"
    return "unchanged" if row["value"] in row["old_values"] else "changed"


compared["status"] = compared.apply(classify, axis=1)

same_deck = ["county", "report_date", "file_type"]
same_decks = old_figures.merge(batch_documents[same_deck].drop_duplicates(), on=same_deck)
still_reported = new_figures.set_index(IDENTITY).index
dropped = same_decks[~same_decks.set_index(IDENTITY).index.isin(still_reported)].assign(
    status="dropped")

counts = pd.concat([compared, dropped]).groupby(["county", "status"]).size().unstack(fill_value=0)
display(counts)

# %% [markdown]
# ### New and changed indicators

# %%
columns = ["status", "county", "indicator", "label", "category", "year", "kind", "old_values",
           "value", "unit", "file_name", "page", "snippet"]
news = compared[compared["status"] != "unchanged"].sort_values(["status", "county", "page"])
news = news.assign(year=news["year"].map(year_label, na_action="ignore"))
for row in news.itertuples():
    category = f" · {row.category}" if isinstance(row.category, str) else ""
    before = ", ".join(f"{old:g}" for old in row.old_values) if row.status == "changed" else "—"
    print(f"{row.status}: {row.county} {row.label}{category}: {before} → {row.value:g}{row.unit or ''}"
          f"  ({row.file_name} p.{row.page})")
display(news[columns])

# %% [markdown]
# ### Dropped: reported before for the same county, report date and file type, not in the batch

# %%
display(dropped[["county", "indicator", "label", "category", "kind", "value", "unit", "file_name",
                 "page"]])

# %% [markdown]
# ## Chart: what the batch changed

# %%
order = ["new", "changed", "unchanged", "dropped"]
colours = {"new": "tab:blue", "changed": "tab:orange", "unchanged": "lightgrey",
           "dropped": "tab:red"}
shown = counts.reindex(columns=[status for status in order if status in counts.columns],
                       fill_value=0)
changed = news[news["status"] == "changed"]

figure, (left, right) = plt.subplots(1, 2, figsize=(13, 4.8),
                                     gridspec_kw={"width_ratios": [1, 1.4]})
shown = shown.rename(columns=lambda status: f"{status} ({shown[status].sum()})")
shown.plot.barh(stacked=True, ax=left, color=[colours[status.split()[0]] for status in shown.columns])
left.set_xlabel("指標數 Indicators (distinct figures)")
left.set_ylabel("縣市 County")
left.set_title("新批次與倉儲比較")
left.legend(title="status", fontsize=8)

names = [f"{row.label}{' · ' + row.category if isinstance(row.category, str) else ''}"
         for row in changed.itertuples()]
for position, row in enumerate(changed.itertuples()):
    before = min(row.old_values, key=lambda old, new=row.value: abs(old - new))
    right.annotate("", xy=(row.value, position), xytext=(before, position),
                   arrowprops={"arrowstyle": "->", "color": "tab:orange", "linewidth": 2})
    right.scatter([before], [position], color="grey", zorder=3)
    right.scatter([row.value], [position], color="tab:orange", zorder=3)
    right.annotate(f"{before:g} → {row.value:g}{row.unit or ''}", (row.value, position),
                   textcoords="offset points", xytext=(8, 6), fontsize=9)
if changed.empty:
    right.text(0.5, 0.5, "沒有數值變動 no changed figures", ha="center", transform=right.transAxes)
right.set_yticks(range(len(names)), names)
right.invert_yaxis()
right.set_ylim(len(names) - 0.5, -0.7)
right.margins(x=0.25)
right.set_xlabel("數值 Value (unit as reported)")
right.set_ylabel("指標 Indicator")
right.set_title("數值變動（灰：原值，橘：新值）")
right.grid(axis="x", alpha=0.3)
figure.tight_layout()
print(save_chart(figure, "new_batch"))

# %%
con.close()
shutil.rmtree(workspace)
