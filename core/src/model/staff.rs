use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::wire_names;

/// A person who serves the community.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Staff {
    /// Unique id among staff.
    pub id: String,
    /// Roles held.
    #[serde(default)]
    pub roles: Vec<Role>,
    /// Employment relation.
    #[schemars(required)]
    pub employment: Option<Employment>,
    /// Social-work certificate (社会工作者职业资格).
    #[schemars(required)]
    pub certificate: Option<Certificate>,
    /// Organisations the person works for (e.g. the social work station).
    #[serde(default)]
    pub org_ids: Vec<String>,
    /// Training hours in the last 12 months.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0))]
    pub training_hours_12m: Option<f64>,
}

impl Staff {
    /// A `Staff` with only its `id`: every optional field absent, every list empty.
    #[must_use]
    pub fn new(id: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            roles: Vec::new(),
            employment: None,
            certificate: None,
            org_ids: Vec::new(),
            training_hours_12m: None,
        }
    }
}

/// Roles of staff.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// 社会工作者.
    SocialWorker,
    /// 社区工作者.
    CommunityWorker,
    /// 网格员: 专职网格员 when full-time, 兼职网格员 when part-time.
    GridWorker,
    /// 机关干部.
    Cadre,
    /// 企业联络员 / building liaison.
    EnterpriseLiaison,
    /// 党员志愿者.
    PartyVolunteer,
    /// 志愿者.
    Volunteer,
    /// 网格长: the "1" of a "1+3+N" grid.
    GridChief,
    /// 网格指导员: one of the "3" of a "1+3+N" grid.
    GridSupervisor,
}
wire_names!(Role {
    SocialWorker => "social-worker", CommunityWorker => "community-worker", GridWorker => "grid-worker",
    Cadre => "cadre", EnterpriseLiaison => "enterprise-liaison", PartyVolunteer => "party-volunteer", Volunteer => "volunteer",
    GridChief => "grid-chief", GridSupervisor => "grid-supervisor",
});

/// Employment relation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Employment {
    /// 专职.
    FullTime,
    /// 兼职.
    PartTime,
    /// 志愿.
    Volunteer,
    /// 下沉 / seconded from another body.
    Seconded,
}
wire_names!(Employment { FullTime => "full-time", PartTime => "part-time", Volunteer => "volunteer", Seconded => "seconded" });

/// Social-work certificate level.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Certificate {
    /// No certificate.
    None,
    /// 助理社会工作师.
    Assistant,
    /// 社会工作师.
    Intermediate,
    /// 高级社会工作师.
    Senior,
}
wire_names!(Certificate { None => "none", Assistant => "assistant", Intermediate => "intermediate", Senior => "senior" });

/// The grid system (clause 6.7).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Grids {
    /// Staffing model, `1+3+N`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("examples" = ["1+3+N"]))]
    pub model: Option<String>,
    /// The grids.
    #[schemars(required)]
    pub items: Option<Vec<Grid>>,
}

/// One grid, staffed on the "1+3+N" model: 1 网格长 (grid chief); 3 = 专职网格员,
/// 兼职网格员 and 网格指导员 (clause 6.7.1, parameter `grid_three_slots`); N other forces.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Grid {
    /// Unique id among grids.
    pub id: String,
    /// General (by territory) or dedicated (by supply chain or cluster, clause 6.7.4).
    #[schemars(required)]
    pub kind: Option<GridKind>,
    /// Buildings in the grid (ids from `enterprises.buildings`).
    #[serde(default)]
    pub buildings: Vec<String>,
    /// Enterprises covered.
    #[schemars(required)]
    pub enterprises: Option<u64>,
    /// Industrial population covered.
    #[schemars(required)]
    pub population: Option<u64>,
    /// The "1": staff id of the grid chief (网格长).
    #[serde(default)]
    pub one: Vec<String>,
    /// The "3": staff ids of the full-time and part-time grid workers and the grid supervisor.
    #[serde(default)]
    pub three: Vec<String>,
    /// The "N": staff ids of other forces (may be empty).
    #[serde(default)]
    pub n: Vec<String>,
}

impl Grid {
    /// A `Grid` with only its `id`: every optional field absent, every list empty.
    #[must_use]
    pub fn new(id: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            kind: None,
            buildings: Vec::new(),
            enterprises: None,
            population: None,
            one: Vec::new(),
            three: Vec::new(),
            n: Vec::new(),
        }
    }
}

/// Kinds of grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum GridKind {
    /// A territorial grid.
    General,
    /// A grid formed by supply chain or enterprise cluster.
    Dedicated,
}
wire_names!(GridKind { General => "general", Dedicated => "dedicated" });
