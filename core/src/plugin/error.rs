/// A plugin was refused; nothing of it is used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PluginError {
    /// No file at the path.
    #[error("plugin `{path}`: no such file")]
    NotFound {
        /// The path as given.
        path: String,
    },
    /// The path is not a regular file.
    #[error("plugin `{path}`: not a file")]
    NotAFile {
        /// The path.
        path: String,
    },
    /// The file's SHA-256 is not the pinned one.
    #[error("plugin `{path}`: SHA-256 is `{actual}`, expected `{expected}`")]
    Digest {
        /// The path.
        path: String,
        /// The pinned digest.
        expected: String,
        /// The file's digest.
        actual: String,
    },
    /// The file is not a loadable library.
    #[error("plugin `{path}`: not a loadable library: {message}")]
    NotALibrary {
        /// The path.
        path: String,
        /// The loader's reason.
        message: String,
    },
    /// The library does not export the entry symbol.
    #[error(
        "plugin `{path}`: no `{symbol}` symbol; is it an icgs plugin built with `export_plugin!`?"
    )]
    MissingEntry {
        /// The path.
        path: String,
        /// The symbol looked for.
        symbol: &'static str,
    },
    /// The entry returned no table.
    #[error("plugin `{path}`: the entry symbol returned a null table")]
    NullTable {
        /// The path.
        path: String,
    },
    /// The plugin speaks another ABI major version.
    #[error(
        "plugin `{path}`: plugin ABI {major}.{minor}, this host speaks {host_major}.x; rebuild the plugin against icgs-plugin-api {host_major}"
    )]
    AbiMismatch {
        /// The path.
        path: String,
        /// The plugin's ABI major.
        major: u32,
        /// The plugin's ABI minor.
        minor: u32,
        /// The host's ABI major.
        host_major: u32,
    },
    /// The function table is smaller than ABI 1.0's.
    #[error("plugin `{path}`: function table of {size} bytes, at least {needed} expected")]
    TableTooSmall {
        /// The path.
        path: String,
        /// The size declared.
        size: u32,
        /// The size needed.
        needed: usize,
    },
    /// Asking for the manifest failed.
    #[error("plugin `{path}`: cannot read its manifest: {message}")]
    ManifestCall {
        /// The path.
        path: String,
        /// Why.
        message: String,
    },
    /// The manifest is malformed or invalid.
    #[error("plugin `{path}`: invalid manifest: {message}")]
    Manifest {
        /// The path, or the plugin id.
        path: String,
        /// What is wrong.
        message: String,
    },
    /// The plugin does not support this icgs version.
    #[error("plugin `{plugin}` requires icgs `{requires}`, this is {host}")]
    HostVersion {
        /// The plugin id.
        plugin: String,
        /// Its requirement.
        requires: String,
        /// This icgs version.
        host: String,
    },
    /// A rule, category or parameter id of the plugin is already taken.
    #[error("plugin `{plugin}`: {what} `{id}` is already defined by {first}")]
    Duplicate {
        /// The plugin id.
        plugin: String,
        /// `rule`, `category` or `parameter`.
        what: &'static str,
        /// The id.
        id: String,
        /// Who defined it first.
        first: String,
    },
}
