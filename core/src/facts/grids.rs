//! "1+3+N" grid staffing (6.7.1, REVISION-2 B and G): per grid, exactly one 网格长 in `one`;
//! the people of `three` fill every slot of `grid_three_slots` (a slot is `role` or
//! `role:employment`), one slot each; an id that is no staff record fails its grid.

use std::collections::BTreeSet;

use super::{Facts, GridRecord, Person};
use crate::model::{Employment, Role};

/// A slot of the "3": a role, and the employment it needs when given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slot {
    /// The role the person must hold.
    pub role: Role,
    /// The employment the person must have, when the slot names one.
    pub employment: Option<Employment>,
}

impl Slot {
    /// Reads `role` or `role:employment` (`grid-worker:full-time`); `None` for an unknown code.
    #[must_use]
    pub fn parse(text: &str) -> Option<Self> {
        let (role, employment) = match text.split_once(':') {
            Some((r, e)) => (r, Some(e)),
            None => (text, None),
        };
        let role = Role::ALL.iter().copied().find(|r| r.as_str() == role)?;
        let employment = match employment {
            Some(e) => Some(Employment::ALL.iter().copied().find(|x| x.as_str() == e)?),
            None => None,
        };
        Some(Self { role, employment })
    }

    fn filled_by(self, p: &Person) -> bool {
        p.roles.contains(&self.role) && self.employment.is_none_or(|e| p.employment == Some(e))
    }

    /// The Chinese term: 专职网格员, 兼职网格员, 网格指导员.
    #[must_use]
    pub fn zh(self) -> String {
        format!(
            "{}{}",
            self.employment.map_or("", Employment::zh),
            self.role.zh()
        )
    }

    /// The English term: full-time grid worker …
    #[must_use]
    pub fn en(self) -> String {
        match self.employment {
            Some(e) => format!("{} {}", e.en(), self.role.en()),
            None => self.role.en().to_owned(),
        }
    }
}

/// What one grid lacks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GridGap {
    /// The grid's id.
    pub grid: String,
    /// Its place in the list of grids, from 1: grids have no names, so Chinese prose
    /// names a grid by its place (第3个网格), never by its id.
    pub ordinal: usize,
    /// `one` names no grid chief (empty, or its person is not a 网格长).
    pub no_chief: bool,
    /// `one` names more than one person.
    pub several_chiefs: bool,
    /// Slots of the "3" no distinct person fills (indexes into the slots asked for).
    pub unfilled: Vec<usize>,
    /// Ids in `one`, `three` or `n` that are no staff record.
    pub unresolved: Vec<String>,
}

impl GridGap {
    fn is_empty(&self) -> bool {
        !self.no_chief
            && !self.several_chiefs
            && self.unfilled.is_empty()
            && self.unresolved.is_empty()
    }
}

/// The staffing of every grid against the slots asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Staffing {
    /// Number of grids.
    pub grids: u64,
    /// The grids not staffed on the model, in list order.
    pub gaps: Vec<GridGap>,
    /// The slots asked for, as written (a code no role matches is never filled).
    pub slots: Vec<String>,
}

/// Distinct ids in list order: the same id twice is one person.
fn distinct(ids: &[String]) -> Vec<&str> {
    // A grid lists a handful of ids: a scan of those kept is cheaper than a set, and a long
    // list (a malformed profile) still takes the set, never quadratic time.
    if ids.len() <= 16 {
        let mut kept: Vec<&str> = Vec::with_capacity(ids.len());
        for id in ids {
            if !kept.contains(&id.as_str()) {
                kept.push(id);
            }
        }
        return kept;
    }
    let mut seen = BTreeSet::new();
    ids.iter()
        .map(String::as_str)
        .filter(|id| seen.insert(*id))
        .collect()
}

/// Fills as many slots as possible with distinct people (a bipartite matching by augmenting
/// paths; slots and people are a handful); returns the slots left unfilled.
fn unfilled_slots(slots: &[Option<Slot>], people: &[&Person]) -> Vec<usize> {
    fn assign(
        slot: usize,
        slots: &[Option<Slot>],
        people: &[&Person],
        holder: &mut [Option<usize>],
        seen: &mut [bool],
    ) -> bool {
        let Some(Some(wanted)) = slots.get(slot) else {
            return false;
        };
        for (i, p) in people.iter().enumerate() {
            if !wanted.filled_by(p) || seen[i] {
                continue;
            }
            seen[i] = true;
            let free = match holder[i] {
                None => true,
                Some(other) => assign(other, slots, people, holder, seen),
            };
            if free {
                holder[i] = Some(slot);
                return true;
            }
        }
        false
    }
    let mut holder = vec![None; people.len()];
    (0..slots.len())
        .filter(|&s| {
            !assign(
                s,
                slots,
                people,
                &mut holder,
                &mut vec![false; people.len()],
            )
        })
        .collect()
}

/// Grids by their place in the list, in words: “第3个网格”, “第3、5个网格”.
fn grid_ordinals(gaps: &[&GridGap]) -> String {
    let places: Vec<String> = gaps.iter().map(|g| g.ordinal.to_string()).collect();
    format!("第{}个网格", places.join("、"))
}

/// What grid `g` lacks; its id and place are left for the caller to fill in (only a grid
/// with a gap needs them).
fn grid_gap(g: &GridRecord, slots: &[Option<Slot>], people: &super::People) -> GridGap {
    let mut gap = GridGap::default();
    let (one, three) = (distinct(&g.one), distinct(&g.three));
    for &id in one.iter().chain(&three).chain(&distinct(&g.n)) {
        if !people.contains_key(id) && !gap.unresolved.iter().any(|u| u == id) {
            gap.unresolved.push(id.to_owned());
        }
    }
    match one.as_slice() {
        [] => gap.no_chief = true,
        [id] => {
            // The chief's employment is not checked (G); an unresolved id is named as such.
            gap.no_chief = people
                .get(*id)
                .is_some_and(|p| !p.roles.contains(&Role::GridChief));
        }
        _ => gap.several_chiefs = true,
    }
    let three: Vec<&Person> = three.iter().filter_map(|id| people.get(*id)).collect();
    gap.unfilled = unfilled_slots(slots, &three);
    gap
}

impl Facts {
    /// Grids not staffed "1+3+N" with `slots` as the "3" (6.7.1); `None` when the grids are
    /// absent, or there are grids and the staff list is absent (G1).
    #[must_use]
    pub fn grid_staffing(&self, slots: &[String]) -> Option<Staffing> {
        let grids = self.records.grids.as_deref()?;
        if !grids.is_empty() && self.records.people.is_none() {
            return None;
        }
        let none = super::People::new();
        let people = self.records.people.as_ref().unwrap_or(&none);
        let parsed: Vec<Option<Slot>> = slots.iter().map(|s| Slot::parse(s)).collect();
        let gaps = grids
            .iter()
            .enumerate()
            .filter_map(|(i, g)| {
                let gap = grid_gap(g, &parsed, people);
                (!gap.is_empty()).then(|| GridGap {
                    grid: g.id.clone(),
                    ordinal: i + 1,
                    ..gap
                })
            })
            .collect();
        Some(Staffing {
            grids: grids.len() as u64,
            gaps,
            slots: slots.to_vec(),
        })
    }

    /// Ids in `one`, `three` or `n` of any grid that are no staff record (C.CB.1); `None`
    /// when the grids are absent, or there are grids and the staff list is absent.
    #[must_use]
    pub fn grid_unresolved_ids(&self) -> Option<u64> {
        let grids = self.records.grids.as_deref()?;
        if grids.is_empty() {
            return Some(0);
        }
        let people = self.records.people.as_ref()?;
        let ids: BTreeSet<&str> = grids
            .iter()
            .flat_map(|g| g.one.iter().chain(&g.three).chain(&g.n))
            .map(String::as_str)
            .filter(|id| !people.contains_key(*id))
            .collect();
        Some(ids.len() as u64)
    }
}

impl Staffing {
    /// The gaps in words, Chinese and English: "网格长未配备：网格 g-03；…"; `None` when
    /// every grid is staffed.
    #[must_use]
    pub fn describe(&self) -> Option<(String, String)> {
        if self.grids == 0 {
            return Some((
                "未设网格，无从按“1+3+N”配置网格力量".to_owned(),
                "no grid: no grid force is staffed on the \"1+3+N\" model".to_owned(),
            ));
        }
        if self.gaps.is_empty() {
            return None;
        }
        let mut zh = Vec::new();
        let mut en = Vec::new();
        let mut kind = |pick: &dyn Fn(&GridGap) -> bool, what_zh: String, what_en: String| {
            let picked: Vec<&GridGap> = self.gaps.iter().filter(|g| pick(g)).collect();
            let ids: Vec<&str> = picked.iter().map(|g| g.grid.as_str()).collect();
            if !ids.is_empty() {
                zh.push(format!("{what_zh}：{}", grid_ordinals(&picked)));
                let noun = if ids.len() == 1 { "grid" } else { "grids" };
                en.push(format!("{what_en}: {noun} {}", ids.join(", ")));
            }
        };
        kind(
            &|g| g.no_chief,
            "网格长未配备".into(),
            "no grid chief".into(),
        );
        kind(
            &|g| g.several_chiefs,
            "网格长多于1人".into(),
            "more than one grid chief".into(),
        );
        for (i, code) in self.slots.iter().enumerate() {
            let (name_zh, name_en) = Slot::parse(code).map_or_else(
                || (format!("“{code}”"), format!("\"{code}\"")),
                |s| (s.zh(), s.en()),
            );
            kind(
                &|g| g.unfilled.contains(&i),
                format!("{name_zh}未配备"),
                format!("no {name_en}"),
            );
        }
        for g in self.gaps.iter().filter(|g| !g.unresolved.is_empty()) {
            zh.push(format!(
                "人员名单中无此人：{}（{}）",
                g.unresolved.join("、"),
                grid_ordinals(&[g])
            ));
            en.push(format!(
                "not in the staff list: {} (grid {})",
                g.unresolved.join(", "),
                g.grid
            ));
        }
        Some((
            format!(
                "未按“1+3+N”配置的网格 {} 个（共 {} 个）——{}",
                self.gaps.len(),
                self.grids,
                zh.join("；")
            ),
            format!(
                "{} of {} grids not staffed on the \"1+3+N\" model — {}",
                self.gaps.len(),
                self.grids,
                en.join("; ")
            ),
        ))
    }
}
