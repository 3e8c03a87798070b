"""The timeline chart as a declarative Vega-Lite spec (built with Altair), rendered offline by vl-convert.

One mark per event row, on a UTC date axis, occurrences and statements in separate
lanes. Each ``date_precision`` has its own shape, so nothing uncertain looks like a
point (see PRECISION_SHAPES, which the README and the page's key repeat):

- day: a solid bar exactly one day wide (00:00 to 24:00 of that day);
- overnight: a solid bar from 18:00 of date_start to 06:00 of date_end, straddling midnight;
- range: a pale bar over every day the source allows, dashed outline;
- week: as range, dash-dot outline;
- month: as range, dotted outline, palest fill;
- approximate-start: as month, long-dashed top and bottom and a solid end, but no edge at
  the start, which is only about date_start (EDTF ~);
- on-or-before: no start at all: a fill that fades in from the chart's left edge and
  ends in a solid bracket at the upper bound (the day after date_end, 00:00).

``claim_status`` is the colour; each mark's label repeats it in words with the
dating words. A statement's ``about_event_id`` is a thin vertical link from the
statement to its event's row (faint in the picture; the page brightens it on
hover, focus or click). Every mark carries an ARIA description beginning with its
event_id, which the page's script and the browser tests use to find it.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import altair as alt
import vl_convert

from ..package.dates import date_label
from ..package.tables import PackageTables, Row

VL_VERSION = "6.4"  # pinned: vl-convert bundles several Vega-Lite versions; the picture must not drift
WIDTH = 760
ROW_HEIGHT = 26
FOCUS_DAYS = 5  # the last days, at full pace; earlier days are compressed
COMPRESSED_SHARE = 0.22
LANE_GAP = 1.2  # empty rows between the two lanes
STATUS_COLOURS = {"reported": "#4c78a8", "claimed": "#e8871a", "denied": "#c0392b", "confirmed": "#2e8b57"}
PRECISION_SHAPES = {
    "day": "solid bar, exactly one day wide",
    "overnight": "solid bar from 18:00 to 06:00 the next morning, straddling midnight",
    "range": "pale bar over every possible day, dashed outline",
    "week": "pale bar over the week, dash-dot outline",
    "month": "palest bar over the month's possible days, dotted outline",
    "approximate-start": "palest bar from the approximate start to the last day reported, long-dashed top and "
    "bottom, a solid end and no edge at the start",
    "on-or-before": "no start: a fill fading in from the left edge, ending in a solid bracket at the upper bound",
}
DASHES = {"range": [6, 3], "week": [8, 3, 2, 3], "month": [2, 2], "approximate-start": [12, 4]}
FILL_OPACITY = {"day": 0.9, "overnight": 0.9, "range": 0.28, "week": 0.28, "month": 0.16, "approximate-start": 0.16}
OPEN_START_EDGES = ("approximate-start",)  # drawn without a left edge: where it starts is not known exactly
LANES = (("occurrence", "Occurrences (what happened)"), ("statement", "Statements (what someone said)"))


def _stamp(day: str, hours: int = 0) -> str:
    """ISO instant in UTC for DAY plus HOURS (the chart's scale is UTC: no local time zone)."""
    moment = dt.datetime.fromisoformat(day) + dt.timedelta(hours=hours)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _span(row: Row, left_edge: str) -> tuple[str, str]:
    precision, start, end = row["date_precision"], row["date_start"], row["date_end"]
    if precision == "overnight":
        return _stamp(start, 18), _stamp(end, 6)
    if precision == "on-or-before":
        return left_edge, _stamp(end, 24)
    return _stamp(start), _stamp(end, 24)


def _link_x(event: Row, start: str, end: str) -> str:
    """Where a statement's link leaves its bar: the middle, or the only bound an open interval has."""
    if event["date_precision"] == "on-or-before":
        return end
    first, last = (dt.datetime.fromisoformat(t.rstrip("Z")) for t in (start, end))
    return (first + (last - first) / 2).strftime("%Y-%m-%dT%H:%M:%SZ")


def chart_rows(tables: PackageTables) -> tuple[list[Row], tuple[str, str], list[tuple[str, float, float]]]:
    """One plotted row per event, the x domain, and the lanes (title, first slot, last slot)."""
    events = tables.tables["events"].rows
    dates = [d for e in events for d in (e["date_start"], e["date_end"]) if d]
    first, last = min(dates), max(dates)
    left_edge = _stamp((dt.date.fromisoformat(first) - dt.timedelta(days=2)).isoformat())
    right_edge = _stamp((dt.date.fromisoformat(last) + dt.timedelta(days=1)).isoformat())
    rows: list[Row] = []
    lanes = []
    slot = 0.0
    for kind, title in LANES:
        members = sorted(
            (e for e in events if e["kind"] == kind),
            key=lambda e: (e["date_start"] or "", e["date_end"], e["event_id"]),
        )
        if not members:
            continue
        lanes.append((title, slot, slot + len(members) - 1))
        for event in members:
            start, end = _span(event, left_edge)
            rows.append(
                {
                    "event_id": event["event_id"],
                    "kind": kind,
                    "slot": slot,
                    "x": start,
                    "x2": end,
                    "link_x": _link_x(event, start, end),
                    "date_precision": event["date_precision"],
                    "claim_status": event["claim_status"],
                    "about_event_id": event.get("about_event_id") or "",
                    "label": f"{event['event_id']} · {event['claim_status']} · {date_label(event)}"
                    + (f" (“{event.get('date_text')}”)" if event.get("date_text") else ""),
                    "description": (
                        f"{event['event_id']}: {event['kind']}, {event['claim_status']}, "
                        f"{event['date_precision']} ({date_label(event)}): {event['summary']}"
                    ),
                }
            )
            slot += 1
        slot += LANE_GAP
    by_id = {r["event_id"]: r for r in rows}
    for row in rows:
        row["about_slot"] = by_id[row["about_event_id"]]["slot"] if row["about_event_id"] in by_id else None
    return rows, (left_edge, right_edge), lanes


def _ms(stamp: str) -> int:
    return int(dt.datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp() * 1000)


def _iso(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def x_scale(left: str, right: str) -> tuple[alt.Scale, list[int], list[str], str | None]:
    """A UTC scale, its labelled ticks (noon: a label names the day it sits in), the
    midnight lines between days, and where the scale changes pace (None: it does not).

    When the rows span more than FOCUS_DAYS, the days before the last FOCUS_DAYS get
    COMPRESSED_SHARE of the width (one label a week), so the days most rows fall in stay
    readable; the chart marks the change with a labelled dashed line.
    """
    first, last = (dt.datetime.fromisoformat(t.rstrip("Z")) for t in (left, right))
    focus = last - dt.timedelta(days=FOCUS_DAYS)
    noon = dt.timedelta(hours=12)
    if focus - first <= dt.timedelta(days=3):
        days = [first + dt.timedelta(days=n) for n in range((last - first).days)]
        scale = alt.Scale(type="utc", domain=[_ms(left), _ms(right)])
        return scale, [_ms(_iso(d + noon)) for d in days], [_iso(d) for d in days[1:]], None
    weekly = [focus - dt.timedelta(days=7 * n) for n in range(1, (focus - first).days // 7 + 1)]
    daily = [focus + dt.timedelta(days=n) for n in range(FOCUS_DAYS)]
    ticks = sorted(_ms(_iso(d + noon)) for d in weekly + daily)
    lines = sorted(_iso(d) for d in weekly + daily[1:])
    domain = [_ms(left), _ms(_iso(focus)), _ms(right)]
    # domainRaw: a layered chart unions its layers' domains into a two-point extent, losing the middle point
    scale = alt.Scale(
        type="utc", domain=domain, domainRaw={"expr": str(domain)}, range=[0, WIDTH * COMPRESSED_SHARE, WIDTH]
    )
    return scale, ticks, lines, _iso(focus)


def timeline_spec(tables: PackageTables) -> dict[str, Any]:
    """The Vega-Lite spec (a plain dict): same package, same spec."""
    rows, (left, right), lanes = chart_rows(tables)
    last_slot = max(r["slot"] for r in rows)
    scale, ticks, day_lines, pace_change = x_scale(left, right)
    # labelOverlap off: the tick values are chosen (one a day, one a week where compressed); Vega's
    # default would drop every other day's label once the rotated labels' boxes touch
    axis = alt.Axis(format="%a %-d %b", values=ticks, labelAngle=-40, labelOverlap=False, grid=False, ticks=False)

    def x_at(field: str) -> alt.X:  # every layer repeats the scale: a bare one would be unioned into it
        return alt.X(f"{field}:T", scale=scale, axis=axis, title="Date (whole days, UTC)")

    x = x_at("x")
    y = alt.Y("top:Q", scale=alt.Scale(domain=[-0.8, last_slot + 0.6], reverse=True, nice=False), axis=None)
    slot_y = alt.Y("slot:Q", axis=None)  # every layer says axis=None: Vega-Lite fails to merge a mix
    base = alt.Chart().transform_calculate(top="datum.slot - 0.34", bottom="datum.slot + 0.34")
    colour = alt.Color(
        "claim_status:N",
        scale=alt.Scale(domain=list(STATUS_COLOURS), range=list(STATUS_COLOURS.values())),
        legend=alt.Legend(
            title="claim_status", orient="top", direction="horizontal", symbolOpacity=1, symbolType="square"
        ),
    )
    description = alt.Description("description:N")
    layers: list[alt.Chart] = []

    lane_data = [{"title": t, "top": a - 0.55, "bottom": b + 0.55, "left": left, "right": right} for t, a, b in lanes]
    lane_chart = alt.Chart(alt.Data(values=lane_data))
    layers.append(
        lane_chart.mark_rect(fill="#f4f4f0", stroke="#d8d8d0", aria=False).encode(
            x=x_at("left"), x2="right:T", y=alt.Y("top:Q", axis=None), y2="bottom:Q"
        )
    )
    lines = alt.Chart(alt.Data(values=[{"at": at} for at in day_lines]))
    layers.append(lines.mark_rule(color="#dcdcd4", aria=False).encode(x=x_at("at")))
    layers.append(  # after the day lines, so they do not cross the lane titles
        lane_chart.mark_text(align="left", baseline="bottom", dx=4, dy=-2, fontWeight="bold", aria=False).encode(
            x=x_at("left"), y=alt.Y("top:Q", axis=None), text="title:N"
        )
    )
    links = base.transform_filter("datum.about_slot !== null").transform_calculate(
        link="'link ' + datum.event_id + ' → ' + datum.about_event_id"
    )
    layers.append(
        links.mark_rule(strokeWidth=1.5, opacity=0.35, strokeDash=[3, 2]).encode(
            x=x_at("link_x"), y=slot_y, y2="about_slot:Q", color=colour, description=alt.Description("link:N")
        )
    )
    for precision, shape_opacity in FILL_OPACITY.items():
        outlined = precision not in OPEN_START_EDGES  # an approximate start gets no left edge: see below
        layers.append(
            base.transform_filter(f"datum.date_precision === '{precision}'")
            .mark_rect(
                strokeWidth=1.6 if outlined else 0,
                strokeDash=DASHES.get(precision, alt.Undefined),
                fillOpacity=shape_opacity,
            )
            .encode(x=x, x2="x2:T", y=y, y2="bottom:Q", color=colour, stroke=colour, description=description)
        )
    for precision in OPEN_START_EDGES:  # top and bottom edges and a closed end; the start stays open
        edged = base.transform_filter(f"datum.date_precision === '{precision}'")
        for edge in ("top", "bottom"):
            layers.append(
                edged.mark_rule(strokeWidth=1.6, strokeDash=DASHES[precision], aria=False).encode(
                    x=x, x2="x2:T", y=alt.Y(f"{edge}:Q", axis=None), color=colour
                )
            )
        layers.append(
            edged.mark_rule(strokeWidth=1.6, aria=False).encode(
                x=x_at("x2"), y=alt.Y("top:Q", axis=None), y2="bottom:Q", color=colour
            )
        )
    for status, hue in STATUS_COLOURS.items():  # a gradient cannot come from a scale: one layer per colour
        open_start = base.transform_filter(
            f"datum.date_precision === 'on-or-before' && datum.claim_status === '{status}'"
        )
        gradient = alt.Gradient(
            gradient="linear",
            x1=0,
            x2=1,
            y1=0,
            y2=0,
            stops=[alt.GradientStop(offset=0, color="#ffffff"), alt.GradientStop(offset=1, color=hue)],
        )
        layers.append(
            open_start.mark_rect(color=gradient, opacity=0.75, strokeWidth=0).encode(
                x=x, x2="x2:T", y=y, y2="bottom:Q", description=description
            )
        )
    layers.append(
        base.transform_filter("datum.date_precision === 'on-or-before'")
        .mark_tick(thickness=3, orient="vertical", aria=False)
        .encode(x=x_at("x2"), y=slot_y, color=colour, size=alt.value(ROW_HEIGHT * 0.8))
    )
    layers.append(
        base.mark_text(align="left", baseline="middle", dx=5, fontSize=11, aria=False).encode(
            x=x_at("x2"), y=slot_y, text="label:N", color=alt.value("#222222")
        )
    )
    if pace_change:
        pace = alt.Chart(alt.Data(values=[{"at": pace_change, "top": -0.8, "bottom": last_slot + 0.6}]))
        layers.append(
            pace.mark_rule(strokeDash=[4, 4], color="#888888", aria=False).encode(
                x=x_at("at"), y=alt.Y("top:Q", axis=None), y2="bottom:Q"
            )
        )
        layers.append(
            pace.mark_text(align="right", baseline="bottom", dx=-3, fontSize=10, color="#555555", aria=False).encode(
                x=x_at("at"), y=alt.Y("bottom:Q", axis=None), text=alt.value("◂ earlier days compressed")
            )
        )
    # one copy of the rows at the top; the lanes, day lines and pace layers bring their own
    chart = alt.layer(*layers, data=alt.Data(values=rows)).properties(
        width=WIDTH,
        height=int(ROW_HEIGHT * (last_slot + 1.4)),
        title=alt.Title(
            str(tables.descriptor.get("title", "")),
            subtitle=[
                # No version here: a release changes only the version, so the README picture
                # (this same chart) stays current through it; the page states the version itself.
                "One mark per row · colour = claim_status · dashed links: statement → the event it is about",
                "Shape = date_precision: solid one-day bar = day · solid bar across midnight = overnight · "
                "pale dashed = range · dotted = month · long-dashed with no start edge = approximate start · "
                "fading in from the left = on or before (no known start)",
            ],
            anchor="start",
        ),
        description=chart_summary(tables),
    )
    spec: dict[str, Any] = chart.configure_view(stroke=None).configure(font="DejaVu Sans").to_dict()
    return spec


def chart_summary(tables: PackageTables) -> str:
    """The chart's text alternative in one paragraph (the page lists every row besides)."""
    events = tables.tables["events"].rows
    kinds = {k: sum(1 for e in events if e["kind"] == k) for k, _ in LANES}
    dates = sorted(d for e in events for d in (e["date_start"], e["date_end"]) if d)
    return (
        f"Timeline of {len(events)} rows from {dates[0]} to {dates[-1]}: {kinds['occurrence']} occurrences "
        f"and {kinds['statement']} statements, one mark each; bar shapes show how precisely each is dated "
        "and colour shows whether it is reported, claimed, denied or confirmed."
    )


def render_svg(spec: dict[str, Any]) -> str:
    """The chart as SVG text; the same spec always gives the same text.

    Vega numbers gradients with a counter that lives as long as vl-convert's JavaScript
    runtime (gradient_0, then gradient_2 on the next render in the same process), so the
    ids are renumbered in order of first appearance.
    """
    svg = str(vl_convert.vegalite_to_svg(spec, vl_version=VL_VERSION))
    numbers: dict[str, str] = {}
    return re.sub(r"gradient_\d+", lambda m: numbers.setdefault(m.group(0), f"gradient_{len(numbers)}"), svg)


def render_png(spec: dict[str, Any], scale: float = 2.0) -> bytes:
    return bytes(vl_convert.vegalite_to_png(spec, vl_version=VL_VERSION, scale=scale))
