//! The “须处理的问题 / Problems” block that text, Markdown and HTML output start with when
//! something must be dealt with before the verdicts can be trusted
//! ([`icgs::report::Problem`]): it comes before everything else, Chinese first.

use icgs::report::Problem;

use crate::Lang;

fn heading(lang: Lang, count: usize) -> String {
    match lang {
        Lang::Zh => format!("须处理的问题（{count} 项）"),
        Lang::En => format!("Problems ({count})"),
    }
}

/// The block in plain text, followed by a blank line; empty when there is no problem.
#[must_use]
pub fn text(problems: &[Problem], lang: Lang) -> String {
    if problems.is_empty() {
        return String::new();
    }
    let mut out = format!("{}\n", heading(lang, problems.len()));
    for p in problems {
        out.push_str(&format!("  ✗ {}\n", lang.msg(&p.message)));
    }
    out.push('\n');
    out
}

/// The block in Markdown (profile text escaped), followed by a blank line; empty when there
/// is no problem.
#[must_use]
pub fn markdown(problems: &[Problem], lang: Lang) -> String {
    if problems.is_empty() {
        return String::new();
    }
    let mut out = format!("> **{}**\n>\n", heading(lang, problems.len()));
    for p in problems {
        out.push_str(&format!(
            "> - {}\n",
            crate::escape::markdown(lang.msg(&p.message))
        ));
    }
    out.push('\n');
    out
}

/// `page` with the block (HTML-escaped) as the first thing of its `<main>`, or of its
/// `<body>`; `page` as it is when there is no problem.
#[must_use]
pub fn html(page: String, problems: &[Problem], lang: Lang) -> String {
    if problems.is_empty() {
        return page;
    }
    let mut block = format!(
        "\n<section class=\"problems\" role=\"alert\" style=\"border:2px solid #b91c1c;border-radius:8px;padding:8px 16px;margin:16px 0;background:#fef2f2;color:#7f1d1d\">\n<h2>{}</h2>\n<ul>\n",
        super::escape::html(&heading(lang, problems.len()))
    );
    for p in problems {
        block.push_str(&format!(
            "<li>{}</li>\n",
            super::escape::html(lang.msg(&p.message))
        ));
    }
    block.push_str("</section>");
    let at = ["<main>", "<body>", "<body class=\"dashboard\">"]
        .iter()
        .find_map(|tag| page.find(tag).map(|i| i + tag.len()));
    match at {
        Some(i) => format!("{}{block}{}", &page[..i], &page[i..]),
        None => format!("{block}\n{page}"),
    }
}

#[cfg(test)]
mod tests {
    use icgs::report::{Message, ProblemKind};

    use super::*;

    fn problem(zh: &str, en: &str) -> Problem {
        Problem::new(
            "x.json",
            ProblemKind::Unreadable,
            Message {
                zh: zh.into(),
                en: en.into(),
            },
        )
    }

    #[test]
    fn no_problem_no_block() {
        assert_eq!(text(&[], Lang::Zh), "");
        assert_eq!(markdown(&[], Lang::Zh), "");
        assert_eq!(html("<body><main>x".into(), &[], Lang::Zh), "<body><main>x");
    }

    #[test]
    fn the_block_leads_and_escapes() {
        let p = [problem("无法读取“<b>.json”", "cannot read `<b>.json`")];
        assert!(text(&p, Lang::Zh).starts_with("须处理的问题（1 项）\n  ✗ 无法读取“<b>.json”"));
        assert!(markdown(&p, Lang::En).contains(r"cannot read \`\<b\>.json\`"));
        let page = html("<html><body>\n<main>\n<h1>r</h1>".into(), &p, Lang::Zh);
        let block = page.find("class=\"problems\"").unwrap_or(usize::MAX);
        assert!(block < page.find("<h1>").unwrap_or(0), "{page}");
        assert!(page.contains("无法读取“&lt;b&gt;.json”"), "{page}");
    }
}
