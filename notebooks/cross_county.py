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
# # Cross-county comparison: 進用率, 涵蓋率 and the other main rates
#
# How do the counties compare on staffing (進用率) and coverage (涵蓋率), year by year, and how do
# the reported figures stand against the targets the decks state?
#
# **Source**: the warehouse at `$DECKMINE_DB` (default `deckmine.duckdb` at the repository root),
# opened read-only. **Years** are Gregorian with the ROC year beside them: `2023 (112)`.
#
# **Counting rule**: every deck exists as a PDF and as a PPTX. A figure is counted once per deck,
# slide, rate, kind (actual or target) and value, whichever of the two files it was read from
# (`SELECT DISTINCT` over the deck, not the file). The same value on the same slide is taken to be one
# figure shown twice (a sentence and its chart).
#
# **Rate families**: an indicator belongs to a family when its name ends with one of the family's
# words, so 服務涵蓋率 and 村里涵蓋率 are 涵蓋率, and 聘用率 and 到職率 (staff in post over staff
# approved) are counted with 進用率.

# %%
import duckdb
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import display
from matplotlib.lines import Line2D
from nbsupport import DECK_SQL, save_chart, use_cjk_font, warehouse_path, year_label

RATE_FAMILIES: dict[str, tuple[str, ...]] = {
    "進用率": ("進用率", "聘用率", "到職率"),
    "涵蓋率": ("涵蓋率",),
    "訪視率": ("訪視率",),
    "開戶率": ("開戶率",),
    "繳存率": ("繳存率",),
    "達成率": ("達成率",),
    "再通報率": ("再通報率",),
}
MAIN_PAIR = ("進用率", "涵蓋率")

font = use_cjk_font()
db_path = warehouse_path()
con = duckdb.connect(str(db_path), read_only=True)
pd.set_option("display.max_colwidth", 60)
print(f"warehouse: {db_path}; chart font: {font}")

# %% [markdown]
# ## The figures
# Every percentage whose indicator belongs to a rate family, with its county, year, deck and slide.

# %%
percent_figures = con.execute(f"""
    SELECT {DECK_SQL} AS deck, m.county, m.year, m.page, m.indicator, m.label, m.kind,
           m.comparator, m.value, m.snippet, d.file_name
    FROM v_metrics m JOIN documents d USING (document_id)
    WHERE m.unit = '%' AND m.kind IN ('actual', 'target')
      AND m.county IS NOT NULL AND m.year IS NOT NULL AND m.indicator IS NOT NULL
    ORDER BY m.county, m.year, m.page, d.file_type DESC
""").df()


def rate_family(indicator: str) -> str | None:
    for family, endings in RATE_FAMILIES.items():
        if indicator.endswith(endings):
            return family
    return None


percent_figures["rate"] = percent_figures["indicator"].map(rate_family)
figures = (
    percent_figures.dropna(subset=["rate"])
    .drop_duplicates(subset=["deck", "page", "rate", "kind", "value"])
    .assign(year_label=lambda frame: frame["year"].map(year_label))
    .reset_index(drop=True)
)
assert not figures.empty, f"no rate figures in {db_path}: is the warehouse loaded?"
print(f"{len(percent_figures)} percentage rows in rate families and others -> "
      f"{len(figures)} distinct rate figures")
display(
    figures[figures["rate"].isin(MAIN_PAIR)][
        ["county", "year_label", "rate", "kind", "value", "label", "deck", "page"]
    ].sort_values(["rate", "county", "year_label", "kind"])
)

# %% [markdown]
# ## County by year
# Mean of the actual figures of each rate (how many stand behind it in `n`), and the stated target.

# %%
by_county_year = (
    figures.pivot_table(
        index=["county", "year"], columns=["rate", "kind"], values="value",
        aggfunc=["mean", "count"],
    )
    .round(1)
)
main_table = pd.DataFrame(index=by_county_year.index)
for rate in MAIN_PAIR:
    for kind in ("actual", "target"):
        if ("mean", rate, kind) in by_county_year.columns:
            main_table[f"{rate} {kind}"] = by_county_year[("mean", rate, kind)]
            main_table[f"{rate} {kind} n"] = by_county_year[("count", rate, kind)].astype("Int64")
main_table = main_table.dropna(how="all").reset_index()
main_table.insert(1, "年度", main_table.pop("year").map(year_label))
display(main_table)

# %% [markdown]
# ## 進用率 and 涵蓋率 by county and year, actual against target
# Dots are single figures, the line joins a county's yearly means, hollow triangles are the targets
# the decks state. The dashed line is 100 %: coverage above it means more households were served
# than the estimate the rate divides by.

# %%
counties = sorted(figures["county"].unique())
palette = dict(zip(counties, plt.get_cmap("tab10").colors, strict=False))
CLIP_ABOVE = 150.0  # a few coverage rates near 300 % would squash the rest; drawn at the edge


def plot_rate(axis: plt.Axes, rate: str) -> None:
    rate_rows = figures[figures["rate"] == rate]
    years = sorted(rate_rows["year"].unique())
    clip = rate_rows["value"].max() > CLIP_ABOVE
    for county, rows in rate_rows.groupby("county"):
        colour = palette[county]
        actual = rows[rows["kind"] == "actual"]
        target = rows[rows["kind"] == "target"]
        axis.scatter(actual["year"], actual["value"].clip(upper=CLIP_ABOVE), color=colour,
                     alpha=0.4, s=28)
        means = actual.groupby("year")["value"].mean()
        axis.plot(means.index, means.clip(upper=CLIP_ABOVE).values, color=colour, marker="o",
                  linewidth=2)
        for year, value in means[means > CLIP_ABOVE].items():
            axis.annotate(f"{value:.1f}", (year, CLIP_ABOVE), textcoords="offset points",
                          xytext=(-12, -16), color=colour, fontsize=9)
        axis.scatter(target["year"], target["value"], marker="^", s=110, facecolors="none",
                     edgecolors=[colour], linewidths=1.8)
    axis.axhline(100, color="grey", linestyle="--", linewidth=0.8)
    axis.set_xticks(years, [year_label(year) for year in years], rotation=30, ha="right")
    axis.set_xlim(min(years) - 0.6, max(years) + 0.6)
    if clip:
        axis.set_ylim(top=CLIP_ABOVE + 8)
    axis.set_title(f"{rate}（各縣市）" + (f"，高於 {CLIP_ABOVE:.0f}% 畫在上緣" if clip else ""))
    axis.set_xlabel("年度 Year（民國年 ROC year）")
    axis.set_ylabel(f"{rate} (%)")
    axis.grid(axis="y", alpha=0.3)


figure, axes = plt.subplots(1, len(MAIN_PAIR), figsize=(13, 5.4))
for axis, rate in zip(axes, MAIN_PAIR, strict=True):
    plot_rate(axis, rate)
legend = [Line2D([], [], color=palette[county], marker="o", linewidth=2, label=county)
          for county in counties]
legend += [
    Line2D([], [], color="grey", marker="o", linestyle="", alpha=0.4, label="單一數字 one figure"),
    Line2D([], [], color="grey", marker="o", linewidth=2, label="年平均 yearly mean (actual)"),
    Line2D([], [], color="grey", marker="^", markerfacecolor="none", linestyle="", markersize=10,
           label="目標 target"),
]
figure.legend(handles=legend, loc="center right", fontsize=9, frameon=False)
figure.suptitle("強化社會安全網：各縣市進用率與涵蓋率，實際與目標", fontsize=14)
figure.tight_layout(rect=(0, 0, 0.85, 1))
print(save_chart(figure, "cross_county"))

# %% [markdown]
# ## All main rates: county and year at a glance
# Mean actual figure per county and year for every rate family; blank where the decks report none.

# %%
actual_means = (
    figures[figures["kind"] == "actual"]
    .pivot_table(index=["county", "year"], columns="rate", values="value", aggfunc="mean")
    .reindex(columns=[rate for rate in RATE_FAMILIES if rate in set(figures["rate"])])
)
actual_means.index = [f"{county} {year_label(year)}" for county, year in actual_means.index]

figure, axis = plt.subplots(figsize=(1.3 * len(actual_means.columns) + 3, 0.45 * len(actual_means) + 1.5))
shown = np.clip(actual_means.to_numpy(dtype=float), 0, 100)
image = axis.imshow(np.ma.masked_invalid(shown), cmap="YlGn", vmin=0, vmax=100, aspect="auto")
for (row, column), value in np.ndenumerate(actual_means.to_numpy(dtype=float)):
    if not np.isnan(value):
        axis.text(column, row, f"{value:.1f}", ha="center", va="center", fontsize=9,
                  color="white" if value > 60 else "black")
axis.set_xticks(range(len(actual_means.columns)), actual_means.columns)
axis.set_yticks(range(len(actual_means.index)), actual_means.index)
axis.set_xlabel("指標 Rate")
axis.set_ylabel("縣市 年度 County, year (ROC year)")
axis.set_title("各縣市主要比率（實際值平均, %）")
figure.colorbar(image, ax=axis, label="比率 Rate (%)，100 以上同色")
figure.tight_layout()
print(save_chart(figure, "main_rates"))
display(actual_means.round(1))

# %% [markdown]
# ## Actual against target, figure by figure
# The audit pairs a figure with the target stated beside it (`check = 'target'`). Percentages only,
# once per deck and slide.

# %%
target_pairs = con.execute(f"""
    SELECT DISTINCT {DECK_SQL} AS deck, d.county, f.page, m.indicator, m.year,
           f.reported AS actual, f.computed AS target, f.status
    FROM findings f
    JOIN documents d USING (document_id)
    JOIN metrics m ON m.metric_id = f.metric_ids[1]
    WHERE f."check" = 'target' AND m.unit = '%'
    ORDER BY d.county, m.year, f.page
""").df()
target_pairs["year_label"] = target_pairs["year"].map(year_label)
target_pairs["figure"] = (target_pairs["county"] + " " + target_pairs["indicator"]
                          + " " + target_pairs["year_label"])

figure, axis = plt.subplots(figsize=(10, 0.55 * len(target_pairs) + 1.6))
positions = np.arange(len(target_pairs))
met = target_pairs["status"] == "target_met"
axis.hlines(positions, target_pairs["actual"], target_pairs["target"], color="lightgrey", linewidth=3)
axis.scatter(target_pairs["target"], positions, marker="|", s=300, color="black", label="目標 target")
axis.scatter(target_pairs.loc[met, "actual"], positions[met], color="tab:green", s=60, zorder=3,
             label="實際 actual（達標 met）")
axis.scatter(target_pairs.loc[~met, "actual"], positions[~met], color="tab:red", s=60, zorder=3,
             label="實際 actual（未達標 missed）")
axis.set_yticks(positions, target_pairs["figure"])
axis.invert_yaxis()
axis.set_xlabel("比率 Rate (%)")
axis.set_ylabel("縣市 指標 年度 County, indicator, year (ROC year)")
axis.set_title("實際值與目標值（百分比指標）")
axis.grid(axis="x", alpha=0.3)
axis.legend(fontsize=8, loc="lower left")
figure.tight_layout()
print(save_chart(figure, "actual_vs_target"))
with pd.option_context("display.max_rows", None):  # every pair, however many decks are loaded
    display(target_pairs[["county", "year_label", "indicator", "actual", "target", "status", "deck",
                          "page"]])

# %%
con.close()
