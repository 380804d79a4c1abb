use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::wire_names;

/// The integrated information platform (综合信息平台, clauses 4.3 and 7.4).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Platform {
    /// Name.
    #[schemars(required)]
    pub name: Option<String>,
    /// Functions provided.
    #[serde(default)]
    pub capabilities: Vec<Capability>,
    /// Indicators shown on the digital cockpit, from a closed vocabulary (clause 7.4.2).
    // Read as text: a value outside the vocabulary is a validation problem that leaves 7.4.2
    // undecided, not a profile that cannot be read.
    #[serde(default)]
    #[schemars(with = "Vec<DashboardIndicator>")]
    pub dashboard_indicators: Vec<String>,
    /// How often enterprise master data is refreshed, in days.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enterprise_data_refresh_days: Option<u64>,
    /// Platforms it exchanges data with.
    #[serde(default)]
    pub integrations: Vec<String>,
    /// Data-protection measures.
    #[serde(default)]
    pub privacy_controls: Vec<PrivacyControl>,
}

/// Indicators of the digital cockpit (数字驾驶舱, clause 7.4.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum DashboardIndicator {
    /// 产业人口.
    Population,
    /// 企业.
    Enterprises,
    /// 事件/诉求.
    Cases,
    /// 服务.
    Services,
    /// 满意度.
    Satisfaction,
    /// 安全.
    Safety,
    /// 网格.
    Grids,
    /// 党建.
    PartyBuilding,
    /// 其他.
    Other,
}
wire_names!(DashboardIndicator {
    Population => "population", Enterprises => "enterprises", Cases => "cases",
    Services => "services", Satisfaction => "satisfaction", Safety => "safety",
    Grids => "grids", PartyBuilding => "party-building", Other => "other",
});

impl DashboardIndicator {
    /// The indicator spelt `text`, as the vocabulary writes it.
    #[must_use]
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|i| i.as_str() == text)
    }

    /// The Chinese names a data clerk may write for the indicator.
    #[must_use]
    pub const fn zh_names(self) -> &'static [&'static str] {
        match self {
            Self::Population => &["产业人口", "人口"],
            Self::Enterprises => &["企业"],
            Self::Cases => &["事件/诉求", "事件", "诉求"],
            Self::Services => &["服务"],
            Self::Satisfaction => &["满意度"],
            Self::Safety => &["安全"],
            Self::Grids => &["网格"],
            Self::PartyBuilding => &["党建"],
            Self::Other => &["其他"],
        }
    }

    /// The indicator a Chinese name stands for (产业人口 → `population`).
    #[must_use]
    pub fn from_zh(name: &str) -> Option<Self> {
        let name = name.trim();
        Self::ALL
            .iter()
            .copied()
            .find(|i| i.zh_names().contains(&name))
    }
}

/// Platform functions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Capability {
    /// 企业库.
    EnterpriseRegistry,
    /// 人员库.
    PersonRegistry,
    /// Grid events.
    GridEvents,
    /// 事件处置.
    CaseHandling,
    /// 服务预约.
    ServiceBooking,
    /// Policy push.
    PolicyPush,
    /// 统计分析.
    Statistics,
    /// 数字驾驶舱.
    Dashboard,
    /// Open data API.
    OpenDataApi,
}
wire_names!(Capability {
    EnterpriseRegistry => "enterprise-registry", PersonRegistry => "person-registry", GridEvents => "grid-events",
    CaseHandling => "case-handling", ServiceBooking => "service-booking", PolicyPush => "policy-push",
    Statistics => "statistics", Dashboard => "dashboard", OpenDataApi => "open-data-api",
});

/// Data-protection measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum PrivacyControl {
    /// 访问控制.
    AccessControl,
    /// 操作留痕.
    AuditLog,
    /// Data minimisation.
    DataMinimisation,
    /// Encryption.
    Encryption,
}
wire_names!(PrivacyControl { AccessControl => "access-control", AuditLog => "audit-log", DataMinimisation => "data-minimisation", Encryption => "encryption" });
