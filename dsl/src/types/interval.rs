//! The Rust values of an `INTERVAL`: [`PgInterval`], exact, and the durations of `time` and
//! `chrono`, which hold an interval of fixed length (days and smaller units).

#[cfg(any(feature = "time", feature = "chrono"))]
use crate::error::{Error, ErrorKind, QueryResult};

/// PostgreSQL's INTERVAL as the server keeps it: months, days and microseconds, each with its
/// own sign and none folded into another (a month has no fixed number of days). Reads and
/// writes every interval exactly; a `time::Duration` or `chrono::TimeDelta` reads only an
/// interval without months.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct PgInterval {
    /// Whole months (a year is 12).
    pub months: i32,
    /// Whole days.
    pub days: i32,
    /// Microseconds.
    pub microseconds: i64,
}

const MICROSECONDS_PER_DAY: i64 = 86_400_000_000;

impl PgInterval {
    /// An interval of `microseconds`, no days or months: how a duration is sent.
    pub fn from_microseconds(microseconds: i64) -> Self {
        PgInterval {
            months: 0,
            days: 0,
            microseconds,
        }
    }

    /// The interval's length in microseconds, a day counted as 24 hours; `None` when it has
    /// months (whose length depends on the date they are added to) or does not fit an `i64`.
    pub fn fixed_microseconds(&self) -> Option<i64> {
        if self.months != 0 {
            return None;
        }
        i64::from(self.days)
            .checked_mul(MICROSECONDS_PER_DAY)?
            .checked_add(self.microseconds)
    }

    /// [`Self::fixed_microseconds`], or the error a read into a duration gives.
    #[cfg(any(feature = "time", feature = "chrono"))]
    fn duration_microseconds(&self, target: &str) -> Result<i64, String> {
        if self.months != 0 {
            return Err(format!(
                "the INTERVAL {self:?} counts months, which have no fixed length: read it as philtre::types::PgInterval, not {target}"
            ));
        }
        self.fixed_microseconds()
            .ok_or_else(|| format!("the INTERVAL {self:?} does not fit {target}"))
    }
}

#[cfg(any(feature = "time", feature = "chrono"))]
fn unrepresentable(what: String) -> Error {
    Error::new(ErrorKind::Serialization, what)
}

/// A `time::Duration` as an interval of microseconds; an error when it has a fraction of a
/// microsecond (PostgreSQL would round it) or does not fit.
#[cfg(feature = "time")]
pub fn interval_from_duration(duration: &time::Duration) -> QueryResult<PgInterval> {
    if duration.subsec_nanoseconds() % 1_000 != 0 {
        return Err(unrepresentable(format!(
            "the duration {duration} has a fraction of a microsecond, which an INTERVAL cannot hold"
        )));
    }
    i64::try_from(duration.whole_microseconds())
        .map(PgInterval::from_microseconds)
        .map_err(|_| unrepresentable(format!("the duration {duration} does not fit an INTERVAL")))
}

/// An interval without months as a `time::Duration`.
#[cfg(feature = "time")]
pub fn duration_from_interval(interval: &PgInterval) -> Result<time::Duration, String> {
    interval
        .duration_microseconds("time::Duration")
        .map(time::Duration::microseconds)
}

/// A `chrono::TimeDelta` as an interval of microseconds; an error as for `time::Duration`.
#[cfg(feature = "chrono")]
pub fn interval_from_time_delta(delta: &chrono::TimeDelta) -> QueryResult<PgInterval> {
    if delta.subsec_nanos() % 1_000 != 0 {
        return Err(unrepresentable(format!(
            "the duration {delta} has a fraction of a microsecond, which an INTERVAL cannot hold"
        )));
    }
    delta
        .num_microseconds()
        .map(PgInterval::from_microseconds)
        .ok_or_else(|| unrepresentable(format!("the duration {delta} does not fit an INTERVAL")))
}

/// An interval without months as a `chrono::TimeDelta`.
#[cfg(feature = "chrono")]
pub fn time_delta_from_interval(interval: &PgInterval) -> Result<chrono::TimeDelta, String> {
    interval
        .duration_microseconds("chrono::TimeDelta")
        .map(chrono::TimeDelta::microseconds)
}

#[cfg(test)]
mod tests {
    #[cfg(feature = "time")]
    use super::*;

    #[test]
    #[cfg(feature = "time")]
    fn months_have_no_fixed_length() {
        let month = PgInterval {
            months: 1,
            ..PgInterval::default()
        };
        assert_eq!(month.fixed_microseconds(), None);
        let day_and_a_second = PgInterval {
            months: 0,
            days: 1,
            microseconds: 1_000_000,
        };
        assert_eq!(day_and_a_second.fixed_microseconds(), Some(86_401_000_000));
        let huge = PgInterval {
            months: 0,
            days: i32::MAX,
            microseconds: i64::MAX,
        };
        assert_eq!(huge.fixed_microseconds(), None);
    }

    #[cfg(feature = "time")]
    #[test]
    fn durations_convert_exactly_or_not_at_all() {
        let d = time::Duration::new(-90, -500_000_000);
        let interval = interval_from_duration(&d).expect("whole microseconds");
        assert_eq!(interval.microseconds, -90_500_000);
        assert_eq!(duration_from_interval(&interval), Ok(d));
        let nanos = time::Duration::nanoseconds(1_500);
        assert_eq!(
            interval_from_duration(&nanos).map_err(|e| e.kind()),
            Err(ErrorKind::Serialization)
        );
        assert!(interval_from_duration(&time::Duration::MAX).is_err());
    }
}
