//! The catalogue's section on the overlay chain (`icgs doc --overlay X [--as-of DATE]`) in
//! Markdown and HTML: each layer's changes with their dates; on a date, whether each is in
//! force.

use std::fmt::Write as _;

use icgs_tools::catalogue::LayerDoc;

use crate::escape::html as esc;

/// The section in Markdown; empty without overlays.
pub(super) fn markdown(s: &mut String, layers: &[LayerDoc], as_of: Option<&str>) {
    if layers.is_empty() {
        return;
    }
    let _ = writeln!(s, "## 地方规范层 · Local layers\n");
    if let Some(d) = as_of {
        let _ = writeln!(
            s,
            "As of {d}（基准日 {d}）: each change is marked in force or not.\n"
        );
    }
    for layer in layers {
        let _ = writeln!(
            s,
            "### {} · {} (`{}`)\n",
            layer.name.zh, layer.name.en, layer.pack
        );
        if layer.entries.is_empty() {
            let _ = writeln!(s, "No changes.\n");
            continue;
        }
        let _ = writeln!(
            s,
            "| 变更 change | id | 值 value | 生效 from | 截止 until | 偏离 derogation |{}\n|---|---|---|---|---|---|{}",
            if as_of.is_some() {
                " 基准日生效 in force |"
            } else {
                ""
            },
            if as_of.is_some() { "---|" } else { "" }
        );
        for e in &layer.entries {
            let cell = |t: &str| t.replace('|', "\\|").replace('\n', " ");
            let _ = write!(
                s,
                "| {} | `{}` | {} | {} | {} | {} |",
                e.what,
                e.id,
                cell(&e.value),
                e.from.as_deref().unwrap_or("—"),
                e.until.as_deref().unwrap_or("—"),
                e.derogation.as_deref().map_or_else(|| "—".to_owned(), cell)
            );
            if let Some(f) = e.in_force {
                let _ = write!(s, " {} |", if f { "是 yes" } else { "否 no" });
            }
            let _ = writeln!(s);
        }
        let _ = writeln!(s);
    }
}

/// The kind of change in both languages, Chinese first.
fn what_label(what: &str) -> &'static str {
    match what {
        "parameter" => "参数 parameter",
        "rule" => "规则变更 rule change",
        _ => "新增规则 new rule",
    }
}

/// The same section as [`markdown`] in HTML, every value escaped; empty without overlays.
pub(super) fn html(s: &mut String, layers: &[LayerDoc], as_of: Option<&str>) {
    if layers.is_empty() {
        return;
    }
    let _ = writeln!(
        s,
        "<section id=\"layers\">\n<h2>地方规范层 · Local layers</h2>"
    );
    if let Some(d) = as_of {
        let d = esc(d);
        let _ = writeln!(
            s,
            "<p>基准日 {d}：逐项标明是否生效 · As of {d}: each change is marked in force or not.</p>"
        );
    }
    for layer in layers {
        let _ = writeln!(
            s,
            "<h3>{} · {} (<code>{}</code>)</h3>",
            esc(&layer.name.zh),
            esc(&layer.name.en),
            esc(&layer.pack)
        );
        if layer.entries.is_empty() {
            let _ = writeln!(s, "<p>无变更 · No changes.</p>");
            continue;
        }
        let _ = writeln!(
            s,
            "<table class=\"layer\">\n<tr><th>变更 change</th><th>id</th><th>值 value</th><th>生效 from</th><th>截止 until</th><th>偏离 derogation</th>{}</tr>",
            if as_of.is_some() {
                "<th>基准日生效 in force</th>"
            } else {
                ""
            }
        );
        for e in &layer.entries {
            let _ = write!(
                s,
                "<tr><td>{}</td><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>",
                what_label(e.what),
                esc(&e.id),
                esc(&e.value),
                esc(e.from.as_deref().unwrap_or("—")),
                esc(e.until.as_deref().unwrap_or("—")),
                esc(e.derogation.as_deref().unwrap_or("—"))
            );
            if let Some(f) = e.in_force {
                let _ = write!(
                    s,
                    "<td class=\"{}\">{}</td>",
                    if f { "in-force" } else { "not-in-force" },
                    if f { "是 yes" } else { "否 no" }
                );
            }
            s.push_str("</tr>\n");
        }
        s.push_str("</table>\n");
    }
    s.push_str("</section>\n");
}

#[cfg(test)]
mod tests {
    use icgs::pack::Text;
    use icgs_tools::catalogue::LayerEntry;

    use super::*;

    fn layer(derogation: &str) -> LayerDoc {
        LayerDoc {
            pack: "x<y@1.0.0".to_owned(),
            name: Text {
                zh: "某区“细则”".to_owned(),
                en: "A & B".to_owned(),
            },
            entries: vec![LayerEntry {
                what: "parameter",
                id: "population_max".to_owned(),
                value: "50000".to_owned(),
                from: Some("2026-07-01".to_owned()),
                until: None,
                derogation: Some(derogation.to_owned()),
                in_force: Some(false),
            }],
        }
    }

    #[test]
    fn the_html_section_escapes_every_value_and_marks_what_is_in_force() {
        let mut s = String::new();
        html(&mut s, &[layer("<script>x</script>")], Some("2026-06-30"));
        assert!(s.contains("<h2>地方规范层 · Local layers</h2>"), "{s}");
        assert!(s.contains("基准日 2026-06-30"), "{s}");
        assert!(
            s.contains("某区“细则” · A &amp; B (<code>x&lt;y@1.0.0</code>)"),
            "{s}"
        );
        assert!(s.contains("&lt;script&gt;x&lt;&#x2f;script&gt;"), "{s}");
        assert!(!s.contains("<script>"), "{s}");
        assert!(
            s.contains("<tr><td>参数 parameter</td><td><code>population_max</code></td><td>50000</td><td>2026-07-01</td><td>—</td>"),
            "{s}"
        );
        assert!(s.contains("<td class=\"not-in-force\">否 no</td>"), "{s}");

        let mut undated = String::new();
        let mut l = layer("d");
        l.entries[0].in_force = None;
        html(&mut undated, &[l], None);
        assert!(!undated.contains("基准日"), "{undated}");
        assert!(!undated.contains("in force"), "{undated}");

        let mut none = String::new();
        html(&mut none, &[], Some("2026-06-30"));
        assert!(none.is_empty(), "no overlays, no section");
    }
}
