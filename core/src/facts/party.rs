//! Party organisation levels against their own membership (6.1.2, REVISION-2 B and G).

use crate::model::{CommunityProfile, OrgKind, PartyLevel};

/// A party organisation whose level does not match its own membership (6.1.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartyMisfit {
    /// Its id.
    pub id: String,
    /// Its name, or its id when it has none (what messages show).
    pub name: String,
    /// Its members.
    pub members: u64,
    /// Its level.
    pub level: PartyLevel,
    /// The lowest level its membership calls for.
    pub expected: PartyLevel,
}

/// Party organisation levels against their own membership (6.1.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartyLevels {
    /// Party organisations with `party_members`.
    pub counted: usize,
    /// Ids of those with more members than `general_branch_min` and no `level`.
    pub unknown_level: Vec<String>,
    /// Those whose level is below what their membership calls for.
    pub misfits: Vec<PartyMisfit>,
}

/// Compares each party organisation with `party_members` with the thresholds: more than
/// `committee_min` members calls for a committee, more than `general_branch_min` for a
/// general branch or a committee (strictly more: 超过). `None` when organisations are
/// absent.
#[must_use]
pub fn party_levels(
    profile: &CommunityProfile,
    general_branch_min: u64,
    committee_min: u64,
) -> Option<PartyLevels> {
    let orgs = profile.organizations.as_deref()?;
    let mut levels = PartyLevels {
        counted: 0,
        unknown_level: Vec::new(),
        misfits: Vec::new(),
    };
    for org in orgs.iter().filter(|o| o.kind == OrgKind::PartyOrganization) {
        let Some(members) = org.party_members else {
            continue;
        };
        levels.counted += 1;
        let expected = if members > committee_min {
            PartyLevel::Committee
        } else if members > general_branch_min {
            PartyLevel::GeneralBranch
        } else {
            continue;
        };
        match org.level {
            None => levels.unknown_level.push(org.id.clone()),
            Some(level) if level < expected => levels.misfits.push(PartyMisfit {
                id: org.id.clone(),
                name: org.name.clone().unwrap_or_else(|| org.id.clone()),
                members,
                level,
                expected,
            }),
            Some(_) => {}
        }
    }
    Some(levels)
}

/// A party level in Chinese.
const fn level_zh(level: PartyLevel) -> &'static str {
    match level {
        PartyLevel::Branch => "党支部",
        PartyLevel::GeneralBranch => "党总支",
        PartyLevel::Committee => "党委",
    }
}

/// A party level in English.
const fn level_en(level: PartyLevel) -> &'static str {
    match level {
        PartyLevel::Branch => "a branch",
        PartyLevel::GeneralBranch => "a general branch",
        PartyLevel::Committee => "a committee",
    }
}

impl PartyLevels {
    /// The misfits in words, for a message's `{detail}`: (Chinese, English), empty when
    /// there is none.
    #[must_use]
    pub fn gaps(&self) -> (String, String) {
        let zh: Vec<String> = self
            .misfits
            .iter()
            .map(|m| {
                let at_least = if m.expected == PartyLevel::Committee {
                    "党委"
                } else {
                    "党总支或党委"
                };
                format!(
                    "{}有党员{}人，设为{}，宜设{at_least}",
                    m.name,
                    m.members,
                    level_zh(m.level)
                )
            })
            .collect();
        let en: Vec<String> = self
            .misfits
            .iter()
            .map(|m| {
                let at_least = if m.expected == PartyLevel::Committee {
                    "a committee"
                } else {
                    "a general branch or a committee"
                };
                format!(
                    "{} has {} members and is {}; it should be {at_least}",
                    m.name,
                    m.members,
                    level_en(m.level)
                )
            })
            .collect();
        super::detail(&zh, &en)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]

    use serde_json::json;

    use super::*;

    fn levels(orgs: serde_json::Value) -> Option<PartyLevels> {
        let profile: CommunityProfile = serde_json::from_value(json!({
            "id": "t", "as_of": "2026-06-30", "organizations": orgs
        }))
        .unwrap();
        party_levels(&profile, 50, 100)
    }

    fn party(id: &str, members: u64, level: Option<&str>) -> serde_json::Value {
        json!({ "id": id, "kind": "party-organization", "party_members": members, "level": level })
    }

    #[test]
    fn more_than_is_strict() {
        let l = levels(json!([
            party("a", 50, Some("branch")),
            party("b", 100, Some("general-branch")),
            party("c", 51, Some("branch")),
            party("d", 101, Some("general-branch")),
            party("e", 30, None),
        ]))
        .unwrap();
        assert_eq!(l.counted, 5);
        let ids: Vec<&str> = l.misfits.iter().map(|m| m.id.as_str()).collect();
        assert_eq!(ids, ["c", "d"]);
        assert!(l.unknown_level.is_empty());
        let (zh, en) = l.gaps();
        assert_eq!(
            zh,
            "：c有党员51人，设为党支部，宜设党总支或党委；d有党员101人，设为党总支，宜设党委"
        );
        assert!(
            en.contains("d has 101 members and is a general branch; it should be a committee"),
            "{en}"
        );
    }

    #[test]
    fn only_party_organisations_with_members_count() {
        let l = levels(json!([
            party("a", 51, None),
            { "id": "b", "kind": "party-organization", "level": "branch" },
            { "id": "c", "kind": "governance-committee", "party_members": 500 },
        ]))
        .unwrap();
        assert_eq!(
            (l.counted, l.unknown_level.as_slice()),
            (1, ["a".to_owned()].as_slice())
        );
        assert!(levels(json!([])).is_some_and(|l| l.counted == 0));
    }
}
