use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::wire_names;

/// The published service catalogue (服务清单, clause 7.5).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct ServiceCatalogue {
    /// Version label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Date last published or reviewed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("format" = "date"))]
    pub published_on: Option<String>,
    /// Where it is published.
    #[serde(default)]
    pub channels: Vec<Channel>,
    /// The services.
    #[schemars(required)]
    pub items: Option<Vec<Service>>,
}

/// Where the catalogue is published.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Channel {
    /// 公示栏.
    NoticeBoard,
    /// The information platform.
    Platform,
    /// A mobile app or mini-program.
    App,
    /// A website.
    Website,
}
wire_names!(Channel { NoticeBoard => "notice-board", Platform => "platform", App => "app", Website => "website" });

/// One service of the catalogue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Service {
    /// Unique id among services.
    pub id: String,
    /// Service name.
    #[schemars(required, length(min = 1))]
    pub name: Option<String>,
    /// Service domain (类别): city, enterprise or employee services.
    #[schemars(required)]
    pub domain: Option<Domain>,
    /// What the service is.
    #[schemars(required)]
    pub kind: Option<ServiceKind>,
    /// Kind of provider (提供主体).
    #[schemars(required)]
    pub provider_kind: Option<ProviderKind>,
    /// Providing organisation (an id from `organizations`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider_org: Option<String>,
    /// Who it serves (服务对象).
    #[schemars(required)]
    pub target: Option<ServiceTarget>,
    /// How it is delivered (服务方式).
    #[schemars(required)]
    pub mode: Option<ServiceMode>,
    /// How often it is offered (频次).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frequency: Option<Frequency>,
    /// Time limit in working days (时限).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_limit_working_days: Option<u64>,
    /// Fee.
    #[schemars(required)]
    pub fee: Option<Fee>,
    /// What was delivered in the last 12 months.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub records_12m: Option<ServiceRecords>,
}

impl Service {
    /// A `Service` with only its `id`: every optional field absent, every list empty.
    #[must_use]
    pub fn new(id: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            name: None,
            domain: None,
            kind: None,
            provider_kind: None,
            provider_org: None,
            target: None,
            mode: None,
            frequency: None,
            time_limit_working_days: None,
            fee: None,
            records_12m: None,
        }
    }
}

/// Service domains (clause 7.5.3).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Domain {
    /// 城市服务.
    City,
    /// 企业服务.
    Enterprise,
    /// 员工服务.
    Employee,
}
wire_names!(Domain { City => "city", Enterprise => "enterprise", Employee => "employee" });

/// Kinds of service.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
#[allow(missing_docs, reason = "the names are the documentation")]
pub enum ServiceKind {
    Employment,
    Healthcare,
    Culture,
    Childcare,
    PolicyMatching,
    ResourceLinking,
    Financing,
    IntellectualProperty,
    Talent,
    Incubation,
    CareerDevelopment,
    PsychologicalSupport,
    SkillsTraining,
    OccupationalHealth,
    SafetyTraining,
    Legal,
    Housing,
    Exhibition,
    Other,
}
wire_names!(ServiceKind {
    Employment => "employment", Healthcare => "healthcare", Culture => "culture", Childcare => "childcare",
    PolicyMatching => "policy-matching", ResourceLinking => "resource-linking", Financing => "financing",
    IntellectualProperty => "intellectual-property", Talent => "talent", Incubation => "incubation",
    CareerDevelopment => "career-development", PsychologicalSupport => "psychological-support",
    SkillsTraining => "skills-training", OccupationalHealth => "occupational-health",
    SafetyTraining => "safety-training", Legal => "legal", Housing => "housing", Exhibition => "exhibition", Other => "other",
});

/// Kinds of provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
#[allow(missing_docs, reason = "the names are the documentation")]
pub enum ProviderKind {
    /// The community itself.
    #[serde(rename = "self")]
    SelfProvided,
    GovernmentDepartment,
    SocialOrganization,
    Enterprise,
    Market,
}
wire_names!(ProviderKind { SelfProvided => "self", GovernmentDepartment => "government-department", SocialOrganization => "social-organization", Enterprise => "enterprise", Market => "market" });

/// Who a service is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
#[allow(missing_docs, reason = "the names are the documentation")]
pub enum ServiceTarget {
    Enterprise,
    Employee,
    Both,
}
wire_names!(ServiceTarget { Enterprise => "enterprise", Employee => "employee", Both => "both" });

/// How a service is delivered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
#[allow(missing_docs, reason = "the names are the documentation")]
pub enum ServiceMode {
    Onsite,
    Online,
    Both,
}
wire_names!(ServiceMode { Onsite => "onsite", Online => "online", Both => "both" });

/// What a service costs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
#[allow(missing_docs, reason = "the names are the documentation")]
pub enum Fee {
    Free,
    Subsidised,
    Paid,
}
wire_names!(Fee { Free => "free", Subsidised => "subsidised", Paid => "paid" });

/// How often a service is offered: a count per period, or `"on-demand"`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Frequency {
    /// `count` times per `per`.
    Periodic(FrequencyPeriod),
    /// Offered whenever requested.
    OnDemand(OnDemand),
}

/// A count of sessions per period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct FrequencyPeriod {
    /// Sessions per period.
    pub count: u64,
    /// The period.
    pub per: Period,
}

/// The literal `"on-demand"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum OnDemand {
    /// Offered whenever requested.
    OnDemand,
}

/// A calendar period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
#[allow(missing_docs, reason = "the names are the documentation")]
pub enum Period {
    Week,
    Month,
    Quarter,
    Year,
}
wire_names!(Period { Week => "week", Month => "month", Quarter => "quarter", Year => "year" });

/// What a service delivered in the last 12 months.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct ServiceRecords {
    /// Sessions held.
    #[schemars(required)]
    pub sessions: Option<u64>,
    /// Participants.
    #[schemars(required)]
    pub participants: Option<u64>,
    /// Distinct enterprises served by this service (informative: clause 7.7.4 reads
    /// `enterprises.served_12m`, the distinct enterprises over all services).
    #[schemars(required)]
    pub enterprises_served: Option<u64>,
}
