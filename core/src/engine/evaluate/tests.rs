#![allow(clippy::unwrap_used, reason = "tests")]

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::{Fills, Finish, Template, with_level, with_params};
use crate::report::ParamUse;
use crate::types::Level;

fn params() -> BTreeMap<String, ParamUse> {
    let used = |value: Value| -> ParamUse {
        serde_json::from_value(json!({ "value": value, "layer": "standard@1.0.0" })).unwrap()
    };
    BTreeMap::from([
        ("min".to_owned(), used(json!(0.4))),
        ("count".to_owned(), used(json!(12_000))),
        ("braced".to_owned(), used(json!("{level}"))),
    ])
}

/// The message as filled before: placeholders left as written, then the whole text
/// searched for `{param.…}`, then for `{level}`.
fn searched(t: &Template, observed: &Value, fills: &Fills<'_>, level: Level, zh: bool) -> String {
    let (literal, done) = t.fill(observed, &json!(3), "细节{level}", fills, None);
    assert!(!done);
    with_level(with_params(literal, &params(), zh), level, zh)
}

#[test]
fn params_and_level_filled_in_one_pass_read_as_the_search_of_the_whole_text() {
    let params = params();
    let named = serde_json::Map::from_iter([("n".to_owned(), json!("{param.count}"))]);
    let fills = Fills {
        text: None,
        named: &named,
        share: false,
    };
    let templates = [
        "至少{param.min:percent}，{level}达到{observed}（{param.count:wan}人）",
        "{param.unknown}{level}{observed}",
        "{{level}}{param.min}",
        "{param.braced}与{level}",
        "{observed}{level}{required}",
        "{level:x}{level}",
        "{param.}{level}",
        "{param.min{observed}}{level}",
        "{detail}{level}{detail.n}",
        "no placeholder at all",
    ];
    let observed = [
        json!(5),
        json!("{level}"),
        json!("{param.min}"),
        json!(["a", "{"]),
    ];
    for text in templates {
        for zh in [true, false] {
            let t = Template::parse(text, zh);
            for o in &observed {
                for level in [Level::Shall, Level::ShallNot, Level::Should] {
                    let finish = Finish {
                        params: &params,
                        level,
                    };
                    let (filled, done) = t.fill(o, &json!(3), "细节{level}", &fills, Some(finish));
                    let filled = if done {
                        filled
                    } else {
                        with_level(with_params(filled, &params, zh), level, zh)
                    };
                    assert_eq!(
                        filled,
                        searched(&t, o, &fills, level, zh),
                        "{text} with {o}"
                    );
                }
            }
        }
    }
    // The usual template takes the single pass.
    let t = Template::parse("至少{param.min:percent}，{level}达到{observed}", true);
    let finish = Finish {
        params: &params,
        level: Level::Shall,
    };
    let (filled, done) = t.fill(&json!(5), &json!(3), "", &fills, Some(finish));
    assert!(done);
    assert_eq!(filled, "至少40%，应达到5");
}
