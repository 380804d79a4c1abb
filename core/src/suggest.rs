//! "Did you mean": one rule for every suggestion the crate and its front ends make.
//!
//! A candidate is suggested when it is close enough to be a likely misspelling: case and
//! `_`/`-` are folded, then the better of the normalised Damerau–Levenshtein similarity and
//! the Jaro–Winkler similarity (less 0.15, so a shared prefix alone does not decide) must
//! reach 0.7. Far-off names get no suggestion: a wrong hint is worse than none.

/// The candidate closest to `needle`, when it is close enough to be a likely misspelling;
/// never `needle` itself. Of equally close candidates, the first.
///
/// ```
/// let fields = ["premises", "organizations", "staff"];
/// assert_eq!(icgs::suggest::closest("premisses", fields), Some("premises"));
/// assert_eq!(icgs::suggest::closest("budget", fields), None);
/// ```
pub fn closest<'a, S>(needle: &str, candidates: impl IntoIterator<Item = &'a S>) -> Option<&'a S>
where
    S: AsRef<str> + ?Sized + 'a,
{
    let lower = fold(needle);
    let mut best: Option<(f64, &'a S)> = None;
    for candidate in candidates {
        let text = candidate.as_ref();
        if text == needle {
            continue;
        }
        let folded = fold(text);
        let score = if folded == lower {
            1.0
        } else {
            strsim::normalized_damerau_levenshtein(&lower, &folded)
                .max(strsim::jaro_winkler(&lower, &folded) - 0.15)
        };
        if score >= THRESHOLD && best.is_none_or(|(s, _)| score > s) {
            best = Some((score, candidate));
        }
    }
    best.map(|(_, c)| c)
}

/// The similarity a suggestion needs.
const THRESHOLD: f64 = 0.7;

fn fold(s: &str) -> String {
    s.to_lowercase().replace('_', "-")
}

#[cfg(test)]
mod tests {
    use super::closest;

    #[test]
    fn misspellings_are_found_and_far_names_are_not() {
        let fields = ["premises", "organizations", "staff"];
        assert_eq!(closest("premisses", fields), Some("premises"));
        assert_eq!(closest("organisations", fields), Some("organizations"));
        assert_eq!(closest("Staff", fields), Some("staff"));
        assert_eq!(closest("budget", fields), None);
        assert_eq!(closest("staff", fields), None, "never the name itself");
    }

    #[test]
    fn ids_and_owned_names_work_alike() {
        let rules = vec!["6.4.3".to_owned(), "6.4.4".to_owned(), "C.TI.3".to_owned()];
        assert_eq!(closest("6.4.30", &rules), Some(&rules[0]));
        assert_eq!(closest("c.ti.3", &rules), Some(&rules[2]));
        assert_eq!(
            closest("premises_min_m2", ["premises-min-m2"]),
            Some("premises-min-m2")
        );
        assert_eq!(closest("grid_chief", ["premises_min_m2"]), None);
    }
}
