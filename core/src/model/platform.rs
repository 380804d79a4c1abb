use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::wire_names;

/// The integrated information platform (综合信息平台, clauses 4.3 and 7.4).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Platform {
    /// Name.
    #[schemars(required)]
    pub name: Option<String>,
    /// Functions provided.
    #[serde(default)]
    pub capabilities: Vec<Capability>,
    /// Indicators shown on the digital cockpit (e.g. `population`, `enterprises`).
    #[serde(default)]
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
