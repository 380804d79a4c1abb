//! Choosing the one chain of overlays an evaluation uses (docs/overlays.md, "One chain per
//! evaluation"): the standard and every category pack always, and of the overlays exactly
//! one `extends` line — named (`--overlay binjiang`, [`PackSet::named`]), matched to the
//! community's `city` and `district` by each overlay's `applies_to` ([`PackSet::for_place`]),
//! or, when neither is given, the overlays loaded if they form one line ([`PackSet::only`]).
//! Two overlays on different branches (Binjiang and Xihu both on Hangzhou) are never stacked:
//! that is an error naming both.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::{BuildError, Layer, Pack};
use crate::types::{ChosenBy, OverlayChain, Text as Message};

/// Where an overlay applies: the communities whose profile `city` and `district` match.
/// Each key is a name or a list of names; a key left out matches every community.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppliesTo {
    /// Cities (the profile's `city`, e.g. 杭州市).
    #[serde(
        default,
        deserialize_with = "one_or_many",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub city: Vec<String>,
    /// Districts (the profile's `district`, e.g. 滨江区).
    #[serde(
        default,
        deserialize_with = "one_or_many",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub district: Vec<String>,
}

impl AppliesTo {
    /// Whether a community of `city` and `district` is one this overlay applies to; an
    /// absent `city` or `district` matches only a key left out.
    #[must_use]
    pub fn matches(&self, city: Option<&str>, district: Option<&str>) -> bool {
        let fits = |names: &[String], value: Option<&str>| {
            names.is_empty() || value.is_some_and(|v| names.iter().any(|n| n == v.trim()))
        };
        fits(&self.city, city) && fits(&self.district, district)
    }
}

fn one_or_many<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    Ok(match OneOrMany::deserialize(d)? {
        OneOrMany::One(s) => vec![s],
        OneOrMany::Many(v) => v,
    })
}

/// Every pack loaded (standard, categories, any number of overlays), from which each
/// evaluation takes one [`Chain`].
#[derive(Debug, Clone, Default)]
pub struct PackSet {
    packs: Vec<Pack>,
}

/// The packs of one evaluation: the standard, the category packs and one line of overlays,
/// with the report's account of which overlays and why.
#[derive(Debug, Clone)]
pub struct Chain {
    /// The packs to build an engine from.
    pub packs: Vec<Pack>,
    /// The overlays, lowest first, and how they were chosen.
    pub overlays: OverlayChain,
}

impl Chain {
    /// A key that is equal for equal chains: the overlay ids, lowest first.
    #[must_use]
    pub fn key(&self) -> String {
        self.overlays.overlays.join(">")
    }
}

impl PackSet {
    /// The packs; a pack with the id of an earlier one replaces it.
    #[must_use]
    pub fn new(packs: impl IntoIterator<Item = Pack>) -> Self {
        let mut set = Self::default();
        set.extend(packs);
        set
    }

    /// Adds `pack`, replacing the pack of the same id (so `--pack policies/standard` is
    /// used instead of the embedded standard); the pack is put after the others.
    pub fn insert(&mut self, pack: Pack) {
        self.packs.retain(|p| p.manifest.id != pack.manifest.id);
        self.packs.push(pack);
    }

    /// Every pack loaded.
    #[must_use]
    pub fn packs(&self) -> &[Pack] {
        &self.packs
    }

    /// The packs, in the order they were added.
    #[must_use]
    pub fn into_packs(self) -> Vec<Pack> {
        self.packs
    }

    /// Whether some overlay declares `applies_to`, so that the chain depends on the
    /// community.
    #[must_use]
    pub fn has_places(&self) -> bool {
        self.overlays().any(|p| p.manifest.applies_to.is_some())
    }

    /// The overlays no other overlay loaded extends: each ends one chain.
    #[must_use]
    pub fn leaves(&self) -> Vec<String> {
        let extended: BTreeSet<&str> = self
            .overlays()
            .filter_map(|p| p.manifest.extends.as_ref().map(|e| e.id.as_str()))
            .collect();
        self.overlays()
            .map(|p| p.manifest.id.clone())
            .filter(|id| !extended.contains(id.as_str()))
            .collect()
    }

    fn overlays(&self) -> impl Iterator<Item = &Pack> {
        self.packs
            .iter()
            .filter(|p| p.manifest.layer == Layer::Overlay)
    }

    fn overlay(&self, id: &str) -> Option<&Pack> {
        self.overlays().find(|p| p.manifest.id == id)
    }

    /// `id` and the overlays it extends, down to the first pack that is not an overlay
    /// (a missing base is reported when the engine orders the packs).
    fn line(&self, id: &str) -> Vec<&Pack> {
        let mut line = Vec::new();
        let mut at = self.overlay(id);
        while let Some(pack) = at {
            if line
                .iter()
                .any(|p: &&Pack| p.manifest.id == pack.manifest.id)
            {
                break; // a cycle, reported when the engine orders the packs
            }
            line.push(pack);
            at = pack
                .manifest
                .extends
                .as_ref()
                .and_then(|e| self.overlay(&e.id));
        }
        line
    }

    /// The overlay `id` and its `extends` ancestry, for every community.
    ///
    /// # Errors
    /// No overlay of that id is loaded (with the closest id).
    pub fn named(&self, id: &str) -> Result<Chain, BuildError> {
        if self.overlay(id).is_none() {
            let loaded: Vec<String> = self.overlays().map(|p| p.manifest.id.clone()).collect();
            return Err(BuildError::UnknownOverlay {
                closest: crate::validate::words::closest(id, loaded.iter().map(String::as_str))
                    .map(str::to_owned),
                id: id.to_owned(),
                loaded,
            });
        }
        Ok(self.chain(&self.line(id), ChosenBy::Named))
    }

    /// The overlays that apply to a community of `city` and `district`: those whose
    /// `applies_to` matches or who declare none, which must lie on one line; the deepest
    /// and its ancestry are used.
    ///
    /// # Errors
    /// Two applicable overlays are on different branches (named, with their bases).
    pub fn for_place(
        &self,
        city: Option<&str>,
        district: Option<&str>,
    ) -> Result<Chain, BuildError> {
        let candidates: Vec<&Pack> = self
            .overlays()
            .filter(|p| {
                p.manifest
                    .applies_to
                    .as_ref()
                    .is_none_or(|a| a.matches(city, district))
            })
            .collect();
        let how = if self.has_places() {
            ChosenBy::AppliesTo
        } else {
            ChosenBy::OnlyChain
        };
        self.one_line(&candidates, how)
    }

    /// Every overlay loaded, which must lie on one line (`applies_to` is not consulted).
    ///
    /// # Errors
    /// Two overlays are on different branches (named, with their bases).
    pub fn only(&self) -> Result<Chain, BuildError> {
        let all: Vec<&Pack> = self.overlays().collect();
        self.one_line(&all, ChosenBy::OnlyChain)
    }

    fn one_line(&self, candidates: &[&Pack], how: ChosenBy) -> Result<Chain, BuildError> {
        let lines: Vec<Vec<&Pack>> = candidates
            .iter()
            .map(|p| self.line(&p.manifest.id))
            .collect();
        // The first deepest, so that the error names the overlays in the order loaded.
        let Some(deepest) = lines.iter().rev().max_by_key(|l| l.len()) else {
            return Ok(self.chain(&[], ChosenBy::None));
        };
        let on_line: BTreeSet<&str> = deepest.iter().map(|p| p.manifest.id.as_str()).collect();
        if let Some(other) = candidates
            .iter()
            .find(|p| !on_line.contains(p.manifest.id.as_str()))
        {
            let leaf = deepest.first().map_or("", |p| p.manifest.id.as_str());
            return Err(branches(leaf, other, &on_line, self));
        }
        Ok(self.chain(deepest, how))
    }

    fn chain(&self, line: &[&Pack], how: ChosenBy) -> Chain {
        let ids: BTreeSet<&str> = line.iter().map(|p| p.manifest.id.as_str()).collect();
        let packs = self
            .packs
            .iter()
            .filter(|p| p.manifest.layer != Layer::Overlay || ids.contains(p.manifest.id.as_str()))
            .cloned()
            .collect();
        Chain {
            packs,
            overlays: OverlayChain {
                overlays: line
                    .iter()
                    .rev()
                    .map(|p| p.manifest.pack_ref().to_string())
                    .collect(),
                names: line
                    .iter()
                    .rev()
                    .map(|p| Message {
                        zh: p.manifest.name.zh.clone(),
                        en: p.manifest.name.en.clone(),
                    })
                    .collect(),
                chosen_by: how,
            },
        }
    }
}

impl Extend<Pack> for PackSet {
    /// Adds each pack in turn ([`PackSet::insert`]).
    fn extend<I: IntoIterator<Item = Pack>>(&mut self, packs: I) {
        for pack in packs {
            self.insert(pack);
        }
    }
}

impl FromIterator<Pack> for PackSet {
    fn from_iter<I: IntoIterator<Item = Pack>>(packs: I) -> Self {
        Self::new(packs)
    }
}

impl IntoIterator for PackSet {
    type Item = Pack;
    type IntoIter = std::vec::IntoIter<Pack>;

    fn into_iter(self) -> Self::IntoIter {
        self.packs.into_iter()
    }
}

/// Two overlays that both apply but are not on one line: named with the base they share.
fn branches(leaf: &str, other: &Pack, line: &BTreeSet<&str>, set: &PackSet) -> BuildError {
    let other_line = set.line(&other.manifest.id);
    let shared = other_line
        .iter()
        .find(|p| line.contains(p.manifest.id.as_str()))
        .map_or_else(
            || {
                other_line
                    .last()
                    .and_then(|p| p.manifest.extends.as_ref())
                    .map(|e| e.id.clone())
            },
            |p| Some(p.manifest.id.clone()),
        );
    BuildError::Branches {
        file: format!("{}/pack.toml", other.source),
        position: other.manifest.locations.get(&["extends"]),
        leaf: leaf.to_owned(),
        other: other.manifest.id.clone(),
        shared,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]

    use super::*;

    #[test]
    fn a_pack_replaces_the_one_of_its_id_and_goes_last() {
        let embedded = Pack::embedded().unwrap();
        let mut standard = embedded
            .iter()
            .find(|p| p.manifest.id == "standard")
            .unwrap()
            .clone();
        standard.source = "policies/standard".to_owned();
        let mut set = PackSet::new(embedded.clone());
        set.insert(standard);
        assert_eq!(set.packs().len(), embedded.len(), "replaced, not added");
        let last = set.packs().last().unwrap();
        assert_eq!(
            (last.manifest.id.as_str(), last.source.as_str()),
            ("standard", "policies/standard")
        );
        assert_eq!(
            set.packs()
                .iter()
                .filter(|p| p.manifest.id == "standard")
                .count(),
            1
        );
        // `extend`, `collect` and `new` replace the same way.
        let collected: PackSet = set.clone().into_iter().chain(embedded.clone()).collect();
        assert_eq!(collected.packs().len(), embedded.len());
        assert_eq!(
            collected.packs().last().unwrap().manifest.id,
            embedded.last().unwrap().manifest.id
        );
        assert!(
            collected
                .packs()
                .iter()
                .all(|p| p.source.starts_with("embedded:"))
        );
    }
}
