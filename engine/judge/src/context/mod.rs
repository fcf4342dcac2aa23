//! The context a plan is judged in, as data: the snapshot of one directory
//! (entries, repository, processes, environment) and the small vocabularies
//! it is made of. The engine's context monitors fill it; nothing here reads
//! the machine.

mod category;
mod files;
mod host;
mod names;
mod repo;
mod snapshot;

pub use category::FileCategory;
pub use files::{CategoryCount, ChangeKind, DirSummary, RecentChange};
pub use host::{
    AwsContext, EnvironmentInfo, Listener, LoadAverage, MemoryTotals, ProcessInfo, TOOLS,
};
pub use names::{
    EntryInfo, EntryKind, NameMatcher, file_name, is_about_processes, newest, sort_newest_first,
};
pub use repo::{
    COMMIT_CAP, CommitSummary, GitOperation, PATH_CAP, PathGroup, RepoSummary, Upstream,
};
pub use snapshot::{
    ContextSnapshot, DEV_PORTS, LIST_CAP, ProcessContext, RECENT_LIMIT, TOP_IN_SNAPSHOT, list_cap,
};
