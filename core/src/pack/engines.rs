//! Engines per overlay chain: what a portfolio run and a server use when the chain depends
//! on the community (docs/overlays.md, "One chain per evaluation"). Each chain's engine is
//! built the first time a community needs it and shared afterwards.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use super::{BuildError, PackSet};
use crate::plugin::Plugin;
use crate::{Engine, EvalOptions};

/// The packs loaded, and an engine per chain taken from them: the chain named, or the
/// one each community's `city` and `district` select ([`PackSet::for_place`]); never every
/// overlay loaded.
///
/// ```
/// # let packs = icgs::pack::Pack::embedded().unwrap();
/// let engines = icgs::pack::Engines::new(icgs::pack::PackSet::new(packs));
/// let engine = engines.for_place(Some("杭州市"), Some("滨江区")).unwrap();
/// # let _ = engine;
/// ```
#[derive(Debug, Default)]
pub struct Engines {
    set: PackSet,
    plugins: Vec<Arc<Plugin>>,
    options: EvalOptions,
    overlay: Option<String>,
    by_chain: Mutex<BTreeMap<String, Arc<Engine>>>,
}

impl Engines {
    /// Engines of the packs of `set`.
    #[must_use]
    pub fn new(set: PackSet) -> Self {
        Self {
            set,
            ..Self::default()
        }
    }

    /// Adds a plugin to every engine (loaded once, shared).
    #[must_use]
    pub fn plugin(mut self, plugin: Arc<Plugin>) -> Self {
        self.plugins.push(plugin);
        self
    }

    /// The evaluation options of every engine ([`Engine::with_options`]).
    #[must_use]
    pub fn options(mut self, options: EvalOptions) -> Self {
        self.options = options;
        self
    }

    /// Uses the chain of overlay `id` for every profile ([`Self::for_profile`]) instead of
    /// each profile's place (`--overlay`).
    #[must_use]
    pub fn overlay(mut self, id: impl Into<String>) -> Self {
        self.overlay = Some(id.into());
        self
    }

    /// The packs loaded.
    #[must_use]
    pub const fn set(&self) -> &PackSet {
        &self.set
    }

    /// The overlay every profile is evaluated with, when one was named.
    #[must_use]
    pub fn named_overlay(&self) -> Option<&str> {
        self.overlay.as_deref()
    }

    /// The engine of overlay `id` and the overlays it `extends`.
    ///
    /// # Errors
    /// No overlay of that id is loaded (the message names the closest), or the chain does
    /// not build.
    pub fn named(&self, id: &str) -> Result<Arc<Engine>, BuildError> {
        let chain = self.set.named(id)?;
        self.cached(&chain, || Engine::builder().overlay(id))
    }

    /// The engine of the overlays that apply to a community of `city` and `district`.
    ///
    /// # Errors
    /// Two applicable overlays are on different branches, or the chain does not build.
    pub fn for_place(
        &self,
        city: Option<&str>,
        district: Option<&str>,
    ) -> Result<Arc<Engine>, BuildError> {
        let chain = self.set.for_place(city, district)?;
        self.cached(&chain, || Engine::builder().place(city, district))
    }

    /// The engine for a profile's bytes: the named overlay's ([`Self::overlay`]), else the
    /// one its `city` and `district` select. Only the place is read here; the profile is
    /// validated when it is evaluated.
    ///
    /// # Errors
    /// As [`Self::named`] and [`Self::for_place`].
    pub fn for_profile(&self, bytes: &[u8]) -> Result<Arc<Engine>, BuildError> {
        #[derive(serde::Deserialize)]
        struct Place {
            city: Option<serde_json::Value>,
            district: Option<serde_json::Value>,
        }
        if let Some(id) = &self.overlay {
            return self.named(id);
        }
        if !self.set.has_places() {
            return self.for_place(None, None);
        }
        let place = serde_json::from_slice::<Place>(bytes).ok();
        let city = place.as_ref().and_then(|p| p.city.as_ref()?.as_str());
        let district = place.as_ref().and_then(|p| p.district.as_ref()?.as_str());
        self.for_place(city, district)
    }

    /// The engine of `chain`, built by `builder` (with the packs, plugins and options
    /// added) the first time.
    fn cached(
        &self,
        chain: &super::Chain,
        builder: impl FnOnce() -> crate::EngineBuilder,
    ) -> Result<Arc<Engine>, BuildError> {
        // How the chain was chosen is part of the report (`overlay_chain.chosen_by`).
        let key = format!("{}:{}", chain.overlays.chosen_by, chain.key());
        let mut cache = self
            .by_chain
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(engine) = cache.get(&key) {
            return Ok(engine.clone());
        }
        let mut builder = builder().packs(self.set.clone());
        for plugin in &self.plugins {
            builder = builder.plugin(Arc::clone(plugin));
        }
        let engine = Arc::new(builder.build()?.with_options(self.options.clone()));
        cache.insert(key, engine.clone());
        Ok(engine)
    }
}
