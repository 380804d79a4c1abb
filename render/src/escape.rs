//! Escaping of profile text (and any other text the tool did not write itself) for the
//! formats where it could otherwise change the document: HTML written outside the templates,
//! Markdown and CSV.

/// `text` safe in HTML content and attribute values: `&`, `<`, `>`, `"` and `'` as entities.
#[must_use]
pub fn html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
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
pub fn csv_cell(text: &str) -> std::borrow::Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}").into()
    } else {
        text.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
