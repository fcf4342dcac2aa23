//! `devos ask "request"`: one request from the terminal. By default through
//! the running server (REST v1 with the saved token, so the job shows live in
//! open browsers); with `--local` in this process. The exit status tells how
//! the job ended ([`exit_code`]).

mod local;
mod remote;
mod render;

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use engine::config::Config;
use protocol::JobStatus;

use crate::serve::Host;

pub use remote::{AskError, Remote, Request};

/// `devos ask` on the command line.
#[derive(Debug, Clone, clap::Args)]
pub struct AskArgs {
    /// The request in plain language.
    pub request: String,
    /// Directory to run in (default: the current directory).
    #[arg(long)]
    pub cwd: Option<PathBuf>,
    /// Approve without asking when the plan needs approval.
    #[arg(long)]
    pub yes: bool,
    /// Print the job's final status as JSON on stdout (the plan and
    /// questions go to stderr).
    #[arg(long)]
    pub json: bool,
    /// Run in this process instead of through the server (browsers see the
    /// job after a reload, not live).
    #[arg(long)]
    pub local: bool,
    /// The server's URL (default: `DEVOS_URL`, else from `server.addr`).
    #[arg(long)]
    pub server: Option<String>,
    /// With `--local`: the account the job belongs to (default: the first).
    #[arg(long, requires = "local")]
    pub user: Option<String>,
}

/// The exit status for a job's final status: 0 completed, 1 failed,
/// 3 rejected, 4 cancelled, 5 expired, 6 interrupted (2 is for errors
/// before a job reached a final state).
pub fn exit_code(status: JobStatus) -> u8 {
    match status {
        JobStatus::Completed => 0,
        JobStatus::Failed => 1,
        JobStatus::Rejected => 3,
        JobStatus::Cancelled => 4,
        JobStatus::Expired => 5,
        JobStatus::Interrupted => 6,
        JobStatus::Planning | JobStatus::Pending | JobStatus::Approved | JobStatus::Executing => {
            NOT_RUN
        }
    }
}

/// Exit status for "DevOS could not run the request at all".
const NOT_RUN: u8 = 2;

/// `http://127.0.0.1:PORT` for the configured address (loopback when the
/// server listens on every address).
fn default_base(config: &Config) -> String {
    let addr = config.server.addr;
    let ip = if addr.ip().is_unspecified() {
        "127.0.0.1".to_owned()
    } else if addr.is_ipv6() {
        format!("[{}]", addr.ip())
    } else {
        addr.ip().to_string()
    };
    format!("http://{ip}:{}", addr.port())
}

/// Runs `devos ask`; errors are printed here, so the caller only exits.
pub async fn run(config: Config, host: Host, args: AskArgs) -> ExitCode {
    let code = match ask(config, host, args).await {
        Ok(code) => code,
        Err(error) => {
            writeln!(std::io::stderr().lock(), "devos ask: {error:#}").ok();
            NOT_RUN
        }
    };
    ExitCode::from(code)
}

async fn ask(config: Config, host: Host, args: AskArgs) -> anyhow::Result<u8> {
    let cwd = match args.cwd {
        Some(dir) => std::path::absolute(dir)?,
        None => std::env::current_dir()?,
    };
    if args.local {
        let status = local::run(config, host, args.request, cwd, args.yes, args.user).await?;
        return Ok(exit_code(status));
    }
    let base = args
        .server
        .or_else(|| std::env::var("DEVOS_URL").ok().filter(|v| !v.is_empty()))
        .unwrap_or_else(|| default_base(&config));
    let remote = Remote {
        base: base.trim_end_matches('/').to_owned(),
        token: crate::token_file::load(&crate::token_file::path()?)?,
    };
    let job = remote
        .ask(&Request {
            text: &args.request,
            cwd: &cwd,
            yes: args.yes,
            json: args.json,
        })
        .await
        .map_err(anyhow::Error::from)?;
    let status = remote::job_status(&job)?;
    if args.json {
        writeln!(std::io::stdout().lock(), "{job:#}")?;
    } else {
        let id = &job["job_id"];
        writeln!(std::io::stdout().lock(), "job {id}: {status}")?;
        if let Some(error) = remote::job_error(&job) {
            writeln!(std::io::stderr().lock(), "{error}")?;
        }
    }
    Ok(exit_code(status))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_final_status_has_its_own_exit_code() {
        let finals: Vec<JobStatus> = JobStatus::ALL
            .iter()
            .copied()
            .filter(|s| s.is_final())
            .collect();
        let mut codes: Vec<u8> = finals.iter().map(|s| exit_code(*s)).collect();
        assert!(!codes.contains(&NOT_RUN));
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), finals.len());
        assert_eq!(exit_code(JobStatus::Completed), 0);
    }
}
