//! The inputs of `validate` and `check`: files, directories of `*.json` files, stdin.

use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

/// One input profile.
pub enum Input {
    File(PathBuf),
    Stdin,
    /// A path that could not be expanded (e.g. an unreadable directory).
    Broken(String, Reason),
}

/// Why an input could not be read, in Chinese and English.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason {
    pub zh: String,
    pub en: String,
}

impl Reason {
    /// An I/O error in words: the kinds a person can act on are said in Chinese, with the
    /// system's own words after them.
    pub fn io(e: &io::Error) -> Self {
        let zh = match e.kind() {
            io::ErrorKind::NotFound => "文件或目录不存在",
            io::ErrorKind::PermissionDenied => "没有读取权限",
            io::ErrorKind::IsADirectory => "这是一个目录，不是文件",
            io::ErrorKind::InvalidData => "内容无法读取",
            _ => "读取失败",
        };
        Self {
            zh: format!("{zh}（{e}）"),
            en: e.to_string(),
        }
    }

    /// The reason in `lang`.
    pub fn pick(&self, lang: crate::render::Lang) -> &str {
        lang.pick(&self.zh, &self.en)
    }
}

impl From<Reason> for String {
    /// The English reason, for callers that report in English only.
    fn from(reason: Reason) -> Self {
        reason.en
    }
}

impl Input {
    /// The file read, when it is one.
    pub fn path(&self) -> Option<&Path> {
        match self {
            Self::File(path) => Some(path),
            Self::Stdin | Self::Broken(..) => None,
        }
    }

    /// The name used in messages and reports.
    pub fn name(&self) -> String {
        match self {
            Self::File(path) => path.display().to_string(),
            Self::Stdin => "<stdin>".to_owned(),
            Self::Broken(name, _) => name.clone(),
        }
    }
}

/// Files stay as given; a directory becomes its `*.json` files, sorted.
pub fn expand(paths: &[PathBuf]) -> Vec<Input> {
    let mut inputs = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            inputs.push(Input::Stdin);
        } else if path.is_dir() {
            match json_files(path) {
                Ok(files) if files.is_empty() => inputs.push(Input::Broken(
                    path.display().to_string(),
                    Reason {
                        zh: "目录中没有 *.json 文件".to_owned(),
                        en: "the directory holds no `*.json` files".to_owned(),
                    },
                )),
                Ok(files) => inputs.extend(files.into_iter().map(Input::File)),
                Err(e) => inputs.push(Input::Broken(path.display().to_string(), Reason::io(&e))),
            }
        } else {
            inputs.push(Input::File(path.clone()));
        }
    }
    inputs
}

fn json_files(dir: &Path) -> io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        let is_json = path
            .extension()
            .is_some_and(|ext| ext.eq_ignore_ascii_case("json"));
        if is_json && path.is_file() {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

/// Reads at most one byte more than the limit, so a huge file is never read whole.
fn read_limited(reader: impl Read, max_bytes: usize) -> io::Result<Vec<u8>> {
    let limit = u64::try_from(max_bytes)
        .unwrap_or(u64::MAX)
        .saturating_add(1);
    let mut bytes = Vec::new();
    reader.take(limit).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// The bytes of an input, at most one byte more than `max_bytes` (so the reader reports
/// a too-large file without reading it whole).
pub fn read_input(input: &Input, max_bytes: usize) -> Result<Vec<u8>, Reason> {
    match input {
        Input::File(path) => fs::File::open(path).and_then(|f| read_limited(f, max_bytes)),
        Input::Stdin => read_limited(io::stdin().lock(), max_bytes),
        Input::Broken(_, reason) => return Err(reason.clone()),
    }
    .map_err(|e| Reason::io(&e))
}
