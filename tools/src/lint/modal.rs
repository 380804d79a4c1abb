//! The verbal forms of provisions in Chinese clause text (GB/T 1.1-2020 Annex C): 应 and
//! 应当 (requirement), 不应 and 不得 (prohibition), 宜 and 不宜 (recommendation), 可 and 可以
//! (permission) — told apart from words that merely contain the character: 应急, 响应, 应用,
//! 适应, 相应, 供应, 对应 … are not 应; 适宜, 事宜, 便宜 are not 宜; 可视化, 可能, 可靠, 认可,
//! 许可 … are not 可. 能 (功能, 智能) is a capability, never a level, and 不少于 / 不低于 /
//! 不超过 are comparisons, not prohibitions.

use icgs::pack::Level;

/// Characters before 应 that make a word of it (响应, 适应, 相应 …).
const BEFORE_YING: &[char] = &[
    '响', '适', '相', '供', '对', '反', '呼', '回', '感', '效', '照', '顺', '答', '报', '承', '接',
];
/// Characters after 应 that make a word of it (应急, 应用, 应对 …).
const AFTER_YING: &[char] = &[
    '急', '用', '对', '答', '变', '届', '聘', '征', '收', '付', '激', '邀', '允', '诺', '酬', '景',
    '考', '战',
];
/// Characters before 宜 that make a word of it (适宜, 事宜, 便宜 …).
const BEFORE_YI: &[char] = &['适', '事', '便', '合', '相', '时'];
/// Characters after 宜 that make a word of it (宜居, 宜人 …) or a place name (宜兴 …).
const AFTER_YI: &[char] = &['居', '人', '兴', '昌', '宾', '春', '家'];
/// Characters before 可 that make a word of it (认可, 许可 …).
const BEFORE_KE: &[char] = &['认', '许', '宁', '无', '不', '尚', '即'];
/// Characters after 可 that make a word of it (可视化, 可能, 可靠 …).
const AFTER_KE: &[char] = &[
    '视', '能', '靠', '行', '持', '信', '控', '追', '及', '达', '比', '见', '读', '操', '燃', '爱',
    '怕', '惜', '口', '观', '塑', '乐', '疑', '溯', '扩', '复', '感', '替',
];

/// One modal verb found in a text: the level it expresses, the words as written and the
/// character offset of the first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Modal {
    pub level: Level,
    pub words: &'static str,
    pub at: usize,
}

/// Every modal verb of `text`, in order.
pub(crate) fn modals(text: &str) -> Vec<Modal> {
    let chars: Vec<char> = text.chars().collect();
    let at = |k: usize| chars.get(k).copied();
    let before = |k: usize| k.checked_sub(1).and_then(|p| chars.get(p).copied());
    let mut found = Vec::new();
    let mut k = 0;
    while let Some(c) = at(k) {
        let next = at(k + 1);
        let modal = match c {
            '不' if next == Some('应') && !at(k + 2).is_some_and(|n| AFTER_YING.contains(&n)) => {
                Some((Level::ShallNot, "不应", 2))
            }
            '不' if next == Some('得') => Some((Level::ShallNot, "不得", 2)),
            '不' if next == Some('宜') => Some((Level::Should, "不宜", 2)),
            '应' if !before(k).is_some_and(|b| BEFORE_YING.contains(&b))
                && !next.is_some_and(|n| AFTER_YING.contains(&n)) =>
            {
                Some((Level::Shall, "应", 1))
            }
            '宜' if !before(k).is_some_and(|b| BEFORE_YI.contains(&b))
                && !next.is_some_and(|n| AFTER_YI.contains(&n)) =>
            {
                Some((Level::Should, "宜", 1))
            }
            '可' if !before(k).is_some_and(|b| BEFORE_KE.contains(&b))
                && !next.is_some_and(|n| AFTER_KE.contains(&n)) =>
            {
                Some((Level::May, "可", 1))
            }
            _ => None,
        };
        match modal {
            Some((level, words, len)) => {
                found.push(Modal {
                    level,
                    words,
                    at: k,
                });
                k += len;
            }
            None => k += 1,
        }
    }
    found
}

/// The English verbal form of a level, as clause translations use it.
pub(crate) fn english_form(text: &str) -> Vec<Level> {
    let lower = text.to_lowercase();
    let mut levels = Vec::new();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_ascii_alphabetic() && c != '\'')
        .filter(|w| !w.is_empty())
        .collect();
    let mut i = 0;
    while let Some(w) = words.get(i) {
        let next = words.get(i + 1).copied();
        match *w {
            "shall" if next == Some("not") => {
                levels.push(Level::ShallNot);
                i += 1;
            }
            "shall" | "must" => levels.push(Level::Shall),
            "should" => levels.push(Level::Should),
            "may" => levels.push(Level::May),
            _ => {}
        }
        i += 1;
    }
    levels
}

#[cfg(test)]
mod tests {
    use super::*;

    fn levels(text: &str) -> Vec<(Level, &'static str)> {
        modals(text)
            .into_iter()
            .map(|m| (m.level, m.words))
            .collect()
    }

    #[test]
    fn finds_the_four_levels() {
        assert_eq!(
            levels("配套用房建筑面积应不少于1500 m²。"),
            [(Level::Shall, "应")]
        );
        assert_eq!(
            levels("产业社区边界不应与其他社区管辖范围重叠。"),
            [(Level::ShallNot, "不应")]
        );
        assert_eq!(
            levels("产业社区规模宜为2万~3万产业人口。"),
            [(Level::Should, "宜")]
        );
        assert_eq!(
            levels("兼具多种产业特征的，可同时标注次要类别。"),
            [(Level::May, "可")]
        );
        assert_eq!(levels("平台可以对接。"), [(Level::May, "可")]);
        assert_eq!(levels("不得泄露数据。"), [(Level::ShallNot, "不得")]);
    }

    #[test]
    fn words_containing_the_characters_are_not_levels() {
        for text in [
            "突发事件应急预案",
            "诉求受理后1个工作日内响应",
            "应用系统",
            "与党员人数相适应",
            "相应的职责",
            "供应链",
            "具备统计分析功能",
            "智能制造",
            "数据可视化",
            "可能发生",
            "经认可的机构",
            "环境适宜",
            "有关事宜",
            "不少于3名",
            "不低于90%",
            "不超过300家",
        ] {
            assert_eq!(levels(text), [], "{text}");
        }
    }

    #[test]
    fn a_modal_next_to_a_word_is_still_found() {
        assert_eq!(
            levels("应制定突发事件应急预案，每年至少演练1次。"),
            [(Level::Shall, "应")]
        );
        assert_eq!(
            levels("诉求受理后应在1个工作日内响应。"),
            [(Level::Shall, "应")]
        );
        assert_eq!(
            levels("党组织设置形式宜与党员人数相适应。"),
            [(Level::Should, "宜")]
        );
    }

    #[test]
    fn english_forms() {
        assert_eq!(
            english_form("The boundary shall not overlap another's."),
            [Level::ShallNot]
        );
        assert_eq!(
            english_form("Grids should cover at most 300 enterprises."),
            [Level::Should]
        );
        assert_eq!(english_form("Services may be contracted."), [Level::May]);
    }
}
