//! Effective windows: the days an entry applies, and the moments at which that can change.

use chrono::NaiveDate;

/// A moment for judging changes: `None` is the beginning of time.
pub(super) type Point = Option<NaiveDate>;

/// The days an entry applies: both ends inclusive, open when absent.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Window {
    pub from: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
}

impl Window {
    pub(super) fn at(self, p: Point) -> bool {
        match p {
            None => self.from.is_none(),
            Some(d) => self.from.is_none_or(|f| f <= d) && self.until.is_none_or(|u| d <= u),
        }
    }

    /// Whether `day` is inside the window.
    pub(crate) fn contains(self, day: NaiveDate) -> bool {
        self.at(Some(day))
    }

    pub(crate) const fn is_always(self) -> bool {
        self.from.is_none() && self.until.is_none()
    }

    pub(super) fn intersect(self, other: Self) -> Self {
        let from = match (self.from, other.from) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
        let until = match (self.until, other.until) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        Self { from, until }
    }

    pub(crate) fn is_empty(self) -> bool {
        matches!((self.from, self.until), (Some(f), Some(u)) if f > u)
    }

    /// The moments at which whether this window applies can change.
    pub(super) fn breakpoints(self) -> impl Iterator<Item = Point> {
        [
            self.from.map(Some),
            self.until.and_then(|u| u.succ_opt()).map(Some),
        ]
        .into_iter()
        .flatten()
    }

    pub(super) fn text(d: Option<NaiveDate>) -> Option<String> {
        d.map(|d| d.format("%Y-%m-%d").to_string())
    }
}
