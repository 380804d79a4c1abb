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
    let mut out = String::new();
    push_number(&mut out, n, style, zh);
    out
}

/// [`number`] written at the end of `out`.
pub fn push_number(out: &mut String, n: &serde_json::Number, style: NumberStyle, zh: bool) {
    let f = n.as_f64().unwrap_or_default();
    match style {
        NumberStyle::Percent => {
            push_trimmed(out, f * 100.0, 1);
            out.push('%');
        }
        NumberStyle::Wan if zh && f.abs() >= 10_000.0 => {
            push_trimmed(out, f / 10_000.0, 2);
            out.push('万');
        }
        _ => match n.as_i64() {
            Some(i) => push_grouped(out, i),
            None => push_trimmed(out, f, 4),
        },
    }
}

/// `x` to at most `places` decimals, without trailing zeros, written at the end of `out`.
fn push_trimmed(out: &mut String, x: f64, places: usize) {
    use std::fmt::Write as _;
    let start = out.len();
    // Writing to a String cannot fail.
    let _ = write!(out, "{x:.places$}");
    let written = out.get(start..).unwrap_or_default();
    if written.contains('.') {
        let kept = written.trim_end_matches('0').trim_end_matches('.').len();
        out.truncate(start + kept);
    }
}

/// An integer with thousands separators from 1,000 on, written at the end of `out`.
fn push_grouped(out: &mut String, i: i64) {
    // The digits from the last, in a buffer that holds any u64.
    let mut digits = [0u8; 20];
    let mut len = 0;
    let mut rest = i.unsigned_abs();
    loop {
        digits[len] = b'0' + (rest % 10) as u8;
        len += 1;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    if i < 0 {
        out.push('-');
    }
    for k in (0..len).rev() {
        out.push(char::from(digits[k]));
        if k > 0 && k.is_multiple_of(3) {
            out.push(',');
        }
    }
}

#[cfg(all(test, feature = "engine"))]
mod tests;

/// The words for a profile field name (`opening_hours` is 开放时间 / opening hours), for
/// JSON pointers shown in Chinese prose; `None` for a name the profile does not have.
#[must_use]
pub fn field(name: &str) -> Option<&'static str> {
    FIELDS
        .binary_search_by(|(n, _)| (*n).cmp(name))
        .ok()
        .and_then(|i| FIELDS.get(i))
        .map(|(_, zh)| *zh)
}

/// A JSON pointer in words, Chinese: `/staff/2/org_ids/0` is “工作人员第3项 › 所属组织第1项”.
/// Names the table does not know are kept as written; the whole document (`""` or `/`) is
/// “档案顶层”.
#[must_use]
pub fn pointer_zh(pointer: &str) -> String {
    // `/` is how English output shows the whole document.
    if pointer.is_empty() || pointer == "/" {
        return "档案顶层".to_owned();
    }
    let mut parts: Vec<String> = Vec::new();
    for segment in pointer.split('/').skip(1) {
        let segment = segment.replace("~1", "/").replace("~0", "~");
        match segment.parse::<usize>() {
            Ok(i) if !segment.is_empty() && segment.bytes().all(|b| b.is_ascii_digit()) => {
                match parts.last_mut() {
                    Some(last) => last.push_str(&format!("第{}项", i + 1)),
                    None => parts.push(format!("第{}项", i + 1)),
                }
            }
            _ => parts.push(field(&segment).map_or(segment.clone(), str::to_owned)),
        }
    }
    parts.join(" › ")
}

/// Every field name of the profile and its Chinese words, sorted by name.
const FIELDS: &[(&str, &str)] = &[
    ("action", "整改措施"),
    ("affiliation", "隶属关系"),
    ("approved_by", "批准人"),
    ("approved_on", "批准日期"),
    ("area_km2", "面积（平方千米）"),
    ("area_m2", "面积（平方米）"),
    ("as_of", "评价基准日"),
    ("attendees", "参加人数"),
    ("boundary", "边界"),
    ("buildings", "楼宇"),
    ("capabilities", "平台功能"),
    ("cases", "诉求记录"),
    ("category", "类别"),
    ("certificate", "证书"),
    ("channels", "公开渠道"),
    ("city", "所在城市"),
    ("clause", "条款"),
    ("close", "结束时间"),
    ("closed_at", "办结时间"),
    ("closed_on", "关闭日期"),
    ("content", "内容"),
    ("count", "数量"),
    ("dashboard_indicators", "驾驶舱指标"),
    ("date", "日期"),
    ("description", "说明"),
    ("district", "所在区"),
    ("domain", "服务领域"),
    ("drills", "演练"),
    ("due_on", "完成期限"),
    ("duties", "职责"),
    ("east", "东至"),
    ("emergency_plans", "应急预案"),
    ("employee_n", "员工样本数"),
    ("employee_rate", "员工满意度"),
    ("employment", "就业"),
    ("enterprise", "企业"),
    ("enterprise_attendees", "企业参加人数"),
    ("enterprise_data_refresh_days", "企业数据更新周期（天）"),
    ("enterprise_n", "企业样本数"),
    ("enterprise_rate", "企业满意度"),
    ("enterprises", "企业"),
    ("enterprises_served", "已服务企业数"),
    ("established_on", "成立日期"),
    ("evaluation_id", "所属评价"),
    ("evaluations", "评价记录"),
    ("evaluator", "评价方"),
    ("evidence", "佐证材料"),
    ("expires_on", "到期日期"),
    ("extensions", "扩展数据"),
    ("fee", "收费"),
    ("feedback_given", "已反馈"),
    ("finding_id", "所属问题"),
    ("findings", "发现的问题"),
    ("floor_area_m2", "建筑面积（平方米）"),
    ("four_bounds", "四至"),
    ("frequency", "频次"),
    ("governance_model", "治理模式"),
    ("government", "政府"),
    ("grids", "网格"),
    ("group", "群体"),
    ("hazards_closed", "已整改隐患数"),
    ("hazards_found", "发现隐患数"),
    ("id", "编号"),
    ("improvement_actions", "整改措施"),
    ("incidents", "事件"),
    ("industrial", "产业"),
    ("inspections", "隐患排查"),
    ("integrations", "对接平台"),
    ("items", "事项"),
    ("justification", "理由"),
    ("key", "重点企业"),
    ("kind", "类型"),
    ("level", "层级"),
    ("meetings", "会议"),
    ("members", "成员"),
    ("mode", "方式"),
    ("model", "模式"),
    ("n", "N类力量"),
    ("name", "名称"),
    ("name_en", "英文名称"),
    ("new_stratum_persons", "新阶层人士"),
    ("north", "北至"),
    ("one", "网格长"),
    ("open", "开始时间"),
    ("opening_hours", "开放时间"),
    ("org_ids", "所属组织"),
    ("organizations", "组织"),
    ("overlaps", "重叠的管辖范围"),
    ("owner", "责任人"),
    ("ownership", "产权"),
    ("parks", "园区"),
    ("participants", "参加人员"),
    ("party_lead", "党组织书记"),
    ("party_members", "党员人数"),
    ("per", "单位"),
    ("performance", "绩效"),
    ("period", "期间"),
    ("platform", "信息平台"),
    ("population", "人口"),
    ("premises", "配套用房"),
    ("privacy_controls", "数据保护措施"),
    ("provider_kind", "提供方类型"),
    ("provider_org", "提供组织"),
    ("published_on", "发布日期"),
    ("quality", "质量"),
    ("received_at", "受理时间"),
    ("records_12m", "近12个月记录"),
    ("requested_by", "申请人"),
    ("responded_at", "响应时间"),
    ("role", "角色"),
    ("roles", "角色"),
    ("safety", "安全"),
    ("satisfaction", "满意度"),
    ("schema_version", "格式版本"),
    ("scope", "范围"),
    ("scores", "得分"),
    ("secondary_categories", "次要类别"),
    ("served_12m", "近12个月服务量"),
    ("service_activity", "服务活动"),
    ("service_catalogue", "服务清单"),
    ("sessions", "场次"),
    ("severity", "严重程度"),
    ("sha256", "摘要"),
    ("shared_agreement", "共享用房协议"),
    ("society", "社会"),
    ("source", "来源"),
    ("south", "南至"),
    ("spaces", "功能空间"),
    ("staff", "工作人员"),
    ("street", "所在街道"),
    ("target", "目标"),
    ("text", "文本"),
    ("three", "三员"),
    ("time_limit_working_days", "办理时限（工作日）"),
    ("title", "标题"),
    ("total", "总数"),
    ("training_hours_12m", "近12个月培训学时"),
    ("uri", "链接"),
    ("verified", "已验证"),
    ("version", "版本"),
    ("veto_triggered", "触发一票否决"),
    ("visits", "走访"),
    ("waivers", "豁免"),
    ("weekday", "星期"),
    ("west", "西至"),
    ("within_boundary", "在边界内"),
];

#[cfg(test)]
mod field_tests {
    /// Every property name of the generated profile schema has words, and the table is
    /// sorted (it is searched by halves).
    #[test]
    fn every_profile_field_has_words() {
        assert!(super::FIELDS.windows(2).all(|w| w[0].0 < w[1].0), "sorted");
        let schema = crate::schema::profile_schema();
        let mut names = std::collections::BTreeSet::new();
        fn walk(v: &serde_json::Value, out: &mut std::collections::BTreeSet<String>) {
            match v {
                serde_json::Value::Object(m) => {
                    if let Some(serde_json::Value::Object(p)) = m.get("properties") {
                        out.extend(p.keys().cloned());
                    }
                    m.values().for_each(|x| walk(x, out));
                }
                serde_json::Value::Array(a) => a.iter().for_each(|x| walk(x, out)),
                _ => {}
            }
        }
        walk(&schema, &mut names);
        assert!(names.len() > 100);
        let missing: Vec<&String> = names.iter().filter(|n| super::field(n).is_none()).collect();
        assert!(missing.is_empty(), "fields without words: {missing:?}");
        assert_eq!(
            super::pointer_zh("/staff/2/org_ids/0"),
            "工作人员第3项 › 所属组织第1项"
        );
        assert_eq!(
            super::pointer_zh("/platform/dashboard_indicators"),
            "信息平台 › 驾驶舱指标"
        );
    }
}
