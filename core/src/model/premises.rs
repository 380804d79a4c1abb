use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::wire_names;

/// One supporting premise (配套用房) with its spaces and opening hours.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Premise {
    /// Unique id among premises.
    pub id: String,
    /// Name.
    #[schemars(required)]
    pub name: Option<String>,
    /// Floor area in square metres.
    #[schemars(required, range(min = 0))]
    pub floor_area_m2: Option<f64>,
    /// Whether it lies inside the community boundary.
    #[schemars(required)]
    pub within_boundary: Option<bool>,
    /// Who holds it.
    #[schemars(required)]
    pub ownership: Option<Ownership>,
    /// For shared space: whether a written use agreement exists (clause 5.1.3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shared_agreement: Option<bool>,
    /// Weekly opening hours, one entry per session.
    #[serde(default)]
    pub opening_hours: Vec<OpeningHours>,
    /// Functional spaces inside the premise.
    #[serde(default)]
    pub spaces: Vec<Space>,
}

impl Premise {
    /// A `Premise` with only its `id`: every optional field absent, every list empty.
    #[must_use]
    pub fn new(id: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            name: None,
            floor_area_m2: None,
            within_boundary: None,
            ownership: None,
            shared_agreement: None,
            opening_hours: Vec::new(),
            spaces: Vec::new(),
        }
    }
}

/// Who holds a premise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Ownership {
    /// Owned by government.
    Government,
    /// Provided by the park operator.
    ParkOperator,
    /// Provided by an enterprise.
    Enterprise,
    /// Leased.
    Leased,
    /// Shared with others; counts toward premises only with a written agreement.
    Shared,
}
wire_names!(Ownership { Government => "government", ParkOperator => "park-operator", Enterprise => "enterprise", Leased => "leased", Shared => "shared" });

/// One weekly opening session.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct OpeningHours {
    /// ISO weekday: 1 = Monday … 7 = Sunday.
    #[schemars(range(min = 1, max = 7))]
    pub weekday: u8,
    /// Opening time, `HH:MM`.
    #[schemars(regex(pattern = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"))]
    pub open: String,
    /// Closing time, `HH:MM` (24:00 allowed), after `open`.
    #[schemars(regex(pattern = r"^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$"))]
    pub close: String,
}

/// A functional space inside a premise.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Space {
    /// What the space is for.
    pub kind: SpaceKind,
    /// Name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Area in square metres.
    #[schemars(required, range(min = 0))]
    pub area_m2: Option<f64>,
    /// Whether it serves enterprises and employees (service-activity space, clause 5.1.2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_activity: Option<bool>,
}

impl Space {
    /// A `Space` with only its `kind`: every optional field absent, every list empty.
    #[must_use]
    pub fn new(kind: SpaceKind) -> Self {
        Self {
            kind,
            name: None,
            area_m2: None,
            service_activity: None,
        }
    }
}

/// Kinds of functional space.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum SpaceKind {
    /// 众创空间.
    Maker,
    /// 交往空间.
    Social,
    /// 治理议事空间.
    Governance,
    /// 服务大厅.
    ServiceHall,
    /// 党群服务.
    PartyMass,
    /// 技能培训.
    Training,
    /// 心理服务.
    Psychological,
    /// 托管.
    Childcare,
    /// 健康小屋.
    Health,
    /// 共享会议室.
    Meeting,
    /// 驿站.
    RestStation,
    /// 文体.
    CultureSports,
    /// 展演.
    Exhibition,
    /// Anything else.
    Other,
}
wire_names!(SpaceKind {
    Maker => "maker", Social => "social", Governance => "governance", ServiceHall => "service-hall",
    PartyMass => "party-mass", Training => "training", Psychological => "psychological",
    Childcare => "childcare", Health => "health", Meeting => "meeting", RestStation => "rest-station",
    CultureSports => "culture-sports", Exhibition => "exhibition", Other => "other",
});
