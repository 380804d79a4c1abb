//! The HTML report and the district dashboard as people see them, in headless Chromium
//! (`/usr/bin/chromium`), with the Chinese font and `pdftotext` that `.ci/run` installs:
//! the font body text is drawn in, no character drawn as a box, nothing wider than a
//! 390 px phone, the printed pages each carrying the community's name and a page number,
//! and the dashboard's table sorting, filtering and searching.
//!
//! `ICGS_BLESS=1 cargo test --workspace --test html_view` also redraws the screenshots in
//! `docs/images/` and measures the dashboard of 2,000 generated communities
//! (`docs/reports.md` shows both).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]

mod common;

use common::{icgs, scratch, stderr};
use std::path::{Path, PathBuf};
use std::process::Command;

const CHROMIUM: &str = "/usr/bin/chromium";

/// Headless Chromium with a fresh profile, at `width` × `height` CSS pixels.
fn chromium(profile: &str, width: u32, height: u32) -> Command {
    assert!(
        Path::new(CHROMIUM).exists(),
        "these tests open the HTML in headless Chromium, which is missing: install Debian's \
         package with `apt-get install -y chromium fonts-noto-cjk poppler-utils` (CI's \
         .ci/run does)"
    );
    let dir = scratch(&format!("chromium-{profile}"));
    let mut cmd = Command::new(CHROMIUM);
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--hide-scrollbars",
        "--force-device-scale-factor=1",
    ])
    .arg(format!("--user-data-dir={}", dir.display()))
    .arg(format!("--window-size={width},{height}"));
    cmd
}

/// Measures a page in Chromium: a script appended to a copy of the page writes what it
/// found (JSON) into the DOM, which Chromium then dumps.
const PROBE: &str = r#"<script>
(function () {
  document.body.getBoundingClientRect();
  // Milliseconds from navigation to the page parsed, styled and laid out.
  const out = { ready: Math.round(performance.now()) };
  const body = getComputedStyle(document.body);
  out.fontFamily = body.fontFamily;
  // The first family of the stack that is installed: its text is wider or narrower than
  // the same text in both fallbacks.
  const canvas = document.createElement('canvas');
  canvas.width = 48; canvas.height = 48;
  const g = canvas.getContext('2d', { willReadFrequently: true });
  const sample = 'mmmmmmmmmmlli 中文字体 WWW';
  const measure = (font) => { g.font = font; return g.measureText(sample).width; };
  const families = body.fontFamily.split(',').map((f) => f.trim());
  out.fontUsed = null;
  for (const f of families) {
    if (['system-ui', 'sans-serif', 'serif'].includes(f)) continue;
    if (measure('40px ' + f + ', monospace') !== measure('40px monospace') &&
        measure('40px ' + f + ', serif') !== measure('40px serif')) { out.fontUsed = f.replace(/"/g, ''); break; }
  }
  // A character is a box when it is drawn like a character no font has.
  const draw = (ch) => {
    g.clearRect(0, 0, 48, 48); g.font = '32px ' + body.fontFamily; g.fillStyle = '#000';
    g.textBaseline = 'top'; g.fillText(ch, 4, 4);
    return g.getImageData(0, 0, 48, 48).data.join('');
  };
  const box = draw('\u0378');
  const chars = [...new Set([...document.body.innerText].filter((c) => c.codePointAt(0) >= 0x2e80))];
  out.cjkChars = chars.length;
  out.boxes = chars.filter((c) => draw(c) === box).join('');
  const root = document.documentElement;
  out.scrollWidth = root.scrollWidth; out.clientWidth = root.clientWidth;
  // What sticks out: past the right edge, or text wider than its box.
  out.wide = [...document.querySelectorAll('body *')]
    .filter((e) => e.getBoundingClientRect().right > root.clientWidth + 1 ||
      (e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX === 'visible'))
    .slice(0, 8).map((e) => e.tagName + '.' + e.className + ' ' + e.scrollWidth + ' ' + (e.textContent || '').slice(0, 40));
  if (window.icgsProbe) out.extra = window.icgsProbe();
  const pre = document.createElement('pre'); pre.id = 'icgs-probe';
  pre.textContent = JSON.stringify(out); document.body.appendChild(pre);
})();
</script>"#;

/// Opens `file` in a frame `width` px wide (headless Chromium's window cannot be as narrow
/// as a phone) with [`PROBE`] (and `extra`, a script defining `window.icgsProbe`), and
/// returns what it measured.
fn probe(file: &Path, width: u32, extra: &str) -> serde_json::Value {
    let html = std::fs::read_to_string(file).unwrap();
    let copy = file.with_extension("probe.html");
    let script = format!("{extra}{PROBE}</body>");
    std::fs::write(&copy, html.replacen("</body>", &script, 1)).unwrap();
    let frame = file.with_extension("frame.html");
    std::fs::write(
        &frame,
        format!(
            "<!DOCTYPE html><body style=\"margin:0\"><iframe id=\"f\" style=\"border:0;width:{width}px;height:900px\" \
             src=\"{}\"></iframe><script>const f = document.getElementById('f'); f.onload = () => \
             document.body.appendChild(f.contentDocument.getElementById('icgs-probe'));</script></body>",
            copy.file_name().unwrap().to_string_lossy()
        ),
    )
    .unwrap();
    let stem = file.file_stem().unwrap().to_string_lossy().into_owned();
    let o = chromium(&format!("probe-{stem}-{width}"), 1280, 900)
        .arg("--allow-file-access-from-files")
        .arg("--dump-dom")
        .arg(&frame)
        .output()
        .expect("run chromium");
    let dom = String::from_utf8_lossy(&o.stdout);
    let json = dom
        .split("<pre id=\"icgs-probe\">")
        .nth(1)
        .and_then(|s| s.split("</pre>").next())
        .unwrap_or_else(|| {
            panic!(
                "chromium gave no measurement: {}",
                String::from_utf8_lossy(&o.stderr)
            )
        });
    let json = json
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    serde_json::from_str(&json).unwrap()
}

/// `icgs ARGS -o FILE` into a scratch directory; returns the file.
fn render(dir: &str, file: &str, args: &[&str]) -> PathBuf {
    let path = scratch(dir).join(file);
    let mut all = args.to_vec();
    all.extend(["-o", path.to_str().unwrap()]);
    let o = icgs(&all);
    assert!(
        matches!(o.status.code(), Some(0 | 1)),
        "icgs {args:?}: {}",
        stderr(&o)
    );
    path
}

const CJK_FAMILIES: [&str; 4] = [
    "PingFang SC",
    "Microsoft YaHei",
    "Noto Sans CJK SC",
    "WenQuanYi Micro Hei",
];

/// The font, the boxes and the width of one page at 390 px.
fn assert_readable_on_a_phone(file: &Path) {
    let m = probe(file, 390, "");
    let family = m["fontFamily"].as_str().unwrap();
    assert!(
        family.starts_with("\"PingFang SC\""),
        "body text asks for the whole font stack, got `{family}`"
    );
    let used = m["fontUsed"].as_str().unwrap_or("none");
    assert!(
        CJK_FAMILIES.contains(&used),
        "the body text is drawn in a Chinese font of the stack, not `{used}` (install \
         fonts-noto-cjk)"
    );
    assert!(m["cjkChars"].as_u64().unwrap() > 20, "{m}");
    assert_eq!(m["boxes"], "", "characters drawn as boxes");
    assert_eq!(m["clientWidth"], 390, "measured at 390 px");
    assert!(
        m["scrollWidth"].as_u64() <= m["clientWidth"].as_u64(),
        "{} scrolls sideways at 390 px: {}",
        file.display(),
        m["wide"]
    );
}

#[test]
fn the_report_is_drawn_in_a_chinese_font_without_boxes_and_fits_a_phone() {
    for (name, lang) in [
        ("weak-community", "zh"),
        ("gongshu-minimal-gaps", "zh"),
        ("qiantang-smart-manufacturing", "en"),
    ] {
        let input = format!("examples/profiles/{name}.json");
        let file = render(
            &format!("view-{name}-{lang}"),
            &format!("{name}.html"),
            &[
                "check",
                &input,
                "--allow-invalid",
                "--format",
                "html",
                "--lang",
                lang,
            ],
        );
        assert_readable_on_a_phone(&file);
    }
}

#[test]
fn the_dashboard_is_drawn_in_a_chinese_font_without_boxes_and_fits_a_phone() {
    let file = render(
        "view-dashboard",
        "dashboard.html",
        &[
            "check",
            "examples/profiles",
            "--allow-invalid",
            "--format",
            "html",
        ],
    );
    assert_readable_on_a_phone(&file);
}

/// The text of each printed page of `file` (Chromium's PDF read by `pdftotext`).
fn printed_pages(file: &Path) -> Vec<String> {
    let pdf = file.with_extension("pdf");
    let stem = file.file_stem().unwrap().to_string_lossy().into_owned();
    let o = chromium(&format!("print-{stem}"), 1280, 900)
        .arg("--no-pdf-header-footer")
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(file)
        .output()
        .expect("run chromium");
    assert!(pdf.exists(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8"])
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("pdftotext (Debian's poppler-utils) reads the printed PDF");
    let text = String::from_utf8(o.stdout).unwrap();
    text.split('\u{c}')
        .filter(|p| !p.trim().is_empty())
        .map(str::to_owned)
        .collect()
}

#[test]
fn every_printed_page_carries_the_community_name_and_its_page_number() {
    let file = render(
        "print-weak",
        "weak.html",
        &[
            "check",
            "examples/profiles/weak-community.json",
            "--allow-invalid",
            "--format",
            "html",
        ],
    );
    let pages = printed_pages(&file);
    let n = pages.len();
    assert!(
        n >= 3,
        "the weak community's report prints on several pages"
    );
    for (i, page) in pages.iter().enumerate() {
        let first = page.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
        assert!(
            first.contains("临平区青禾工业园产业社区"),
            "page {} opens with the community's name: {first}",
            i + 1
        );
        assert!(
            page.contains(&format!("{} / {n}", i + 1)),
            "page {} is numbered {} / {n}:\n{page}",
            i + 1,
            i + 1
        );
    }
}

/// Plays with the dashboard's table the way a reader would and reports what it showed, and
/// how long each step took until the page was laid out again (`ms`).
const PLAY: &str = r#"<script>
window.icgsProbe = function () {
  const rows = () => [...document.querySelectorAll('#communities tbody tr')];
  const visible = () => rows().filter((r) => !r.hidden).length;
  // Rows on screen: matching and on the page shown.
  const onScreen = () => rows().filter((r) => !r.hidden && getComputedStyle(r).display !== 'none');
  const set = (id, value, event) => { const e = document.getElementById(id); e.value = value; e.dispatchEvent(new Event(event)); };
  const out = { all: visible(), ms: {} };
  const step = (name, act) => {
    const t = performance.now(); act();
    document.body.getBoundingClientRect(); document.getElementById('communities').offsetHeight;
    out.ms[name] = Math.round(performance.now() - t);
  };
  out.page = onScreen().length;
  step('search', () => set('q', '青禾', 'input')); out.search = visible(); out.shown = document.getElementById('shown').textContent;
  step('search cleared', () => set('q', '', 'input'));
  step('grade', () => set('f-grade', 'unqualified', 'change')); out.unqualified = visible();
  out.unqualifiedOnScreen = onScreen().every((r) => r.dataset.grade === 'unqualified');
  step('grade cleared', () => set('f-grade', '', 'change'));
  const street = document.getElementById('f-street');
  out.streetName = [...street.options].some((o) => o.value === '西兴街道') ? '西兴街道' : street.options[1].value;
  step('street', () => set('f-street', out.streetName, 'change')); out.street = visible();
  out.streetOnScreen = onScreen().length;
  step('street cleared', () => set('f-street', '', 'change'));
  const failed = document.getElementById('f-failed');
  out.failedRule = failed.options[1].value;
  step('failed clause', () => set('f-failed', out.failedRule, 'change')); out.failed = visible();
  step('failed clause cleared', () => set('f-failed', '', 'change'));
  const score = [...document.querySelectorAll('#communities th')].find((t) => t.textContent.trim() === '总分');
  step('sort by score', () => score.click());
  out.ascending = rows().map((r) => parseFloat(r.cells[5].textContent));
  out.firstOnScreen = onScreen().slice(0, 3).map((r) => parseFloat(r.cells[5].textContent));
  step('sort by score, descending', () => score.click());
  out.descending = rows().map((r) => parseFloat(r.cells[5].textContent));
  out.pageAfterSort = onScreen().length;
  out.elapsed = Math.round(performance.now());
  return out;
};
</script>"#;

#[test]
fn the_dashboard_sorts_filters_searches_and_links_every_report() {
    let dir = scratch("site");
    let o = icgs(&[
        "check",
        "examples/profiles",
        "--allow-invalid",
        "--format",
        "html",
        "--output-dir",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let index = dir.join("index.html");
    let html = std::fs::read_to_string(&index).unwrap();
    // The escaper writes `/` as `&#x2f;` in attributes.
    let links: Vec<String> = html
        .split("href=\"")
        .skip(1)
        .map(|s| s.split('"').next().unwrap().replace("&#x2f;", "/"))
        .collect();
    let reports = std::fs::read_dir(dir.join("communities")).unwrap().count();
    assert_eq!(reports, 7, "one report per community");
    for link in &links {
        assert!(dir.join(link).is_file(), "{link} leads to a report");
    }
    assert_eq!(
        links.len(),
        7 + 2 * 7,
        "the table, the top and the bottom ten link"
    );
    assert!(links.contains(&"communities/hz-binjiang-wulian.html".to_owned()));
    let one = std::fs::read_to_string(dir.join("communities/hz-binjiang-wulian.html")).unwrap();
    assert!(one.contains("滨江区物联现代产业社区 · 符合性评价报告"));

    let portfolio: serde_json::Value = serde_json::from_slice(
        &icgs(&[
            "check",
            "examples/profiles",
            "--allow-invalid",
            "--format",
            "json",
            "--view",
            "portfolio",
        ])
        .stdout,
    )
    .unwrap();
    let communities = portfolio["communities"].as_array().unwrap();
    let count =
        |f: &dyn Fn(&serde_json::Value) -> bool| communities.iter().filter(|c| f(c)).count() as u64;
    let m = probe(&index, 1280, PLAY);
    let e = &m["extra"];
    assert_eq!(e["all"], 7);
    assert_eq!(e["page"], 7, "fewer than a page: every row on screen");
    assert_eq!(e["search"], 1, "searching 青禾 finds the weak community");
    assert_eq!(e["shown"], "1", "and says how many it shows");
    assert_eq!(
        e["unqualified"].as_u64().unwrap(),
        count(&|c| c["grade"] == "unqualified")
    );
    assert_eq!(
        e["street"].as_u64().unwrap(),
        count(&|c| c["street"] == "西兴街道")
    );
    assert_eq!(e["street"], 1);
    let most = &portfolio["failing_clauses"][0];
    assert_eq!(e["failedRule"], most["rule"]);
    assert_eq!(e["failed"], most["count"]);
    let scores = |k: &str| -> Vec<f64> {
        e[k].as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_f64().unwrap())
            .collect()
    };
    let up = scores("ascending");
    assert!(up.windows(2).all(|w| w[0] <= w[1]), "{up:?}");
    assert!(up.first() < up.last(), "the scores differ: {up:?}");
    let down = scores("descending");
    assert!(down.windows(2).all(|w| w[0] >= w[1]), "{down:?}");
}

#[test]
fn the_dashboard_names_failed_clauses_with_titles_and_keeps_names_folded() {
    let file = render(
        "failing",
        "dashboard.html",
        &[
            "check",
            "examples/profiles",
            "--allow-invalid",
            "--format",
            "html",
        ],
    );
    let html = std::fs::read_to_string(file).unwrap();
    let failing = html.split("id=\"failing\"").nth(1).unwrap();
    let failing = failing.split("</section>").next().unwrap();
    for row in failing.split("<tr>").skip(2) {
        let cells: Vec<&str> = row.split("<td").collect();
        let title = cells[2];
        assert!(
            title.chars().any(|c| c >= '\u{4e00}'),
            "a failed clause has its title: {row}"
        );
        assert!(title.contains("<details><summary>"), "names folded: {row}");
    }
}

/// 2,000 communities varied from the examples: district, street, name and figures differ.
fn generate(dir: &Path, n: usize) {
    let mut examples: Vec<serde_json::Value> =
        std::fs::read_dir(common::root().join("examples/profiles"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .map(|p| serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap())
            .collect();
    examples.sort_by_key(|v| v["id"].as_str().unwrap().to_owned());
    let districts = [
        "上城区",
        "拱墅区",
        "西湖区",
        "滨江区",
        "萧山区",
        "余杭区",
        "临平区",
        "钱塘区",
    ];
    let mut seed: u64 = 0x2026;
    let mut next = move || {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        seed >> 33
    };
    for i in 0..n {
        let mut v = examples[i % examples.len()].clone();
        let district = districts[i % districts.len()];
        v["id"] = format!("gen-{i:04}").into();
        v["name"] = format!("{district}第{}产业社区", i + 1).into();
        v["name_en"] = format!("Industrial community {} of {district}", i + 1).into();
        v["district"] = district.into();
        v["street"] = format!("{}街道", ["东", "南", "西", "北", "中"][(i / 8) % 5]).into();
        if let Some(p) = v.pointer_mut("/population/industrial") {
            *p = (8_000 + next() % 30_000).into();
        }
        if let Some(premises) = v.get_mut("premises").and_then(|p| p.as_array_mut()) {
            for p in premises {
                p["floor_area_m2"] = (100 + next() % 1_000).into();
            }
        }
        std::fs::write(dir.join(format!("gen-{i:04}.json")), v.to_string()).unwrap();
    }
}

/// Takes a screenshot of `file` at `width` × `height` into `docs/images/<name>.png`.
fn screenshot(file: &Path, name: &str, width: u32, height: u32) {
    let png = common::root().join(format!("docs/images/{name}.png"));
    let o = chromium(&format!("shot-{name}"), width, height)
        .arg(format!("--screenshot={}", png.display()))
        .arg(file)
        .output()
        .expect("run chromium");
    assert!(png.is_file(), "{}", String::from_utf8_lossy(&o.stderr));
}

/// `ICGS_BLESS=1`: redraws the screenshots of docs/reports.md and measures the dashboard
/// of 2,000 communities (its size, and the time Chromium takes to lay it out), printed
/// for docs/reports.md. Without it, nothing is done: it takes minutes on a debug build.
#[test]
fn screenshots_and_the_dashboard_of_two_thousand_communities() {
    if std::env::var_os("ICGS_BLESS").is_none() {
        return;
    }
    std::fs::create_dir_all(common::root().join("docs/images")).unwrap();
    for (name, input, lang) in [
        ("report-weak-zh", "weak-community", "zh"),
        ("report-weak-en", "weak-community", "en"),
        ("report-good-zh", "binjiang-tech-innovation", "zh"),
        ("report-good-en", "binjiang-tech-innovation", "en"),
    ] {
        let path = format!("examples/profiles/{input}.json");
        let file = render(
            &format!("shot-{name}"),
            &format!("{name}.html"),
            &[
                "check",
                &path,
                "--allow-invalid",
                "--format",
                "html",
                "--lang",
                lang,
            ],
        );
        screenshot(&file, name, 1100, 1400);
    }
    let profiles = scratch("two-thousand");
    generate(&profiles, 2_000);
    let site = scratch("two-thousand-site");
    let started = std::time::Instant::now();
    let o = icgs(&[
        "check",
        profiles.to_str().unwrap(),
        "--allow-invalid",
        "--format",
        "html",
        "--output-dir",
        site.to_str().unwrap(),
    ]);
    let checked = started.elapsed();
    assert!(matches!(o.status.code(), Some(0 | 1)), "{}", stderr(&o));
    let index = site.join("index.html");
    let bytes = std::fs::metadata(&index).unwrap().len();
    assert!(
        bytes < 5_000_000,
        "the index of 2,000 communities is {bytes} bytes"
    );
    let m = probe(&index, 1280, PLAY);
    let e = &m["extra"];
    assert_eq!(e["all"], 2000);
    // One page on screen; each filter and sort over all 2,000.
    assert_eq!(e["page"], 100, "{e}");
    assert_eq!(e["pageAfterSort"], 100, "{e}");
    assert_eq!(e["unqualifiedOnScreen"], true, "{e}");
    let street = e["street"].as_u64().unwrap();
    assert!(street > 100, "{e}");
    assert_eq!(e["streetOnScreen"], 100, "{e}");
    let up: Vec<f64> = e["ascending"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect();
    assert_eq!(up.len(), 2000);
    assert!(up.windows(2).all(|w| w[0] <= w[1]), "sorted over all rows");
    assert_eq!(
        e["firstOnScreen"][0].as_f64().unwrap(),
        up[0],
        "the lowest first"
    );
    let ready = m["ready"].as_u64().unwrap();
    let steps: Vec<String> = e["ms"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| format!("{k} {v} ms"))
        .collect();
    let total: u64 = e["ms"]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_u64().unwrap())
        .sum();
    let started = std::time::Instant::now();
    screenshot(&index, "dashboard-2000", 1280, 1800);
    eprintln!(
        "2,000 communities: check + site {:.1} s (debug build), index.html {bytes} bytes, \
         laid out in Chromium after {ready} ms; each step until laid out again: {}; \
         all steps {total} ms; screenshot {:.1} s",
        checked.as_secs_f64(),
        steps.join(", "),
        started.elapsed().as_secs_f64()
    );
}
