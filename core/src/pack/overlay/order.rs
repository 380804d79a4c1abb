//! The order of packs: by layer, each after the pack it extends.

use std::collections::BTreeMap;

use super::context::manifest_file;
use crate::pack::error::{OverlayError, OverlayErrorKind as Kind};
use crate::pack::{BuildError, Pack};

/// Orders packs: by layer (standard, category, overlay, plugin), each pack after the pack
/// it extends, otherwise in the order given. Checks every `extends`.
///
/// # Errors
/// A base that is missing, of the wrong version or of a later layer, or a cycle.
pub(crate) fn order(packs: Vec<Pack>) -> Result<Vec<Pack>, BuildError> {
    let ids: BTreeMap<&str, usize> = packs
        .iter()
        .enumerate()
        .map(|(i, p)| (p.manifest.id.as_str(), i))
        .collect();
    let mut base: Vec<Option<usize>> = Vec::with_capacity(packs.len());
    for pack in &packs {
        let m = &pack.manifest;
        let Some(ext) = &m.extends else {
            base.push(None);
            continue;
        };
        let err = |kind, message: String| {
            BuildError::Overlay(OverlayError::new(
                manifest_file(pack),
                m.locations.get(&["extends"]),
                "extends",
                kind,
                message,
            ))
        };
        let Some(&b) = ids.get(ext.id.as_str()) else {
            let known: Vec<&str> = ids.keys().copied().filter(|k| *k != m.id).collect();
            return Err(err(
                Kind::MissingBase,
                format!(
                    "extends `{}` `{}`, which is not among the packs loaded ({})",
                    ext.id,
                    ext.version,
                    known.join(", ")
                ),
            ));
        };
        let Some(b_pack) = packs.get(b) else {
            continue;
        };
        if !ext.version.matches(&b_pack.manifest.version) {
            return Err(err(
                Kind::BaseVersion,
                format!(
                    "extends `{}` `{}`, but `{}` is version {} ({})",
                    ext.id, ext.version, ext.id, b_pack.manifest.version, b_pack.source
                ),
            ));
        }
        if b_pack.manifest.layer > m.layer {
            return Err(err(
                Kind::BaseLayer,
                format!(
                    "a {} pack cannot extend `{}`, a pack of the later {} layer",
                    m.layer.as_str(),
                    ext.id,
                    b_pack.manifest.layer.as_str()
                ),
            ));
        }
        base.push(Some(b));
    }
    // Kahn's algorithm, always taking the available pack of the lowest (layer, position).
    let mut placed = vec![false; packs.len()];
    let mut order = Vec::with_capacity(packs.len());
    while order.len() < packs.len() {
        let next = (0..packs.len())
            .filter(|&i| !placed.get(i).copied().unwrap_or(true))
            .filter(|&i| {
                base.get(i)
                    .copied()
                    .flatten()
                    .is_none_or(|b| placed.get(b).copied().unwrap_or(false))
            })
            .min_by_key(|&i| (packs.get(i).map(|p| p.manifest.layer), i));
        let Some(next) = next else {
            return Err(cycle(&packs, &base, &placed));
        };
        if let Some(p) = placed.get_mut(next) {
            *p = true;
        }
        order.push(next);
    }
    let mut slots: Vec<Option<Pack>> = packs.into_iter().map(Some).collect();
    Ok(order
        .into_iter()
        .filter_map(|i| slots.get_mut(i).and_then(Option::take))
        .collect())
}

/// Everything left waits on something left: follows `extends` to the cycle and names it.
fn cycle(packs: &[Pack], base: &[Option<usize>], placed: &[bool]) -> BuildError {
    let start = (0..packs.len())
        .find(|&i| !placed.get(i).copied().unwrap_or(true))
        .unwrap_or(0);
    let mut seen = vec![start];
    let mut at = start;
    while let Some(b) = base.get(at).copied().flatten() {
        if let Some(pos) = seen.iter().position(|&s| s == b) {
            seen.drain(..pos);
            seen.push(b);
            break;
        }
        seen.push(b);
        at = b;
    }
    let names: Vec<String> = seen
        .iter()
        .filter_map(|&i| packs.get(i))
        .map(|p| format!("`{}`", p.manifest.id))
        .collect();
    let first = seen.first().and_then(|&i| packs.get(i));
    let (file, pos) = first.map_or((String::new(), None), |p| {
        (manifest_file(p), p.manifest.locations.get(&["extends"]))
    });
    BuildError::Overlay(OverlayError::new(
        file,
        pos,
        "extends",
        Kind::Cycle,
        format!("packs extend each other in a cycle: {}", names.join(" → ")),
    ))
}
