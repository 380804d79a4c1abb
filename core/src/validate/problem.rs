//! One problem found in a community profile, and its stable code.

use std::fmt;

use serde::{Deserialize, Serialize};

/// What kind of problem a [`Problem`] is: a stable kebab-case code that tools can match on.
///
/// New codes may be added in minor versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum ProblemCode {
    /// The bytes are larger than [`ReadOptions::max_bytes`](crate::ReadOptions::max_bytes).
    TooLarge,
    /// The bytes are not UTF-8 text.
    NotUtf8,
    /// The file is empty or holds only whitespace.
    Empty,
    /// Arrays and objects are nested deeper than
    /// [`ReadOptions::max_depth`](crate::ReadOptions::max_depth).
    TooDeep,
    /// The text is not well-formed JSON.
    Syntax,
    /// The top level is not a JSON object.
    NotAnObject,
    /// A value has the wrong JSON type (text where a number belongs, …).
    Type,
    /// A field the profile format does not define.
    UnknownField,
    /// A field the profile format requires is absent.
    MissingField,
    /// The same field appears twice in one object.
    DuplicateField,
    /// A value is not one of the allowed values.
    Enum,
    /// A number is outside its allowed range, or too large to be read exactly.
    Range,
    /// A text value does not have the required form (a date, a time, a hash…).
    Format,
    /// A text value is shorter than allowed (e.g. an empty name).
    TooShort,
    /// An id refers to something the profile does not define.
    DanglingReference,
    /// Two items of one list share an id.
    DuplicateId,
    /// A date of a past event lies after the profile's `as_of`.
    DateAfterAsOf,
    /// Two times are in the wrong order (closing before opening, a reply before receipt…).
    TimeOrder,
    /// The profile is written in another version of the format (`schema_version`); a
    /// `1.0` profile is converted with `icgs migrate`.
    SchemaVersion,
    /// Any other violation of the profile schema.
    Schema,
    /// The validator itself failed; please report it.
    Internal,
    /// More problems than are listed ([`MAX_PROBLEMS`](crate::MAX_PROBLEMS)): this
    /// last problem says how many more there are.
    TooManyProblems,
}

impl ProblemCode {
    /// The code as written in reports, e.g. `unknown-field`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::TooLarge => "too-large",
            Self::NotUtf8 => "not-utf8",
            Self::Empty => "empty",
            Self::TooDeep => "too-deep",
            Self::Syntax => "syntax",
            Self::NotAnObject => "not-an-object",
            Self::Type => "type",
            Self::UnknownField => "unknown-field",
            Self::MissingField => "missing-field",
            Self::DuplicateField => "duplicate-field",
            Self::Enum => "enum",
            Self::Range => "range",
            Self::Format => "format",
            Self::TooShort => "too-short",
            Self::DanglingReference => "dangling-reference",
            Self::DuplicateId => "duplicate-id",
            Self::DateAfterAsOf => "date-after-as-of",
            Self::TimeOrder => "time-order",
            Self::SchemaVersion => "schema-version",
            Self::Schema => "schema",
            Self::Internal => "internal",
            Self::TooManyProblems => "too-many-problems",
        }
    }
}

impl ProblemCode {
    /// Every code, in declaration order.
    pub const ALL: [Self; 22] = [
        Self::TooLarge,
        Self::NotUtf8,
        Self::Empty,
        Self::TooDeep,
        Self::Syntax,
        Self::NotAnObject,
        Self::Type,
        Self::UnknownField,
        Self::MissingField,
        Self::DuplicateField,
        Self::Enum,
        Self::Range,
        Self::Format,
        Self::TooShort,
        Self::DanglingReference,
        Self::DuplicateId,
        Self::DateAfterAsOf,
        Self::TimeOrder,
        Self::SchemaVersion,
        Self::Schema,
        Self::Internal,
        Self::TooManyProblems,
    ];

    /// The code written in a report (`dangling-reference`), back as a code.
    #[must_use]
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == code)
    }

    /// What the code means, in Chinese and English, for people reading a report.
    #[must_use]
    pub const fn label(self) -> (&'static str, &'static str) {
        match self {
            Self::TooLarge => ("文件过大", "file too large"),
            Self::NotUtf8 => ("不是 UTF-8 文本", "not UTF-8 text"),
            Self::Empty => ("文件为空", "empty file"),
            Self::TooDeep => ("嵌套过深", "nested too deeply"),
            Self::Syntax => ("JSON 语法错误", "JSON syntax error"),
            Self::NotAnObject => ("不是 JSON 对象", "not a JSON object"),
            Self::Type => ("数据类型不符", "wrong type"),
            Self::UnknownField => ("未知字段", "unknown field"),
            Self::MissingField => ("缺少必填字段", "missing required field"),
            Self::DuplicateField => ("字段重复", "duplicate field"),
            Self::Enum => ("取值不在规定范围内", "value not among the allowed ones"),
            Self::Range => ("数值超出范围", "number out of range"),
            Self::Format => ("格式不符", "wrong format"),
            Self::TooShort => ("内容过短或为空", "too short or empty"),
            Self::DanglingReference => ("引用的编号不存在", "reference to an unknown id"),
            Self::DuplicateId => ("编号重复", "duplicate id"),
            Self::DateAfterAsOf => ("日期晚于评价基准日", "date after the evaluation date"),
            Self::TimeOrder => ("时间先后颠倒", "times out of order"),
            Self::SchemaVersion => ("档案格式版本不符", "wrong profile format version"),
            Self::Schema => ("不符合档案结构", "does not fit the profile schema"),
            Self::Internal => ("内部错误", "internal error"),
            Self::TooManyProblems => ("问题过多", "too many problems"),
        }
    }
}

impl fmt::Display for ProblemCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem found in a community profile.
///
/// `Display` writes it like a compiler diagnostic,
/// `FILE:LINE:COL: POINTER: message; did you mean `x`?`, leaving out what is unknown; the
/// root pointer `""` is shown as `/`.
///
/// ```
/// let v = icgs::validate("a.json", br#"{"premisses": []}"#, &icgs::ReadOptions::default());
/// let p = v.problems.iter().find(|p| p.code() == icgs::ProblemCode::UnknownField).unwrap();
/// assert_eq!(p.to_string(), "a.json:1:2: /: unknown field `premisses`; did you mean `premises`?");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    source: String,
    pointer: String,
    line: Option<usize>,
    column: Option<usize>,
    code: ProblemCode,
    message: String,
    /// The message in Chinese (`message_zh` in JSON).
    message_zh: String,
    suggestion: Option<String>,
    /// The value `read_profile` took out of the profile because of this problem.
    #[serde(skip)]
    absent: Option<String>,
}

impl Problem {
    pub(crate) fn new(
        source: &str,
        pointer: String,
        position: Option<(usize, usize)>,
        code: ProblemCode,
        message: String,
        suggestion: Option<String>,
    ) -> Self {
        Self {
            source: source.to_owned(),
            pointer,
            line: position.map(|(line, _)| line),
            column: position.map(|(_, column)| column),
            code,
            message,
            message_zh: String::new(),
            suggestion,
            absent: None,
        }
    }

    /// The problem with its message in Chinese; without one, the Chinese message is the
    /// code's label followed by the English message, so nothing is lost.
    pub(crate) fn zh(mut self, message: Option<String>) -> Self {
        self.message_zh =
            message.unwrap_or_else(|| format!("{}：{}", self.code.label().0, self.message));
        self
    }

    pub(crate) fn absent(mut self, pointer: Option<String>) -> Self {
        self.absent = pointer;
        self
    }

    /// The value [`read_profile`](crate::read_profile) treated as absent because of this
    /// problem, as a JSON pointer: the value itself, or the list or record that could not
    /// be read without it (REVISION-2 section E). `None` when nothing was taken out.
    #[must_use]
    pub fn absent_pointer(&self) -> Option<&str> {
        self.absent.as_deref()
    }

    /// The name of the file or source the profile was read from, as given to
    /// [`validate`](crate::validate).
    #[must_use]
    pub fn source_name(&self) -> &str {
        &self.source
    }

    /// Where the problem is, as a JSON pointer (RFC 6901); `""` is the whole document.
    #[must_use]
    pub fn pointer(&self) -> &str {
        &self.pointer
    }

    /// Line in the source text, 1-based, when known.
    #[must_use]
    pub fn line(&self) -> Option<usize> {
        self.line
    }

    /// Column in the source text, 1-based and counted in characters, when known.
    #[must_use]
    pub fn column(&self) -> Option<usize> {
        self.column
    }

    /// The kind of problem.
    #[must_use]
    pub fn code(&self) -> ProblemCode {
        self.code
    }

    /// What is wrong, in words for the person who maintains the data.
    #[must_use]
    pub fn message(&self) -> &str {
        &self.message
    }

    /// What is wrong, in Chinese: what was expected and what was found
    /// (“应为数字，实际为文本“x””), without the place, which [`Problem::pointer_zh`] words.
    #[must_use]
    pub fn message_zh(&self) -> &str {
        &self.message_zh
    }

    /// Where the problem is, in Chinese words (“工作人员第3项 › 人数”, “档案顶层”).
    #[must_use]
    pub fn pointer_zh(&self) -> String {
        crate::vocab::pointer_zh(&self.pointer)
    }

    /// The problem on one line in Chinese, like [`Display`](fmt::Display) in English:
    /// `FILE:LINE:COL: 位置：说明；是否应为“x”？`.
    ///
    /// ```
    /// let v = icgs::validate("a.json", br#"{"premisses": []}"#, &icgs::ReadOptions::default());
    /// let p = v.problems.iter().find(|p| p.code() == icgs::ProblemCode::UnknownField).unwrap();
    /// assert_eq!(p.to_string_zh(), "a.json:1:2: 档案顶层：未知字段“premisses”；是否应为“premises”？");
    /// ```
    #[must_use]
    pub fn to_string_zh(&self) -> String {
        let mut out = self.location();
        out.push_str(&format!("{}：{}", self.pointer_zh(), self.message_zh));
        if let Some(suggestion) = &self.suggestion {
            out.push_str(&format!("；是否应为“{suggestion}”？"));
        }
        out
    }

    /// `FILE:LINE:COL: `, leaving out what is unknown.
    fn location(&self) -> String {
        let mut out = String::new();
        if !self.source.is_empty() {
            out.push_str(&format!("{}:", self.source));
        }
        if let Some(line) = self.line {
            out.push_str(&format!("{line}:"));
            if let Some(column) = self.column {
                out.push_str(&format!("{column}:"));
            }
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out
    }

    /// The closest allowed value or field name, when a misspelling is likely.
    #[must_use]
    pub fn suggestion(&self) -> Option<&str> {
        self.suggestion.as_deref()
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.location())?;
        let pointer = if self.pointer.is_empty() {
            "/"
        } else {
            &self.pointer
        };
        write!(f, "{pointer}: {}", self.message)?;
        if let Some(suggestion) = &self.suggestion {
            write!(f, "; did you mean `{suggestion}`?")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod label_tests {
    use super::ProblemCode;

    #[test]
    fn every_code_reads_back_and_has_words_in_both_languages() {
        for code in ProblemCode::ALL {
            assert_eq!(ProblemCode::from_code(code.as_str()), Some(code));
            let (zh, en) = code.label();
            assert!(!zh.is_empty() && !en.is_empty(), "{code}");
            assert!(
                !zh.contains(code.as_str()),
                "{code}: the Chinese label is words, not the code"
            );
        }
        assert_eq!(ProblemCode::from_code("no-such-code"), None);
    }
}
