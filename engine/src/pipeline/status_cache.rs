//! Status answers kept between changes, so a poll of a job that has not
//! changed since the last one costs no query. Three rules keep an answer
//! true: every event the engine publishes about a job forgets that job's
//! answer before any stream sees the event; an answer read while anything
//! was forgotten is not kept (it may predate the change); and none is
//! served after [`FRESH_FOR`], which bounds what a write from another
//! process (a `devos ask --local` on the same database) can hide.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use crate::job::JobId;

/// How long an answer is served without a change being published.
pub const FRESH_FOR: Duration = Duration::from_millis(250);
/// Answers kept at most; past that the cache starts over.
const CAPACITY: usize = 1024;

/// The kept answers, of any type (the engine keeps `JobDetail`s).
#[derive(Debug)]
pub struct StatusCache<T> {
    inner: Mutex<Inner<T>>,
}

#[derive(Debug)]
struct Inner<T> {
    /// Counts forgets; a read that began in an older one is not kept.
    epoch: u64,
    answers: HashMap<JobId, Kept<T>>,
}

#[derive(Debug)]
struct Kept<T> {
    owner: i64,
    at: Instant,
    answer: T,
}

/// Where a read began, for [`StatusCache::keep`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadStart(u64);

impl<T> Default for StatusCache<T> {
    fn default() -> Self {
        Self {
            inner: Mutex::new(Inner {
                epoch: 0,
                answers: HashMap::new(),
            }),
        }
    }
}

impl<T: Clone> StatusCache<T> {
    /// The kept answer about `job` for its owner `user_id`, while fresh.
    pub fn get(&self, job: JobId, user_id: i64) -> Option<T> {
        let inner = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        let kept = inner.answers.get(&job)?;
        (kept.owner == user_id && kept.at.elapsed() < FRESH_FOR).then(|| kept.answer.clone())
    }

    /// Marks the start of a read whose answer may be kept.
    pub fn start_read(&self) -> ReadStart {
        ReadStart(
            self.inner
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .epoch,
        )
    }

    /// Keeps `answer` about `job`, owned by `owner`, unless anything was
    /// forgotten since `start`.
    pub fn keep(&self, start: ReadStart, job: JobId, owner: i64, answer: T) {
        let mut inner = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        if inner.epoch != start.0 {
            return;
        }
        if inner.answers.len() >= CAPACITY {
            inner.answers.clear();
        }
        let at = Instant::now();
        inner.answers.insert(job, Kept { owner, at, answer });
    }

    /// Forgets the answer about `job`: it changed.
    pub fn forget(&self, job: JobId) {
        let mut inner = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        inner.epoch += 1;
        inner.answers.remove(&job);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_is_served_to_its_owner_until_its_job_changes() {
        let cache = StatusCache::default();
        let start = cache.start_read();
        cache.keep(start, JobId(1), 7, "planning");
        assert_eq!(cache.get(JobId(1), 7), Some("planning"));
        assert_eq!(cache.get(JobId(1), 8), None, "another user's job");
        assert_eq!(cache.get(JobId(2), 7), None);
        cache.forget(JobId(1));
        assert_eq!(cache.get(JobId(1), 7), None);
    }

    #[test]
    fn a_read_that_overlapped_a_change_is_not_kept() {
        let cache = StatusCache::default();
        let start = cache.start_read();
        cache.forget(JobId(1));
        cache.keep(start, JobId(1), 7, "executing");
        assert_eq!(cache.get(JobId(1), 7), None);
    }

    #[test]
    fn an_answer_goes_stale() {
        let cache = StatusCache::default();
        let start = cache.start_read();
        cache.keep(start, JobId(1), 7, "completed");
        let stale = Instant::now().checked_sub(FRESH_FOR).unwrap();
        cache
            .inner
            .lock()
            .unwrap()
            .answers
            .get_mut(&JobId(1))
            .unwrap()
            .at = stale;
        assert_eq!(cache.get(JobId(1), 7), None);
    }
}
