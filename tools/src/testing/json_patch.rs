//! RFC 6902 JSON Patch for test cases: a `patch` that is an array of operations changes
//! single elements of arrays (`/staff/0/hours`), which a merge patch can only replace whole.
//! Operations: `add`, `remove`, `replace`, `move`, `copy`, `test`; pointers are RFC 6901
//! (`~1` for `/`, `~0` for `~`); `-` appends to an array in `add`, `move` and `copy`.

use serde_json::Value;

/// Applies `ops` to `doc` in order, all or nothing.
///
/// # Errors
/// The operation at index `i` is malformed, its path does not exist, or its `test` fails;
/// the message names the operation's index and path.
pub fn apply(doc: &mut Value, ops: &[Value]) -> Result<(), String> {
    let mut work = doc.clone();
    for (i, op) in ops.iter().enumerate() {
        one(&mut work, op).map_err(|e| format!("patch operation {i}: {e}"))?;
    }
    *doc = work;
    Ok(())
}

fn field<'a>(op: &'a Value, name: &str) -> Result<&'a Value, String> {
    op.get(name).ok_or_else(|| format!("needs `{name}`"))
}

fn text<'a>(op: &'a Value, name: &str) -> Result<&'a str, String> {
    field(op, name)?
        .as_str()
        .ok_or_else(|| format!("`{name}` is not a string"))
}

fn one(doc: &mut Value, op: &Value) -> Result<(), String> {
    let path = text(op, "path")?;
    match text(op, "op")? {
        "add" => add(doc, path, field(op, "value")?.clone()),
        "remove" => remove(doc, path).map(drop),
        "replace" => {
            let value = field(op, "value")?.clone();
            let target = doc
                .pointer_mut(path)
                .ok_or_else(|| format!("`{path}`: nothing to replace"))?;
            *target = value;
            Ok(())
        }
        "move" => {
            let value = remove(doc, text(op, "from")?)?;
            add(doc, path, value)
        }
        "copy" => {
            let from = text(op, "from")?;
            let value = doc
                .pointer(from)
                .cloned()
                .ok_or_else(|| format!("`{from}`: nothing to copy"))?;
            add(doc, path, value)
        }
        "test" => match doc.pointer(path) {
            Some(v) if v == field(op, "value")? => Ok(()),
            Some(v) => Err(format!("`{path}`: test failed, found {v}")),
            None => Err(format!("`{path}`: test failed, nothing there")),
        },
        other => Err(format!(
            "unknown op `{other}`; expected add, remove, replace, move, copy or test"
        )),
    }
}

/// The parent's pointer and the last token, unescaped.
fn split(path: &str) -> Result<(&str, String), String> {
    let (parent, last) = path
        .rsplit_once('/')
        .ok_or_else(|| format!("`{path}` is not a JSON pointer (starts with `/`)"))?;
    Ok((parent, last.replace("~1", "/").replace("~0", "~")))
}

fn index(token: &str, len: usize, path: &str) -> Result<usize, String> {
    token
        .parse::<usize>()
        .ok()
        .filter(|i| *i <= len && (token == "0" || !token.starts_with('0')))
        .ok_or_else(|| format!("`{path}`: `{token}` is not an index of an array of {len}"))
}

fn add(doc: &mut Value, path: &str, value: Value) -> Result<(), String> {
    if path.is_empty() {
        *doc = value;
        return Ok(());
    }
    let (parent, token) = split(path)?;
    match doc.pointer_mut(parent) {
        Some(Value::Object(map)) => {
            map.insert(token, value);
            Ok(())
        }
        Some(Value::Array(items)) => {
            let at = if token == "-" {
                items.len()
            } else {
                index(&token, items.len(), path)?
            };
            items.insert(at, value);
            Ok(())
        }
        _ => Err(format!("`{path}`: no object or array at `{parent}`")),
    }
}

fn remove(doc: &mut Value, path: &str) -> Result<Value, String> {
    let (parent, token) = split(path)?;
    let missing = || format!("`{path}`: nothing to remove");
    match doc.pointer_mut(parent) {
        Some(Value::Object(map)) => map.remove(&token).ok_or_else(missing),
        Some(Value::Array(items)) => {
            let at = index(&token, items.len(), path)?;
            if at == items.len() {
                return Err(missing());
            }
            Ok(items.remove(at))
        }
        _ => Err(missing()),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]

    use serde_json::json;

    use super::apply;

    #[test]
    fn changes_one_element_of_an_array() {
        let mut doc = json!({"staff": [{"hours": 40}, {"hours": 20}]});
        let ops = json!([
            {"op": "test", "path": "/staff/1/hours", "value": 20},
            {"op": "replace", "path": "/staff/1/hours", "value": 10},
            {"op": "add", "path": "/staff/-", "value": {"hours": 5}},
            {"op": "remove", "path": "/staff/0"},
            {"op": "copy", "from": "/staff/0", "path": "/first"},
            {"op": "move", "from": "/first", "path": "/moved"}
        ]);
        apply(&mut doc, ops.as_array().unwrap()).unwrap();
        assert_eq!(
            doc,
            json!({"staff": [{"hours": 10}, {"hours": 5}], "moved": {"hours": 10}})
        );
    }

    #[test]
    fn a_failing_operation_names_its_index_and_changes_nothing() {
        let mut doc = json!({"a": [1]});
        let ops = json!([
            {"op": "add", "path": "/b", "value": 1},
            {"op": "replace", "path": "/a/3", "value": 2}
        ]);
        let err = apply(&mut doc, ops.as_array().unwrap()).unwrap_err();
        assert_eq!(err, "patch operation 1: `/a/3`: nothing to replace");
        assert_eq!(doc, json!({"a": [1]}));
        let err = apply(
            &mut doc,
            &[json!({"op": "test", "path": "/a/0", "value": 2})],
        )
        .unwrap_err();
        assert!(err.contains("test failed, found 1"), "{err}");
        let err = apply(&mut doc, &[json!({"op": "remove", "path": "/a/01"})]).unwrap_err();
        assert!(err.contains("not an index"), "{err}");
        let err = apply(&mut doc, &[json!({"op": "merge", "path": "/a"})]).unwrap_err();
        assert!(err.contains("unknown op `merge`"), "{err}");
    }
}
