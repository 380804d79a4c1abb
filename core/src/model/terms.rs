//! The standard's Chinese terms (and their English translations) for the codes of the
//! profile, so that messages name a role or an organisation as a reader knows it, never by
//! its code.

use super::{Employment, OrgKind, Role};

impl Role {
    /// The Chinese term: 网格长, 网格指导员, 网格员 …
    #[must_use]
    pub const fn zh(self) -> &'static str {
        match self {
            Self::SocialWorker => "社会工作者",
            Self::CommunityWorker => "社区工作者",
            Self::GridWorker => "网格员",
            Self::Cadre => "机关干部",
            Self::EnterpriseLiaison => "企业联络员",
            Self::PartyVolunteer => "党员志愿者",
            Self::Volunteer => "志愿者",
            Self::GridChief => "网格长",
            Self::GridSupervisor => "网格指导员",
        }
    }

    /// The English term.
    #[must_use]
    pub const fn en(self) -> &'static str {
        match self {
            Self::SocialWorker => "social worker",
            Self::CommunityWorker => "community worker",
            Self::GridWorker => "grid worker",
            Self::Cadre => "government cadre",
            Self::EnterpriseLiaison => "enterprise liaison",
            Self::PartyVolunteer => "Party member volunteer",
            Self::Volunteer => "volunteer",
            Self::GridChief => "grid chief",
            Self::GridSupervisor => "grid supervisor",
        }
    }
}

impl Employment {
    /// The Chinese qualifier put before a role: 专职网格员, 兼职网格员.
    #[must_use]
    pub const fn zh(self) -> &'static str {
        match self {
            Self::FullTime => "专职",
            Self::PartTime => "兼职",
            Self::Volunteer => "志愿",
            Self::Seconded => "下沉",
        }
    }

    /// The English qualifier put before a role.
    #[must_use]
    pub const fn en(self) -> &'static str {
        match self {
            Self::FullTime => "full-time",
            Self::PartTime => "part-time",
            Self::Volunteer => "volunteer",
            Self::Seconded => "seconded",
        }
    }
}

impl OrgKind {
    /// The Chinese term: 党组织, 治理委员会, 公共服务中心 …
    #[must_use]
    pub const fn zh(self) -> &'static str {
        match self {
            Self::PartyOrganization => "党组织",
            Self::GovernanceCommittee => "治理委员会",
            Self::PublicServiceCenter => "公共服务中心",
            Self::EnterpriseSocialWorkStation => "企业社会工作站",
            Self::NewStratumOrganization => "新的社会阶层人士自治组织",
            Self::SocialOrganization => "社会组织",
            Self::ParkOperator => "园区运营方",
            Self::GovernmentDepartment => "政府部门",
            Self::Enterprise => "企业",
        }
    }

    /// The English term.
    #[must_use]
    pub const fn en(self) -> &'static str {
        match self {
            Self::PartyOrganization => "Party organisation",
            Self::GovernanceCommittee => "governance committee",
            Self::PublicServiceCenter => "public service centre",
            Self::EnterpriseSocialWorkStation => "enterprise social work station",
            Self::NewStratumOrganization => "new-social-stratum organisation",
            Self::SocialOrganization => "social organisation",
            Self::ParkOperator => "park operator",
            Self::GovernmentDepartment => "government department",
            Self::Enterprise => "enterprise",
        }
    }
}
