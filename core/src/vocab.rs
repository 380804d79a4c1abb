//! The words for every code: a Chinese and an English label for each enumerated value of the
//! community profile and the report (categories, spaces, organisation kinds, roles, service
//! kinds, outcomes, grades…). Renderers, rule messages (`label("space", kind)` in a script,
//! or the host's `{observed:space}`), validation and `icgs explain` all read this one table,
//! so Chinese output never shows a raw code. `tests` walks the generated JSON Schemas and
//! fails on a value without a label.

/// A code's label in both languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Label {
    /// Chinese.
    pub zh: &'static str,
    /// English.
    pub en: &'static str,
}

impl Label {
    /// The label in Chinese (`true`) or English.
    #[must_use]
    pub const fn pick(self, zh: bool) -> &'static str {
        if zh { self.zh } else { self.en }
    }
}

type Entries = &'static [(&'static str, &'static str, &'static str)];

/// Every domain with its codes: `(code, 中文, English)`. A code may appear in several
/// domains; [`label_any`] takes the first domain that lists it, so the most common meaning
/// comes first.
pub const DOMAINS: &[(&str, Entries)] = &[
    (
        "category",
        &[
            ("tech-innovation", "科技创新型", "technology innovation"),
            ("cultural-creative", "文化创意型", "cultural and creative"),
            ("smart-manufacturing", "智能制造型", "smart manufacturing"),
            ("commercial-building", "商务楼宇型", "commercial building"),
        ],
    ),
    (
        "space",
        &[
            ("maker", "众创空间", "maker space"),
            ("social", "交往空间", "social space"),
            ("governance", "治理议事空间", "governance space"),
            ("service-hall", "服务大厅", "service hall"),
            (
                "party-mass",
                "党群活动空间",
                "Party and mass activity space",
            ),
            ("training", "技能培训空间", "skills-training space"),
            ("psychological", "心理疏导室", "counselling room"),
            ("childcare", "托管空间", "childcare room"),
            ("health", "健康小屋", "health room"),
            ("meeting", "共享会议室", "shared meeting room"),
            ("rest-station", "职工驿站", "rest station"),
            ("culture-sports", "文体活动空间", "culture and sports space"),
            ("exhibition", "展演空间", "exhibition space"),
            ("other", "其他空间", "other space"),
        ],
    ),
    (
        "service-kind",
        &[
            ("employment", "就业服务", "employment"),
            ("healthcare", "医疗健康服务", "healthcare"),
            ("culture", "文化服务", "culture"),
            ("childcare", "子女托管服务", "childcare"),
            ("policy-matching", "政策对接服务", "policy matching"),
            ("resource-linking", "资源链接服务", "resource linking"),
            ("financing", "融资服务", "financing"),
            (
                "intellectual-property",
                "知识产权服务",
                "intellectual property",
            ),
            ("talent", "人才服务", "talent services"),
            ("incubation", "孵化服务", "incubation"),
            ("career-development", "职业发展服务", "career development"),
            (
                "psychological-support",
                "心理支持服务",
                "psychological support",
            ),
            ("skills-training", "技能培训服务", "skills training"),
            ("occupational-health", "职业健康服务", "occupational health"),
            ("safety-training", "安全生产培训", "safety training"),
            ("legal", "法律服务", "legal services"),
            ("housing", "住房服务", "housing"),
            ("exhibition", "展示展演服务", "exhibitions"),
            ("other", "其他服务", "other services"),
        ],
    ),
    (
        "service-domain",
        &[
            ("city", "城市服务", "city services"),
            ("enterprise", "企业服务", "enterprise services"),
            ("employee", "员工服务", "employee services"),
        ],
    ),
    (
        "org-kind",
        &[
            ("party-organization", "党组织", "Party organisation"),
            (
                "governance-committee",
                "社区治理委员会",
                "governance committee",
            ),
            (
                "public-service-center",
                "社区公共服务中心",
                "public service centre",
            ),
            (
                "enterprise-social-work-station",
                "企业社会工作站",
                "enterprise social-work station",
            ),
            (
                "new-stratum-organization",
                "新的社会阶层人士自治组织",
                "new-social-stratum organisation",
            ),
            ("social-organization", "社会组织", "social organisation"),
            ("park-operator", "园区运营方", "park operator"),
            ("government-department", "政府部门", "government department"),
            ("enterprise", "企业", "enterprise"),
        ],
    ),
    (
        "party-level",
        &[
            ("branch", "党支部", "Party branch"),
            ("general-branch", "党总支", "general Party branch"),
            ("committee", "党委", "Party committee"),
        ],
    ),
    (
        "role",
        &[
            ("social-worker", "社会工作者", "social worker"),
            ("community-worker", "社区工作者", "community worker"),
            ("grid-worker", "网格员", "grid worker"),
            ("cadre", "下沉干部", "seconded cadre"),
            ("enterprise-liaison", "企业联络员", "enterprise liaison"),
            ("party-volunteer", "党员志愿者", "Party-member volunteer"),
            ("volunteer", "志愿者", "volunteer"),
            ("grid-chief", "网格长", "grid chief"),
            ("grid-supervisor", "网格指导员", "grid supervisor"),
        ],
    ),
    (
        "channel",
        &[
            ("notice-board", "公示栏", "notice board"),
            ("platform", "平台", "platform"),
            ("app", "小程序", "app"),
            ("website", "网站", "website"),
        ],
    ),
    (
        "capability",
        &[
            ("enterprise-registry", "企业信息库", "enterprise registry"),
            ("person-registry", "人员信息库", "person registry"),
            ("grid-events", "网格事件管理", "grid events"),
            ("case-handling", "诉求办理", "case handling"),
            ("service-booking", "服务预约", "service booking"),
            ("policy-push", "政策推送", "policy push"),
            ("statistics", "统计分析", "statistics"),
            ("dashboard", "数字驾驶舱", "dashboard"),
            ("open-data-api", "数据开放接口", "open data API"),
        ],
    ),
    (
        "indicator",
        &[
            ("population", "产业人口", "population"),
            ("enterprises", "企业", "enterprises"),
            ("cases", "诉求", "cases"),
            ("services", "服务", "services"),
            ("satisfaction", "满意度", "satisfaction"),
            ("safety", "安全", "safety"),
            ("grids", "网格", "grids"),
            ("party-building", "党建", "Party building"),
            ("other", "其他", "other"),
        ],
    ),
    (
        "privacy-control",
        &[
            ("access-control", "访问控制", "access control"),
            ("audit-log", "审计日志", "audit log"),
            ("data-minimisation", "数据最小化", "data minimisation"),
            ("encryption", "加密", "encryption"),
        ],
    ),
    (
        "case-kind",
        &[
            ("enterprise-request", "企业诉求", "enterprise request"),
            ("employee-request", "员工诉求", "employee request"),
            ("labour-dispute", "劳动争议", "labour dispute"),
            ("safety-hazard", "安全隐患", "safety hazard"),
            ("emergency", "突发事件", "emergency"),
            ("complaint", "投诉", "complaint"),
        ],
    ),
    (
        "case-source",
        &[
            ("grid", "网格", "grid"),
            ("platform", "平台", "platform"),
            ("hotline", "热线", "hotline"),
            ("visit", "走访", "visit"),
            ("walk-in", "来访", "walk-in"),
        ],
    ),
    (
        "evaluation-kind",
        &[
            ("self", "自我评价", "self-evaluation"),
            ("third-party", "第三方评价", "third-party evaluation"),
            ("superior", "上级评价", "evaluation by a superior body"),
        ],
    ),
    (
        "evidence-kind",
        &[
            ("document", "文件", "document"),
            ("minutes", "会议记录", "minutes"),
            ("photo", "照片", "photo"),
            ("record", "台账", "record"),
            ("certificate", "证书", "certificate"),
        ],
    ),
    (
        "grid-kind",
        &[
            ("general", "综合网格", "general grid"),
            ("dedicated", "专属网格", "dedicated grid"),
        ],
    ),
    (
        "incident-severity",
        &[
            ("general", "一般事件", "general incident"),
            ("major", "较大事件", "major incident"),
            ("serious", "严重事件", "serious incident"),
        ],
    ),
    (
        "meeting-kind",
        &[
            ("regular", "例会", "regular meeting"),
            ("joint", "联席会议", "joint meeting"),
            ("consultation", "议事协商会议", "consultation"),
            ("other", "其他会议", "other meeting"),
        ],
    ),
    (
        "affiliation",
        &[
            ("enterprise", "企业", "enterprise"),
            ("government", "政府", "government"),
            ("social-organization", "社会组织", "social organisation"),
            ("resident", "居民", "resident"),
            ("other", "其他", "other"),
        ],
    ),
    (
        "new-stratum-group",
        &[
            (
                "enterprise-manager-technician",
                "民营和外资企业管理技术人员",
                "managers and technicians of private and foreign enterprises",
            ),
            (
                "social-organization-staff",
                "社会组织从业人员",
                "staff of social organisations",
            ),
            ("freelancer", "自由职业人员", "freelancers"),
            ("new-media", "新媒体从业人员", "new-media workers"),
        ],
    ),
    (
        "ownership",
        &[
            ("government", "政府", "government"),
            ("park-operator", "园区运营方", "park operator"),
            ("enterprise", "企业", "enterprise"),
            ("leased", "租赁", "leased"),
            ("shared", "共享", "shared"),
        ],
    ),
    (
        "period",
        &[
            ("week", "每周", "weekly"),
            ("month", "每月", "monthly"),
            ("quarter", "每季度", "quarterly"),
            ("year", "每年", "yearly"),
        ],
    ),
    (
        "fee",
        &[
            ("free", "免费", "free"),
            ("subsidised", "补贴", "subsidised"),
            ("paid", "收费", "paid"),
        ],
    ),
    (
        "mode",
        &[
            ("onsite", "线下", "on site"),
            ("online", "线上", "online"),
            ("both", "线上线下", "on site and online"),
        ],
    ),
    (
        "provider-kind",
        &[
            ("government-department", "政府部门", "government department"),
            ("social-organization", "社会组织", "social organisation"),
            ("enterprise", "企业", "enterprise"),
            ("market", "市场机构", "market provider"),
            ("self", "社区自行提供", "the community itself"),
        ],
    ),
    (
        "target",
        &[
            ("enterprise", "企业", "enterprises"),
            ("employee", "员工", "employees"),
            ("both", "企业和员工", "enterprises and employees"),
        ],
    ),
    (
        "certificate",
        &[
            ("none", "无证书", "no certificate"),
            ("assistant", "助理社会工作师", "assistant social worker"),
            ("intermediate", "社会工作师", "social worker"),
            ("senior", "高级社会工作师", "senior social worker"),
        ],
    ),
    (
        "employment",
        &[
            ("full-time", "专职", "full-time"),
            ("part-time", "兼职", "part-time"),
            ("volunteer", "志愿", "volunteer"),
            ("seconded", "借调", "seconded"),
        ],
    ),
    (
        "population-source",
        &[
            ("social-insurance", "社保数据", "social-insurance data"),
            ("enterprise-report", "企业填报", "enterprise reports"),
            ("platform-estimate", "平台测算", "platform estimate"),
        ],
    ),
    ("on-demand", &[("on-demand", "按需", "on demand")]),
    (
        "grade",
        &[
            ("excellent", "优秀", "Excellent"),
            ("good", "良好", "Good"),
            ("qualified", "合格", "Qualified"),
            ("unqualified", "不合格", "Unqualified"),
        ],
    ),
    (
        "outcome",
        &[
            ("pass", "符合", "pass"),
            ("fail", "不符合", "fail"),
            ("not-applicable", "不适用", "not applicable"),
            ("insufficient-data", "数据不足", "insufficient data"),
            ("manual", "人工核查", "manual"),
            ("waived", "已豁免", "waived"),
            ("error", "错误", "error"),
        ],
    ),
    (
        "level",
        &[
            ("shall", "应", "shall"),
            ("shall-not", "不应", "shall not"),
            ("should", "宜", "should"),
            ("may", "可", "may"),
        ],
    ),
    (
        "dimension",
        &[
            ("general", "总则", "General"),
            ("construction", "建设要求", "Establishment requirements"),
            ("organisation", "运行组织", "Operating organisation"),
            (
                "governance-services",
                "治理与服务",
                "Governance and services",
            ),
            ("evaluation", "评价与改进", "Evaluation and improvement"),
        ],
    ),
    (
        "origin",
        &[
            ("note", "编制说明", "explanatory note"),
            ("proposal", "拟定", "proposal"),
        ],
    ),
    (
        "fix-reason",
        &[
            ("veto", "解除一票否决", "lifts a veto"),
            ("cap", "解除等级封顶", "lifts a grade cap"),
            ("points", "得分", "points"),
        ],
    ),
    (
        "limit-kind",
        &[
            (
                "shall-failure-cap",
                "“应”条款不符合封顶",
                "cap for a failed shall clause",
            ),
            ("veto-rule", "一票否决条款", "veto rule"),
            (
                "serious-incident",
                "严重事件一票否决",
                "serious incident veto",
            ),
        ],
    ),
    (
        "next-grade-status",
        &[
            ("reachable", "可以达到", "reachable"),
            (
                "serious-incident",
                "严重事件一票否决，无法达到",
                "barred by a serious incident",
            ),
            (
                "short-of-points",
                "整改全部条款仍分数不足",
                "short of points",
            ),
        ],
    ),
    (
        "waiver-problem",
        &[
            ("untrusted", "来源不受信任", "untrusted source"),
            ("unknown-rule", "条款不存在", "unknown rule"),
            ("non-waivable", "该条款不可豁免", "rule not waivable"),
            ("no-requester", "缺少申请人", "no requester"),
            ("no-justification", "缺少理由", "no justification"),
            ("no-approver", "缺少批准人", "no approver"),
            (
                "self-approved",
                "申请人自行批准",
                "approved by its requester",
            ),
            ("invalid-date", "日期无效", "invalid date"),
            ("invalid-period", "期限无效", "invalid period"),
            ("too-long", "期限过长", "period too long"),
            ("future", "尚未生效", "not yet in effect"),
            ("expired", "已过期", "expired"),
        ],
    ),
];

/// The label of `code` in `domain` (`label("space", "maker")` is 众创空间 / maker space).
/// Problem codes of validation are the domain `problem`.
#[must_use]
pub fn label(domain: &str, code: &str) -> Option<Label> {
    if domain == "problem" {
        return crate::ProblemCode::from_code(code).map(|c| {
            let (zh, en) = c.label();
            Label { zh, en }
        });
    }
    DOMAINS
        .iter()
        .find(|(d, _)| *d == domain)
        .and_then(|(_, entries)| find(entries, code))
}

/// The label of `code` in the first domain that lists it: for values whose domain the
/// caller does not know (a list a rule returns). Report-only domains (outcomes, levels…)
/// are not searched: their words are for the report's own fields.
#[must_use]
pub fn label_any(code: &str) -> Option<Label> {
    DOMAINS
        .iter()
        .take_while(|(d, _)| *d != "grade")
        .find_map(|(_, entries)| find(entries, code))
}

fn find(entries: Entries, code: &str) -> Option<Label> {
    entries
        .iter()
        .find(|(c, _, _)| *c == code)
        .map(|&(_, zh, en)| Label { zh, en })
}

/// `code` in words when the table knows it (any domain), else `code` itself.
#[must_use]
pub fn words(code: &str, zh: bool) -> &str {
    label_any(code).map_or(code, |l| l.pick(zh))
}

/// How [`number`] shows a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberStyle {
    /// Thousands separated (`1,700`); a fraction to at most four places.
    Plain,
    /// A share as a percentage to one place (`0.4615` → `46.2%`).
    Percent,
    /// A count of people: Chinese in 万 from ten thousand on (`12000` → `1.2万`).
    Wan,
}

/// A number as people read it (one formatter for rule messages and renderers).
#[must_use]
pub fn number(n: &serde_json::Number, style: NumberStyle, zh: bool) -> String {
    let f = n.as_f64().unwrap_or_default();
    match style {
        NumberStyle::Percent => format!("{}%", trimmed(f * 100.0, 1)),
        NumberStyle::Wan if zh && f.abs() >= 10_000.0 => {
            format!("{}万", trimmed(f / 10_000.0, 2))
        }
        _ => match n.as_i64() {
            Some(i) => grouped(i),
            None => trimmed(f, 4),
        },
    }
}

/// `x` to at most `places` decimals, without trailing zeros.
fn trimmed(x: f64, places: usize) -> String {
    let s = format!("{x:.places$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        s
    }
}

/// An integer with thousands separators from 1,000 on.
fn grouped(i: i64) -> String {
    let digits = i.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + 4);
    if i < 0 {
        out.push('-');
    }
    for (k, c) in digits.chars().enumerate() {
        if k > 0 && (digits.len() - k).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(all(test, feature = "engine"))]
mod tests;
