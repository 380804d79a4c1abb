//! The community profile: the standard's vocabulary as Rust types.
//!
//! Field names are a contract shared with policy scripts, plugins and data exporters
//! (see `docs/profile.md`). The types read leniently: anything the standard's readings
//! treat as possibly absent is an `Option` (absent data is never a default zero), and lists
//! inside items read as empty when absent. Strictness — required fields, unknown fields,
//! ranges, formats — lives in the generated JSON Schema and in [`crate::validate`], so a
//! profile with gaps can still be evaluated and its gaps reported as `insufficient-data`.

mod cases;
mod catalogue;
mod community;
mod evaluation;
mod organisations;
mod platform;
mod premises;
mod safety;
mod staff;
mod terms;

pub use cases::{Case, CaseKind, CaseSource};
pub use catalogue::{
    Channel, Domain, Fee, Frequency, FrequencyPeriod, OnDemand, Period, ProviderKind, Service,
    ServiceCatalogue, ServiceKind, ServiceMode, ServiceRecords, ServiceTarget,
};
pub use community::{
    Boundary, CategoryId, CommunityProfile, Enterprises, FourBounds, GovernanceModel,
    KeyEnterprise, Population, PopulationSource,
};
pub use evaluation::{
    Evaluation, EvaluationKind, EvaluationScores, Evidence, EvidenceKind, Finding,
    ImprovementAction, Satisfaction, Waiver,
};
pub use organisations::{
    Affiliation, Meeting, MeetingKind, Member, NewStratumGroup, OrgKind, Organization, PartyLevel,
};
pub use platform::{Capability, DashboardIndicator, Platform, PrivacyControl};
pub use premises::{OpeningHours, Ownership, Premise, Space, SpaceKind};
pub use safety::{EmergencyPlan, Incident, Inspection, Safety, Severity};
pub use staff::{Certificate, Employment, Grid, GridKind, Grids, Role, Staff};

/// The profile format this version reads and writes (`schema_version`).
pub const SCHEMA_VERSION: &str = "2.0";

/// Implements `as_str` (the JSON spelling) and `Display` for a kebab-case enum.
macro_rules! wire_names {
    ($ty:ident { $($variant:ident => $name:literal),+ $(,)? }) => {
        impl $ty {
            /// Every value, in declaration order.
            pub const ALL: &'static [$ty] = &[$($ty::$variant),+];
            /// The value as spelt in JSON.
            #[must_use]
            pub const fn as_str(self) -> &'static str {
                match self { $($ty::$variant => $name),+ }
            }
        }
        impl std::fmt::Display for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use wire_names;

/// RFC 7386 JSON merge patch: objects merge, anything else replaces, `null` deletes.
///
/// How a pack test case describes its profile: a base profile and a patch of it.
pub fn merge_patch(target: &mut serde_json::Value, patch: &serde_json::Value) {
    let serde_json::Value::Object(patch) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = serde_json::Value::Object(serde_json::Map::new());
    }
    if let serde_json::Value::Object(t) = target {
        for (k, v) in patch {
            if v.is_null() {
                t.remove(k);
            } else {
                merge_patch(t.entry(k.clone()).or_insert(serde_json::Value::Null), v);
            }
        }
    }
}

#[cfg(test)]
mod merge_patch_tests {
    #![allow(clippy::unwrap_used, reason = "tests")]

    use serde_json::json;

    use super::merge_patch;

    #[test]
    fn merge_patch_follows_rfc_7386() {
        let mut target = json!({"a": "b", "c": {"d": "e", "f": "g"}, "l": [1, 2]});
        merge_patch(
            &mut target,
            &json!({"a": "z", "c": {"f": null}, "l": [3], "n": {"x": 1}}),
        );
        assert_eq!(
            target,
            json!({"a": "z", "c": {"d": "e"}, "l": [3], "n": {"x": 1}})
        );
    }
}
