//! Geometry of the inline SVG charts of the HTML pages: horizontal bars and rings.
//!
//! The charts are drawn by the templates from this geometry, not by a chart crate: the
//! crates that draw SVG (charts-rs, plotters' SVG backend) lay out axis labels by measuring
//! text with a bundled Latin font, so Chinese labels — the report's first language — are
//! measured at a fraction of their width and run into the bars unless a CJK font of several
//! megabytes is embedded. Here labels are anchored (`text-anchor="end"`) and the browser
//! lays them out; every number is formatted once, so the same report gives the same bytes.

use serde::Serialize;

/// Width of a bar chart's drawing, in SVG units.
const WIDTH: f64 = 640.0;
/// Where the bars start; labels end just before.
const LABEL: f64 = 190.0;
/// Longest bar.
const SPAN: f64 = 360.0;
/// Height of one row.
const ROW: f64 = 30.0;

/// One bar.
#[derive(Debug, Serialize)]
pub struct Bar {
    /// Label left of the bar.
    pub label: String,
    /// Value right of the bar.
    pub value: String,
    /// Tooltip.
    pub title: String,
    /// CSS class of the bar (its colour).
    pub class: String,
    /// Top of the row.
    pub y: String,
    /// Baseline of the texts.
    pub text_y: String,
    /// Bar length.
    pub width: String,
    /// Where the value text starts.
    pub value_x: String,
}

/// A gridline with its value.
#[derive(Debug, Serialize)]
pub struct Tick {
    /// Position.
    pub x: String,
    /// Label.
    pub label: String,
}

/// A horizontal bar chart.
#[derive(Debug, Serialize)]
pub struct BarChart {
    /// Accessible name of the chart.
    pub title: String,
    /// SVG width.
    pub width: String,
    /// SVG height.
    pub height: String,
    /// Where labels end.
    pub label_x: String,
    /// Where bars start.
    pub bar_x: String,
    /// Bottom of the bars (gridlines end here).
    pub bottom: String,
    /// Gridlines.
    pub ticks: Vec<Tick>,
    /// The bars.
    pub bars: Vec<Bar>,
}

/// A label of at most 14 characters (the tooltip keeps the whole text).
fn short(s: &str) -> String {
    if s.chars().count() <= 14 {
        s.to_owned()
    } else {
        let mut out: String = s.chars().take(13).collect();
        out.push('…');
        out
    }
}

fn n(x: f64) -> String {
    let s = format!("{x:.1}");
    s.strip_suffix(".0").map_or(s.clone(), str::to_owned)
}

/// One datum of a bar chart.
#[derive(Debug)]
pub struct Datum {
    /// Label.
    pub label: String,
    /// Value, 0..=max.
    pub value: f64,
    /// Text shown right of the bar.
    pub shown: String,
    /// Tooltip.
    pub title: String,
    /// CSS class.
    pub class: String,
}

/// Bars scaled to `max`, with gridlines every `step`.
pub fn bars(title: &str, data: Vec<Datum>, max: f64, step: f64) -> BarChart {
    let max = if max > 0.0 { max } else { 1.0 };
    let top = 8.0;
    let bars: Vec<Bar> = data
        .into_iter()
        .enumerate()
        .map(|(i, d)| {
            #[allow(clippy::cast_precision_loss, reason = "a few dozen rows")]
            let y = top + ROW * i as f64;
            let w =
                (d.value.clamp(0.0, max) / max * SPAN).max(if d.value > 0.0 { 1.5 } else { 0.0 });
            Bar {
                label: short(&d.label),
                value: d.shown,
                title: if d.title.is_empty() { d.label } else { d.title },
                class: d.class,
                y: n(y + 5.0),
                text_y: n(y + 19.0),
                width: n(w),
                value_x: n(LABEL + w + 6.0),
            }
        })
        .collect();
    #[allow(clippy::cast_precision_loss, reason = "a few dozen rows")]
    let bottom = top + ROW * bars.len() as f64 + 2.0;
    let mut ticks = Vec::new();
    if step > 0.0 {
        let mut v = 0.0;
        while v <= max + 1e-9 {
            ticks.push(Tick {
                x: n(LABEL + v / max * SPAN),
                label: n(v),
            });
            v += step;
        }
    }
    BarChart {
        title: title.to_owned(),
        width: n(WIDTH),
        height: n(bottom + 18.0),
        label_x: n(LABEL - 8.0),
        bar_x: n(LABEL),
        bottom: n(bottom),
        ticks,
        bars,
    }
}

/// One segment of a ring.
#[derive(Debug, Serialize)]
pub struct Segment {
    /// Label (legend).
    pub label: String,
    /// Value shown in the legend.
    pub value: String,
    /// CSS class.
    pub class: String,
    /// `stroke-dasharray`.
    pub dash: String,
    /// `stroke-dashoffset`.
    pub offset: String,
}

/// A ring (donut) chart: segments around a circle, a text in the middle.
#[derive(Debug, Serialize)]
pub struct Ring {
    /// Accessible name.
    pub title: String,
    /// Big text in the middle.
    pub centre: String,
    /// Small text under it.
    pub caption: String,
    /// The segments, clockwise from the top.
    pub segments: Vec<Segment>,
}

const RADIUS: f64 = 70.0;

/// A ring from `(label, value, class)` parts, each a share of `total`.
pub fn ring(
    title: &str,
    centre: &str,
    caption: &str,
    parts: Vec<(String, f64, String)>,
    total: f64,
) -> Ring {
    let circumference = 2.0 * std::f64::consts::PI * RADIUS;
    let mut start = 0.0;
    let segments = parts
        .into_iter()
        .map(|(label, value, class)| {
            let len = if total > 0.0 {
                value.max(0.0) / total * circumference
            } else {
                0.0
            };
            let s = Segment {
                label,
                value: n(value),
                class,
                dash: format!("{} {}", n2(len), n2(circumference - len)),
                offset: n2(-start),
            };
            start += len;
            s
        })
        .collect();
    Ring {
        title: title.to_owned(),
        centre: centre.to_owned(),
        caption: caption.to_owned(),
        segments,
    }
}

fn n2(x: f64) -> String {
    let x = if x.abs() < 0.005 { 0.0 } else { x };
    format!("{x:.2}")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing, reason = "tests")]
    use super::*;

    #[test]
    fn bars_scale_to_the_maximum_and_ticks_cover_it() {
        let c = bars(
            "t",
            vec![
                Datum {
                    label: "a".into(),
                    value: 50.0,
                    shown: "50".into(),
                    title: String::new(),
                    class: "x".into(),
                },
                Datum {
                    label: "b".into(),
                    value: 100.0,
                    shown: "100".into(),
                    title: String::new(),
                    class: "x".into(),
                },
            ],
            100.0,
            25.0,
        );
        assert_eq!(c.bars[0].width, "180");
        assert_eq!(c.bars[1].width, "360");
        assert_eq!(c.ticks.len(), 5);
        assert_eq!(c.ticks[4].label, "100");
    }

    #[test]
    fn a_ring_closes() {
        let r = ring(
            "t",
            "",
            "",
            vec![("a".into(), 1.0, "x".into()), ("b".into(), 3.0, "y".into())],
            4.0,
        );
        assert_eq!(r.segments[1].offset, "-109.96");
        assert_eq!(r.segments[0].dash, "109.96 329.87");
    }
}
