//! The process monitor: a thread that refreshes the top processes, listening
//! ports, load and memory every interval — but only while someone holds an
//! [`InterestGuard`] (an open console, a job being planned). With no interest
//! it sleeps and costs nothing. A planner asking about processes waits for
//! a refresh made for its request ([`ProcessMonitor::fresh_report`]). Command
//! lines are redacted before caching.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, PoisonError, RwLock};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use sysinfo::{MemoryRefreshKind, ProcessRefreshKind, ProcessesToUpdate, System, UpdateKind};

use super::ports::listeners;
use super::redact::redact;
use super::state::{read, unix_now, write};
use judge::context::{
    Listener, LoadAverage, MemoryTotals, ProcessContext, ProcessInfo, TOP_IN_SNAPSHOT,
};

/// Processes kept in each top list.
pub const TOP_PROCESSES: usize = 5;
/// Longest command line kept, in characters.
const COMMAND_CAP: usize = 240;

/// The last refresh of the process monitor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProcessReport {
    /// Busiest processes by CPU.
    pub top_cpu: Vec<ProcessInfo>,
    /// Largest processes by resident memory.
    pub top_memory: Vec<ProcessInfo>,
    /// Listening TCP sockets.
    pub listeners: Vec<Listener>,
    /// Load averages, when the OS reports them.
    pub load: Option<LoadAverage>,
    /// Memory totals.
    pub memory: MemoryTotals,
    /// When this was read, Unix seconds.
    pub refreshed_at: i64,
}

/// The processes part of a snapshot, from the last refresh: the busiest and
/// largest few (each once) and the listeners, those with a known owner first.
pub(crate) fn process_context(report: &ProcessReport) -> ProcessContext {
    let mut top: Vec<ProcessInfo> = Vec::with_capacity(2 * TOP_IN_SNAPSHOT);
    let candidates = report.top_cpu.iter().take(TOP_IN_SNAPSHOT);
    for process in candidates.chain(report.top_memory.iter().take(TOP_IN_SNAPSHOT)) {
        if !top.iter().any(|seen| seen.pid == process.pid) {
            top.push(process.clone());
        }
    }
    let mut listeners = report.listeners.clone();
    listeners.sort_by_key(|listener| (listener.pid.is_none(), listener.port, listener.address));
    ProcessContext {
        top,
        listeners,
        load: report.load,
        memory: report.memory,
        refreshed_at: report.refreshed_at,
    }
}

/// The last report and a counter of refreshes, so a reader can wait for the next one.
#[derive(Debug, Default)]
struct Latest {
    report: RwLock<Option<ProcessReport>>,
    generation: Mutex<u64>,
    refreshed: Condvar,
}

#[derive(Debug, Default)]
struct Interest {
    count: Mutex<usize>,
    changed: Condvar,
    is_stopping: AtomicBool,
}

/// Keeps the process monitor refreshing while alive. Cheap to create;
/// counted, so any number may exist at once.
#[derive(Debug)]
#[must_use = "the process monitor stops refreshing when the guard is dropped"]
pub struct InterestGuard {
    interest: Arc<Interest>,
}

impl Drop for InterestGuard {
    fn drop(&mut self) {
        let mut count = self
            .interest
            .count
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        *count = count.saturating_sub(1);
    }
}

/// Handle on the process monitor thread.
#[derive(Debug)]
pub(crate) struct ProcessMonitor {
    interest: Arc<Interest>,
    latest: Arc<Latest>,
}

impl ProcessMonitor {
    /// Starts the (idle) refresher thread.
    pub(crate) fn spawn(interval: Duration) -> std::io::Result<Self> {
        let monitor = Self {
            interest: Arc::new(Interest::default()),
            latest: Arc::new(Latest::default()),
        };
        let (interest, latest) = (Arc::clone(&monitor.interest), Arc::clone(&monitor.latest));
        std::thread::Builder::new()
            .name("context-processes".into())
            .spawn(move || run(&interest, &latest, interval))?;
        Ok(monitor)
    }

    /// Registers interest; refreshing starts at once if it was idle.
    pub(crate) fn interest(&self) -> InterestGuard {
        let mut count = self
            .interest
            .count
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        *count += 1;
        self.interest.changed.notify_all();
        InterestGuard {
            interest: Arc::clone(&self.interest),
        }
    }

    /// Whether anyone holds a guard.
    pub(crate) fn is_active(&self) -> bool {
        *self
            .interest
            .count
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            > 0
    }

    /// Reads the report through `f` without cloning it.
    pub(crate) fn with_report<T>(&self, f: impl FnOnce(Option<&ProcessReport>) -> T) -> T {
        f(read(&self.latest.report).as_ref())
    }

    /// A report refreshed after this call, waiting up to `timeout` for it;
    /// the previous report when the refresh takes longer, `None` when there
    /// has never been one.
    pub(crate) fn fresh_report(&self, timeout: Duration) -> Option<ProcessReport> {
        let lock = |m: &Mutex<u64>| *m.lock().unwrap_or_else(PoisonError::into_inner);
        let seen = lock(&self.latest.generation);
        // A new guard wakes the thread for an immediate refresh.
        let _looking = self.interest();
        let deadline = Instant::now() + timeout;
        let mut generation = self
            .latest
            .generation
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        while *generation == seen {
            let Some(left) = deadline.checked_duration_since(Instant::now()) else {
                break;
            };
            generation = self
                .latest
                .refreshed
                .wait_timeout(generation, left)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
        drop(generation);
        read(&self.latest.report).clone()
    }

    pub(crate) fn stop(&self) {
        self.interest.is_stopping.store(true, Ordering::Relaxed);
        let _count = self
            .interest
            .count
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        self.interest.changed.notify_all();
    }
}

fn run(interest: &Interest, latest: &Latest, interval: Duration) {
    let Ok(mut system) = System::new() else {
        tracing::warn!("process information is unavailable on this system");
        return;
    };
    let mut last_refresh: Option<Instant> = None;
    loop {
        {
            let mut count = interest
                .count
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            while *count == 0 && !interest.is_stopping.load(Ordering::Relaxed) {
                count = interest
                    .changed
                    .wait(count)
                    .unwrap_or_else(PoisonError::into_inner);
            }
        }
        if interest.is_stopping.load(Ordering::Relaxed) {
            return;
        }
        // CPU use is measured between two refreshes: after a long idle spell
        // take a baseline first, or the figures would average over the idle time.
        if last_refresh.is_none_or(|at| at.elapsed() > 2 * interval) {
            refresh_processes(&mut system);
            std::thread::sleep(sysinfo::MINIMUM_CPU_UPDATE_INTERVAL);
        }
        let fresh = refresh(&mut system);
        last_refresh = Some(Instant::now());
        *write(&latest.report) = Some(fresh);
        *latest
            .generation
            .lock()
            .unwrap_or_else(PoisonError::into_inner) += 1;
        latest.refreshed.notify_all();
        let count = interest
            .count
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        // Woken early by a new guard or by stop; either way the loop re-checks.
        let _wait = interest
            .changed
            .wait_timeout(count, interval)
            .unwrap_or_else(PoisonError::into_inner);
    }
}

fn refresh_processes(system: &mut System) {
    system.refresh_processes_specifics(
        ProcessesToUpdate::All,
        true,
        ProcessRefreshKind::nothing()
            .with_cpu()
            .with_memory()
            .with_cmd(UpdateKind::OnlyIfNotSet),
    );
}

fn refresh(system: &mut System) -> ProcessReport {
    refresh_processes(system);
    system.refresh_memory_specifics(MemoryRefreshKind::nothing().with_ram());
    let processes: Vec<&sysinfo::Process> = system
        .processes()
        .values()
        .filter(|process| process.thread_kind().is_none())
        .collect();
    let by_pid: HashMap<u32, &sysinfo::Process> = processes
        .iter()
        .map(|process| (process.pid().as_u32(), *process))
        .collect();
    let describe = |pid: u32| {
        by_pid.get(&pid).map(|process| {
            let info = info(process);
            (info.name, info.command)
        })
    };
    let top = |key: &dyn Fn(&sysinfo::Process) -> f64| {
        let mut sorted = processes.clone();
        sorted.sort_by(|a, b| key(b).total_cmp(&key(a)));
        sorted.into_iter().take(TOP_PROCESSES).map(info).collect()
    };
    #[expect(clippy::cast_precision_loss, reason = "only used to rank processes")]
    let top_memory = top(&|process| process.memory() as f64);
    ProcessReport {
        top_cpu: top(&|process| f64::from(process.cpu_usage())),
        top_memory,
        listeners: listeners(&describe),
        load: System::load_average().ok().map(|load| LoadAverage {
            one: load.one,
            five: load.five,
            fifteen: load.fifteen,
        }),
        memory: MemoryTotals {
            total_bytes: system.total_memory(),
            used_bytes: system.used_memory(),
            available_bytes: system.available_memory(),
        },
        refreshed_at: unix_now(),
    }
}

fn info(process: &sysinfo::Process) -> ProcessInfo {
    let command = process
        .cmd()
        .iter()
        .map(|arg| arg.to_string_lossy())
        .collect::<Vec<_>>()
        .join(" ");
    let command = redact(&command);
    ProcessInfo {
        pid: process.pid().as_u32(),
        name: process.name().to_string_lossy().into_owned(),
        command: command.chars().take(COMMAND_CAP).collect(),
        cpu_percent: process.cpu_usage(),
        memory_bytes: process.memory(),
    }
}
