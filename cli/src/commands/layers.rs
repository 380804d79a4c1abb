//! `--waivers FILE` and `--as-of DATE`: what an evaluation uses besides the profile and the
//! packs. Flattened into the commands that evaluate (`check`).

use std::path::PathBuf;

use anyhow::Context as _;
use icgs::{EvalOptions, WaiverSet};

/// Evaluation date and extra waivers.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct LayerArgs {
    /// A waiver file: a JSON list of waivers with the fields of the profile's `waivers`
    /// (`clause`, `justification`, `requested_by`, `approved_by`, `approved_on`,
    /// `expires_on`, all required) and optionally `community` (a profile id); repeatable
    #[arg(long = "waivers", value_name = "FILE")]
    pub waivers: Vec<PathBuf>,
    /// Also apply the waivers written in each profile (`waivers[]`). Without it they are
    /// reported as untrusted and not applied: a community cannot waive its own failures
    #[arg(long = "trust-profile-waivers")]
    pub trust_profile_waivers: bool,
    /// Evaluate as of this date (YYYY-MM-DD) instead of each profile's `as_of`: time
    /// windows, effective dates and waivers are judged against it (never the wall clock)
    #[arg(long = "as-of", value_name = "DATE")]
    pub as_of: Option<String>,
}

impl LayerArgs {
    /// The options these flags give.
    pub fn options(&self) -> anyhow::Result<EvalOptions> {
        let mut options = EvalOptions::new().trust_profile_waivers(self.trust_profile_waivers);
        if let Some(date) = &self.as_of {
            options = options.as_of(date).context("--as-of")?;
        }
        for file in &self.waivers {
            options = options.waivers(WaiverSet::from_path(file)?);
        }
        Ok(options)
    }
}
