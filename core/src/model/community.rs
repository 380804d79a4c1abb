use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{
    Case, Evaluation, Evidence, Grids, ImprovementAction, Organization, Platform, Premise, Safety,
    ServiceCatalogue, Staff, Waiver, wire_names,
};

/// One modern industrial community (现代产业社区) at one reference date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields, title = "CommunityProfile")]
pub struct CommunityProfile {
    /// Version of the profile format: `2.0`. A `1.0` profile is refused; `icgs migrate`
    /// converts it.
    #[schemars(required, extend("enum" = [crate::model::SCHEMA_VERSION]))]
    pub schema_version: Option<String>,
    /// Stable identifier of the community, e.g. `hz-binjiang-wulian`.
    pub id: String,
    /// Official (usually Chinese) name.
    #[schemars(required, length(min = 1))]
    pub name: Option<String>,
    /// English name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_en: Option<String>,
    /// Free-text description; example files say here that their figures are illustrative.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// City, e.g. 杭州市.
    #[schemars(required)]
    pub city: Option<String>,
    /// District, e.g. 滨江区.
    #[schemars(required)]
    pub district: Option<String>,
    /// Street (街道).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub street: Option<String>,
    /// The date the figures describe (`YYYY-MM-DD`); every time window is measured from it.
    #[schemars(extend("format" = "date"))]
    pub as_of: String,
    /// Primary category: a built-in one or one a pack or plugin registers.
    #[schemars(required)]
    pub category: Option<CategoryId>,
    /// Secondary categories of a mixed community (clause 4.2.3).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub secondary_categories: Vec<CategoryId>,
    /// Date the community was established.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("format" = "date"))]
    pub established_on: Option<String>,
    /// Land area in square kilometres.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0))]
    pub area_km2: Option<f64>,
    /// The four bounds (四至) and overlaps with other communities.
    #[schemars(required)]
    pub boundary: Option<Boundary>,
    /// Industrial population (产业人口) and its statistical basis.
    #[schemars(required)]
    pub population: Option<Population>,
    /// Enterprises inside the boundary.
    #[schemars(required)]
    pub enterprises: Option<Enterprises>,
    /// The four parties of the governance model (clause 4.2.1).
    #[schemars(required)]
    pub governance_model: Option<GovernanceModel>,
    /// Supporting premises (配套用房).
    #[schemars(required)]
    pub premises: Option<Vec<Premise>>,
    /// Organisations: party, committee, centre, station, new-stratum and others.
    #[schemars(required)]
    pub organizations: Option<Vec<Organization>>,
    /// Staff serving the community.
    #[schemars(required)]
    pub staff: Option<Vec<Staff>>,
    /// The "1+3+N" grids.
    #[schemars(required)]
    pub grids: Option<Grids>,
    /// Requests and events handled (诉求、事件).
    #[schemars(required)]
    pub cases: Option<Vec<Case>>,
    /// Inspections, emergency plans and incidents.
    #[schemars(required)]
    pub safety: Option<Safety>,
    /// The integrated information platform, when one is built or connected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform: Option<Platform>,
    /// The published service catalogue (服务清单).
    #[schemars(required)]
    pub service_catalogue: Option<ServiceCatalogue>,
    /// Evaluations (评价).
    #[schemars(required)]
    pub evaluations: Option<Vec<Evaluation>>,
    /// Improvement actions answering evaluation findings (整改).
    #[schemars(required)]
    pub improvement_actions: Option<Vec<ImprovementAction>>,
    /// Evidence for clauses checked on documents.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<Evidence>,
    /// Approved exceptions to failing clauses.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub waivers: Vec<Waiver>,
    /// Data for local categories and plugins, keyed by pack or plugin id; free-form.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub extensions: BTreeMap<String, serde_json::Value>,
}

impl CommunityProfile {
    /// A profile of the current format with only its `id` and `as_of` date: every other
    /// field absent (the rules that read them give `insufficient-data`), every list empty.
    /// The records without an identity (`Population`, `Boundary`…) implement `Default`.
    ///
    /// ```
    /// use icgs::model::{CommunityProfile, Population};
    /// use icgs::report::Outcome;
    ///
    /// let mut profile = CommunityProfile::new("hz-demo", "2026-06-30");
    /// profile.population = Some(Population { industrial: Some(12_000), ..Population::default() });
    /// let report = icgs::Engine::standard().unwrap().evaluate(profile).unwrap();
    /// let size = report.results.iter().find(|r| r.rule == "4.1.1").unwrap();
    /// assert_eq!(size.outcome, Outcome::Fail); // 12,000 is below the 20,000 the clause recommends
    /// let area = report.results.iter().find(|r| r.rule == "5.1.1").unwrap();
    /// assert_eq!(area.outcome, Outcome::InsufficientData); // no premises recorded
    /// ```
    #[must_use]
    pub fn new(id: impl Into<String>, as_of: impl Into<String>) -> Self {
        Self {
            schema_version: Some(crate::model::SCHEMA_VERSION.to_owned()),
            id: id.into(),
            name: None,
            name_en: None,
            description: None,
            city: None,
            district: None,
            street: None,
            as_of: as_of.into(),
            category: None,
            secondary_categories: Vec::new(),
            established_on: None,
            area_km2: None,
            boundary: None,
            population: None,
            enterprises: None,
            governance_model: None,
            premises: None,
            organizations: None,
            staff: None,
            grids: None,
            cases: None,
            safety: None,
            platform: None,
            service_catalogue: None,
            evaluations: None,
            improvement_actions: None,
            evidence: Vec::new(),
            waivers: Vec::new(),
            extensions: BTreeMap::new(),
        }
    }
}

/// A category id: `tech-innovation`, `cultural-creative`, `smart-manufacturing`,
/// `commercial-building`, or one registered by a pack or plugin (e.g. `biomedical`).
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(transparent)]
#[schemars(extend("examples" = ["tech-innovation", "cultural-creative", "smart-manufacturing", "commercial-building"]))]
pub struct CategoryId(#[schemars(pattern(r"^[a-z0-9]+(-[a-z0-9]+)*$"))] pub String);

impl CategoryId {
    /// The four categories the standard itself defines.
    pub const BUILT_IN: [&'static str; 4] = [
        "tech-innovation",
        "cultural-creative",
        "smart-manufacturing",
        "commercial-building",
    ];

    /// The id as written.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for CategoryId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The boundary (四至) of the community.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Boundary {
    /// East, south, west and north bounds as text.
    #[schemars(required)]
    pub four_bounds: Option<FourBounds>,
    /// Ids of other communities whose jurisdiction overlaps this one (should be empty).
    #[schemars(required)]
    pub overlaps: Option<Vec<String>>,
}

/// The four bounds, each a description such as a road or river.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
#[allow(missing_docs, reason = "the four compass points need no further words")]
pub struct FourBounds {
    #[schemars(required)]
    pub east: Option<String>,
    #[schemars(required)]
    pub south: Option<String>,
    #[schemars(required)]
    pub west: Option<String>,
    #[schemars(required)]
    pub north: Option<String>,
}

/// Industrial population (产业人口) with its statistical basis (clause 4.1.2).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Population {
    /// People employed by enterprises inside the boundary.
    #[schemars(required)]
    pub industrial: Option<u64>,
    /// Where the figure comes from (统计口径).
    #[schemars(required)]
    pub source: Option<PopulationSource>,
    /// The date the figure describes (统计时点).
    #[schemars(required, extend("format" = "date"))]
    pub as_of: Option<String>,
    /// Party members among them (informative: clause 6.1.2 reads each party
    /// organisation's own `party_members`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub party_members: Option<u64>,
    /// New social stratum persons among them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_stratum_persons: Option<u64>,
}

/// Source of the population figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum PopulationSource {
    /// Social-insurance records (社保).
    SocialInsurance,
    /// Reported by enterprises.
    EnterpriseReport,
    /// Estimated from platform data.
    PlatformEstimate,
}
wire_names!(PopulationSource { SocialInsurance => "social-insurance", EnterpriseReport => "enterprise-report", PlatformEstimate => "platform-estimate" });

/// Enterprises inside the boundary.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Enterprises {
    /// Number of enterprises.
    #[schemars(required)]
    pub count: Option<u64>,
    /// Key enterprises (重点企业) and their visits (clause 7.7.3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<Vec<KeyEnterprise>>,
    /// Distinct enterprises that received at least one service in the 12 months before
    /// `as_of` (clause 7.7.4); at most `count`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub served_12m: Option<u64>,
    /// Number of parks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parks: Option<u64>,
    /// Ids of the buildings (楼宇) inside the boundary; grids partition them (clause 6.7.2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub buildings: Option<Vec<String>>,
}

/// A key enterprise (重点企业) and the visits made to it (clause 7.7.3).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct KeyEnterprise {
    /// Id of the enterprise, unique among key enterprises.
    pub id: String,
    /// Name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Dates of the visits made to it (`YYYY-MM-DD`, not after `as_of`); an empty list
    /// records that it was not visited.
    #[schemars(required, extend("items" = { "type": "string", "format": "date" }))]
    pub visits: Option<Vec<String>>,
}

impl KeyEnterprise {
    /// A `KeyEnterprise` with only its `id`: every optional field absent, every list empty.
    #[must_use]
    pub fn new(id: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            name: None,
            visits: None,
        }
    }
}

/// "党委领导、政府负责、企业参与、社会协同": organisation ids for each party (clause 4.2.1).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct GovernanceModel {
    /// Organisations that lead (党委领导).
    #[schemars(required)]
    pub party_lead: Option<Vec<String>>,
    /// Government bodies responsible (政府负责).
    #[schemars(required)]
    pub government: Option<Vec<String>>,
    /// Participating enterprises (企业参与).
    #[schemars(required)]
    pub enterprise: Option<Vec<String>>,
    /// Collaborating social organisations (社会协同).
    #[schemars(required)]
    pub society: Option<Vec<String>>,
}
