"""Turn a :class:`~benchmarks._harness.SuiteResult` into a table, JSON, Markdown, SVG.

Every format shows the same numbers: per case, each contender's median over the
rounds (min..max beside it), its version, and the ratio ``ours / peer`` against the
peer's baseline. The SVG is written by hand (grouped bars per case) so the harness
needs no plotting library.
"""

from __future__ import annotations

import json
import math
from html import escape
from pathlib import Path
from typing import Any

from benchmarks._harness import CaseResult, Contender, SuiteResult

OURS_COLOURS = ("#e03131", "#f08c00", "#c2255c", "#fab005")
PEER_COLOURS = (
    "#1c7ed6",
    "#2f9e44",
    "#7048e8",
    "#0c8599",
    "#868e96",
    "#ae3ec9",
    "#5c940d",
    "#364fc7",
)


def fmt(value: float | None) -> str:
    """A number for humans: thousands separators for big ones, 3 digits for small."""
    if value is None:
        return "-"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 1:
        return f"{value:.2f}"
    return f"{value:.3g}"


def direction(result: SuiteResult) -> str:
    """``"higher is better"`` or ``"lower is better"``."""
    return "higher is better" if result.suite.higher_is_better else "lower is better"


def _ratio_text(result: SuiteResult, case: str, contender: Contender) -> str:
    base = result.baseline_of(contender)
    if base is None:
        return "(ours)" if contender.is_ours else "-"
    ratio = result.ratio(case, contender)
    if ratio is None:
        return "-"
    return f"{ratio:.2f}x vs {base.name}"


def _extra_keys(result: SuiteResult) -> list[str]:
    keys: list[str] = []
    for per_case in result.results.values():
        for cell in per_case.values():
            for key in cell.extras:
                if key not in keys:
                    keys.append(key)
    return keys


def _row(
    result: SuiteResult, case: str, contender: Contender, keys: list[str]
) -> list[str]:
    cell: CaseResult = result.results[case][contender.name]
    version = result.versions.get(contender.name, "-")
    if cell.median is None:
        return [contender.name, version, cell.status, "", "", *("" for _ in keys)]
    extras = cell.extra_medians()
    return [
        contender.name,
        version,
        fmt(cell.median),
        f"{fmt(min(cell.values))}..{fmt(max(cell.values))}"
        + (f", {cell.failed_rounds} failed" if cell.failed_rounds else ""),
        _ratio_text(result, case, contender),
        *(fmt(extras.get(key)) for key in keys),
    ]


def _headers(result: SuiteResult, keys: list[str]) -> list[str]:
    return [
        "contender",
        "version",
        f"median {result.suite.unit}",
        "min..max",
        "ours / peer",
        *keys,
    ]


def _machine_line(result: SuiteResult) -> str:
    m = result.machine
    return (
        f"{m.get('cpu', '?')}, {m.get('cores', '?')} cores "
        f"({m.get('usable_cores', '?')} usable), {m.get('memory', '?')}, "
        f"{m.get('os', '?')}, {m.get('python', '?')}"
    )


def text_table(result: SuiteResult) -> str:
    """The plain-text report printed at the end of a run."""
    keys = _extra_keys(result)
    headers = _headers(result, keys)
    lines = [
        f"{result.suite.name}: {result.suite.unit}, {direction(result)}; "
        f"median of {result.rounds} round(s){' (quick)' if result.quick else ''}",
        f"machine: {_machine_line(result)}",
    ]
    for case in result.cases:
        rows = [headers] + [_row(result, case.name, c, keys) for c in result.contenders]
        # failure rows span the numeric columns: they do not size them
        sized = [r for r in rows if not (r[3] == "" and r[2].startswith("n/a"))]
        widths = [
            max(len(r[i]) for r in (rows if i < 2 else sized))
            for i in range(len(headers))
        ]
        lines.append("")
        title = case.name + (f": {case.description}" if case.description else "")
        lines.append(title)
        for row in rows:
            if row[3] == "" and row[2].startswith("n/a"):
                # a failure spans the numeric columns
                lines.append(
                    f"  {row[0]:<{widths[0]}}  {row[1]:<{widths[1]}}  {row[2]}"
                )
                continue
            cells = [f"{v:<{widths[i]}}" for i, v in enumerate(row)]
            lines.append("  " + "  ".join(cells).rstrip())
    return "\n".join(lines)


def markdown(result: SuiteResult) -> str:
    """The Markdown page committed as ``docs/benchmarks/<suite>.md``."""
    suite = result.suite
    keys = _extra_keys(result)
    headers = _headers(result, keys)
    out = [
        f"# Benchmark: {suite.name}",
        "",
        suite.description,
        "",
        f"Unit: **{suite.unit}** ({direction(result)}). Each number is the median of "
        f"{result.rounds} round(s); contenders ran alternately within each round. "
        "`ours / peer` is the baseline's median divided by the peer's"
        + (
            " (above 1: aio is ahead)."
            if suite.higher_is_better
            else " (below 1: aio is ahead)."
        ),
        "",
        f"Machine: {_machine_line(result)}. Run started {result.started}, "
        f"took {result.seconds:.0f} s; load average at start "
        f"{result.machine.get('loadavg_at_start', '?')}, at end "
        f"{result.machine.get('loadavg_at_end', '?')} (other work on the machine "
        "widens the min..max spread).",
        "",
        f"![{suite.name} chart]({suite.name}.svg)",
    ]
    for case in result.cases:
        out += ["", f"## {case.name}", ""]
        if case.description:
            out += [case.description, ""]
        out.append("| " + " | ".join(headers) + " |")
        out.append("|" + "|".join("---" for _ in headers) + "|")
        for contender in result.contenders:
            row = _row(result, case.name, contender, keys)
            row[0] = f"**{row[0]}**" if contender.is_ours else row[0]
            out.append("| " + " | ".join(c.replace("|", "/") for c in row) + " |")
    out += ["", "## Versions", ""]
    out += [f"- {name}: {version}" for name, version in result.versions.items()]
    return "\n".join(out) + "\n"


def _cell_json(result: SuiteResult, case: str, contender: Contender) -> dict[str, Any]:
    cell = result.results[case][contender.name]
    base = result.baseline_of(contender)
    return {
        "status": cell.status,
        "median": cell.median,
        "min": min(cell.values) if cell.values else None,
        "max": max(cell.values) if cell.values else None,
        "values": cell.values,
        "failed_rounds": cell.failed_rounds,
        "last_failure": cell.failure,
        "extras": cell.extra_medians(),
        "extras_values": cell.extras,
        "baseline": base.name if base is not None else None,
        "ratio": result.ratio(case, contender),
    }


def to_json(result: SuiteResult) -> dict[str, Any]:
    """Everything in the run, as plain data (``docs/benchmarks/<suite>.json``)."""
    suite = result.suite
    return {
        "suite": suite.name,
        "unit": suite.unit,
        "higher_is_better": suite.higher_is_better,
        "description": suite.description,
        "rounds": result.rounds,
        "quick": result.quick,
        "started": result.started,
        "seconds": round(result.seconds, 3),
        "machine": result.machine,
        "versions": result.versions,
        "contenders": [
            {
                "name": c.name,
                "is_ours": c.is_ours,
                "group": c.group,
                "version": result.versions.get(c.name, "-"),
            }
            for c in result.contenders
        ],
        "cases": [
            {"name": c.name, "description": c.description, "params": dict(c.params)}
            for c in result.cases
        ],
        "results": {
            case.name: {
                c.name: _cell_json(result, case.name, c) for c in result.contenders
            }
            for case in result.cases
        },
    }


def _nice_ceiling(value: float) -> float:
    """The smallest round number (1, 1.2, 1.5, 2, 2.5, ... x 10^k) >= ``value``."""
    if value <= 0:
        return 1.0
    exponent = math.floor(math.log10(value))
    for step in (1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0):
        candidate = step * math.pow(10, exponent)
        if candidate >= value:
            return candidate
    return math.pow(10, exponent + 1)


def _colours(contenders: list[Contender]) -> dict[str, str]:
    colours: dict[str, str] = {}
    ours = peers = 0
    for c in contenders:
        if c.is_ours:
            colours[c.name] = OURS_COLOURS[ours % len(OURS_COLOURS)]
            ours += 1
        else:
            colours[c.name] = PEER_COLOURS[peers % len(PEER_COLOURS)]
            peers += 1
    return colours


def svg(result: SuiteResult) -> str:
    """A grouped bar chart: one group per case, one bar per contender (medians)."""
    contenders = result.contenders
    colours = _colours(contenders)
    bar, gap, group_pad = 22, 4, 40
    left, right, top, bottom = 80, 20, 76, 40
    plot_h = 300
    group_w = len(contenders) * (bar + gap) - gap
    plot_w = max(len(result.cases) * (group_w + group_pad) + group_pad, 680)
    labels = [f"{c.name} {result.versions.get(c.name, '-')}" for c in contenders]
    # ~6.5 px per character at 11 px sans-serif, plus the swatch
    column_w = max((len(label) for label in labels), default=10) * 6.5 + 28
    columns = max(1, int(plot_w // column_w))
    legend_rows = math.ceil(len(contenders) / columns)
    width = left + plot_w + right
    height = top + plot_h + bottom + legend_rows * 20 + 10
    tops = [
        max(cell.values)
        for per_case in result.results.values()
        for cell in per_case.values()
        if cell.values
    ]
    # headroom above the tallest whisker for its (vertical) value label
    y_max = _nice_ceiling(max(tops, default=1.0) * 1.2)

    def y_of(v: float) -> float:
        return top + plot_h - (v / y_max) * plot_h

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="11">',
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
        f'<text x="{left}" y="22" font-size="15" font-weight="bold">'
        f"{escape(result.suite.name)}: {escape(result.suite.unit)} "
        f"({direction(result)})</text>",
        f'<text x="{left}" y="40" fill="#555">median of {result.rounds} round(s) '
        f"(whiskers: min..max), contenders alternating; run {escape(result.started)}</text>",
        f'<text x="{left}" y="56" fill="#555">{escape(_machine_line(result))}</text>',
    ]
    for i in range(6):  # y axis grid and labels
        v = y_max * i / 5
        y = y_of(v)
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" '
            f'stroke="#e9ecef"/>'
        )
        parts.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{fmt(v)}</text>'
        )
    parts.append(
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" '
        f'y2="{top + plot_h}" stroke="#343a40"/>'
    )
    for gi, case in enumerate(result.cases):
        # each case gets an equal slot of the plot; its bars are centred in it
        slot = plot_w / len(result.cases)
        x0 = round(left + gi * slot + (slot - group_w) / 2)
        for ci, contender in enumerate(contenders):
            x = x0 + ci * (bar + gap)
            cell = result.results[case.name][contender.name]
            label_x = x + bar / 2 + 3
            if cell.median is None:
                base = top + plot_h - 4
                parts.append(
                    f'<text x="{label_x:.1f}" y="{base}" fill="#868e96" '
                    f'transform="rotate(-90 {label_x:.1f} {base})">n/a</text>'
                )
                continue
            y = y_of(cell.median)
            parts.append(
                f'<rect x="{x}" y="{y:.1f}" width="{bar}" '
                f'height="{top + plot_h - y:.1f}" fill="{colours[contender.name]}">'
                f"<title>{escape(contender.name)}: {fmt(cell.median)} "
                f"{escape(result.suite.unit)}</title></rect>"
            )
            # whisker: the spread of the rounds (min..max) over the median bar
            lo, hi = y_of(min(cell.values)), y_of(max(cell.values))
            mid = x + bar / 2
            parts.append(
                f'<path d="M{mid:.1f} {lo:.1f}V{hi:.1f}M{mid - 4:.1f} {lo:.1f}'
                f'h8M{mid - 4:.1f} {hi:.1f}h8" stroke="#212529" stroke-width="1"/>'
            )
            y = min(y, hi)
            parts.append(
                f'<text x="{label_x:.1f}" y="{y - 4:.1f}" font-size="10" '
                f'transform="rotate(-90 {label_x:.1f} {y - 4:.1f})">'
                f"{fmt(cell.median)}</text>"
            )
        parts.append(
            f'<text x="{x0 + group_w / 2:.1f}" y="{top + plot_h + 18}" '
            f'text-anchor="middle" font-weight="bold">{escape(case.name)}</text>'
        )
    legend_y = top + plot_h + bottom
    for i, (contender, label) in enumerate(zip(contenders, labels, strict=True)):
        lx = left + (i % columns) * column_w
        ly = legend_y + (i // columns) * 20
        weight = ' font-weight="bold"' if contender.is_ours else ""
        parts.append(
            f'<rect x="{lx:.1f}" y="{ly - 9}" width="12" height="12" '
            f'fill="{colours[contender.name]}"/>'
        )
        parts.append(
            f'<text x="{lx + 16:.1f}" y="{ly + 1}"{weight}>{escape(label)}</text>'
        )
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def write_all(result: SuiteResult, directory: Path) -> list[Path]:
    """Write ``<suite>.json``, ``<suite>.md`` and ``<suite>.svg`` into ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    stem = directory / result.suite.name
    paths = [
        stem.with_suffix(".json"),
        stem.with_suffix(".md"),
        stem.with_suffix(".svg"),
    ]
    paths[0].write_text(json.dumps(to_json(result), indent=2) + "\n")
    paths[1].write_text(markdown(result))
    paths[2].write_text(svg(result))
    return paths
