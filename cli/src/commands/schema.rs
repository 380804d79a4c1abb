//! `icgs schema`: print the JSON Schema of the community profile.

use std::process::ExitCode;

/// Arguments of `icgs schema`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    lang: super::LangArg,
}

/// Prints the schema, exactly as committed at `core/schema/community-profile.schema.json`.
pub fn run(_args: &Args) -> anyhow::Result<ExitCode> {
    super::write_stdout(&icgs::profile_schema_json())?;
    Ok(ExitCode::from(super::EXIT_OK))
}
