//! Escaping of profile text (and any other text the tool did not write itself) for the
//! formats where it could otherwise change the document: one path per format. HTML is
//! escaped by the templates' formatter and [`html`] (both the escaping of minijinja, after
//! [`controls`]); XML by quick-xml, after [`controls`]; Markdown by [`markdown`]; CSV by
//! [`csv_cell`].

use std::borrow::Cow;

/// Whether `c` is a control character that XML 1.0 cannot carry and HTML reads as an
/// error: every control character but tab, line feed and carriage return (C0, DEL, C1).
fn forbidden(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

/// `text` with each control character HTML and XML cannot carry replaced by U+FFFD, so that
/// the loss shows where it happened (the policy of every HTML and XML output).
#[must_use]
pub fn controls(text: &str) -> Cow<'_, str> {
    if text.chars().any(forbidden) {
        text.chars()
            .map(|c| if forbidden(c) { '\u{fffd}' } else { c })
            .collect::<String>()
            .into()
    } else {
        text.into()
    }
}

/// `text` safe as HTML content or a quoted attribute value: [`controls`], then `&`, `<`, `>`,
/// `"`, `'` and `/` as character references, exactly as the templates escape.
#[must_use]
pub fn html(text: &str) -> String {
    minijinja::HtmlEscape(&controls(text)).to_string()
}

/// `text` safe inside Markdown prose and table cells: the characters that start markup
/// (`|`, `<`, `>`, `*`, `_`, backtick, `[`, `]`, `\`) are backslash-escaped and line breaks
/// become spaces, so profile text can neither break a table nor bring in raw HTML or links.
#[must_use]
pub fn markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '|' | '<' | '>' | '*' | '_' | '`' | '[' | ']' => {
                out.push('\\');
                out.push(c);
            }
            '\r' | '\n' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// A CSV cell that a spreadsheet will not read as a formula (OWASP CSV injection): a cell
/// starting with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`. Numbers
/// the tool writes itself (scores, counts) are not passed through here, so `-1.5` stays a
/// number.
#[must_use]
pub fn csv_cell(text: &str) -> Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}").into()
    } else {
        text.into()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;

    #[test]
    fn html_and_xml_replace_the_control_characters_they_cannot_carry() {
        assert_eq!(
            controls("a\u{0}b\u{7}c\u{1b}d\u{7f}e\u{85}f"),
            "a\u{fffd}b\u{fffd}c\u{fffd}d\u{fffd}e\u{fffd}f"
        );
        assert_eq!(controls("tab\tline\nreturn\r"), "tab\tline\nreturn\r");
        assert!(matches!(controls("滨江"), Cow::Borrowed("滨江")));
        assert_eq!(
            html("<a href='x'>\"R&D\"</a>\u{8}"),
            "&lt;a href=&#x27;x&#x27;&gt;&quot;R&amp;D&quot;&lt;&#x2f;a&gt;\u{fffd}"
        );
    }

    #[test]
    fn the_templates_escape_as_html_does() {
        let env = crate::html::environment().unwrap();
        let text = "<b>'1/2' & \"x\"</b>\u{0}\u{9f}";
        let out = env
            .render_str("{{ t }}", minijinja::context! { t => text })
            .unwrap();
        assert_eq!(out, html(text));
    }

    #[test]
    fn markdown_markup_and_html_are_escaped() {
        assert_eq!(
            markdown("a|b <img src=x onerror=alert(1)> *x* _y_ `z` [l](u)\nnext"),
            r"a\|b \<img src=x onerror=alert(1)\> \*x\* \_y\_ \`z\` \[l\](u) next"
        );
        assert_eq!(markdown(r"back\slash"), r"back\\slash");
        assert_eq!(markdown("滨江·科创"), "滨江·科创");
    }

    #[test]
    fn csv_formula_prefixes_are_neutralised() {
        for bad in ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(csv_cell(bad), format!("'{bad}"));
        }
        assert_eq!(csv_cell("滨江"), "滨江");
        assert_eq!(csv_cell("a=b"), "a=b");
    }
}
