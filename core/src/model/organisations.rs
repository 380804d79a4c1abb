use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::wire_names;

/// An organisation: the party organisation, the governance committee, the public service
/// centre, the enterprise social work station, the new-stratum organisation and others.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Organization {
    /// Unique id among organisations.
    pub id: String,
    /// What the organisation is.
    pub kind: OrgKind,
    /// Name.
    #[schemars(required)]
    pub name: Option<String>,
    /// Date established.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("format" = "date"))]
    pub established_on: Option<String>,
    /// Party members of a party organisation (its own members, clause 6.1.2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub party_members: Option<u64>,
    /// Level of a party organisation (clause 6.1.2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<PartyLevel>,
    /// Written duties.
    #[serde(default)]
    pub duties: Vec<String>,
    /// Members.
    #[serde(default)]
    pub members: Vec<Member>,
    /// Meetings held.
    #[serde(default)]
    pub meetings: Vec<Meeting>,
}

impl Organization {
    /// A `Organization` with only its `id` and `kind`: every optional field absent, every list empty.
    #[must_use]
    pub fn new(id: impl Into<String>, kind: OrgKind) -> Self {
        Self {
            id: id.into(),
            kind,
            name: None,
            established_on: None,
            party_members: None,
            level: None,
            duties: Vec::new(),
            members: Vec::new(),
            meetings: Vec::new(),
        }
    }
}

/// Kinds of organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum OrgKind {
    /// 产业社区党组织.
    PartyOrganization,
    /// 社区治理委员会.
    GovernanceCommittee,
    /// 社区公共服务中心.
    PublicServiceCenter,
    /// 企业社会工作站.
    EnterpriseSocialWorkStation,
    /// 新的社会阶层人士自治组织.
    NewStratumOrganization,
    /// A social organisation.
    SocialOrganization,
    /// The park operator.
    ParkOperator,
    /// A government department.
    GovernmentDepartment,
    /// An enterprise.
    Enterprise,
}
wire_names!(OrgKind {
    PartyOrganization => "party-organization", GovernanceCommittee => "governance-committee",
    PublicServiceCenter => "public-service-center", EnterpriseSocialWorkStation => "enterprise-social-work-station",
    NewStratumOrganization => "new-stratum-organization", SocialOrganization => "social-organization",
    ParkOperator => "park-operator", GovernmentDepartment => "government-department", Enterprise => "enterprise",
});

/// Level of a party organisation, from lowest to highest.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum PartyLevel {
    /// 支部.
    Branch,
    /// 总支.
    GeneralBranch,
    /// 党委.
    Committee,
}
wire_names!(PartyLevel { Branch => "branch", GeneralBranch => "general-branch", Committee => "committee" });

/// A member of an organisation.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Member {
    /// Role in the organisation, e.g. chair.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// Whom the member represents.
    #[schemars(required)]
    pub affiliation: Option<Affiliation>,
    /// New-stratum group (members of new-stratum organisations).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<NewStratumGroup>,
}

/// Whom a member represents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Affiliation {
    /// An enterprise.
    Enterprise,
    /// Government.
    Government,
    /// A social organisation.
    SocialOrganization,
    /// A resident.
    Resident,
    /// Other.
    Other,
}
wire_names!(Affiliation { Enterprise => "enterprise", Government => "government", SocialOrganization => "social-organization", Resident => "resident", Other => "other" });

/// The four new social stratum groups (term 3.3).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum NewStratumGroup {
    /// Managers and technicians of private and foreign-invested enterprises.
    EnterpriseManagerTechnician,
    /// Staff of intermediary and social organisations.
    SocialOrganizationStaff,
    /// Freelancers.
    Freelancer,
    /// New-media practitioners.
    NewMedia,
}
wire_names!(NewStratumGroup { EnterpriseManagerTechnician => "enterprise-manager-technician", SocialOrganizationStaff => "social-organization-staff", Freelancer => "freelancer", NewMedia => "new-media" });

/// A meeting record.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Meeting {
    /// Date held.
    #[schemars(required, extend("format" = "date"))]
    pub date: Option<String>,
    /// Kind; `joint` marks a joint meeting of the troika (clause 6.5.3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<MeetingKind>,
    /// People present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attendees: Option<u64>,
    /// Enterprise representatives present (clause 7.2.1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enterprise_attendees: Option<u64>,
}

/// Kinds of meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum MeetingKind {
    /// A regular meeting.
    Regular,
    /// A joint meeting of the troika.
    Joint,
    /// A consultation (议事协商).
    Consultation,
    /// Other.
    Other,
}
wire_names!(MeetingKind { Regular => "regular", Joint => "joint", Consultation => "consultation", Other => "other" });
