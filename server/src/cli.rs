//! The command line: `serve` (default), `user add|unlock`, `token create|list|revoke`,
//! `check-command`, `ask`, `eval`, and the hidden `reap` helper.
//! Output meant for the user is written to stdout/stderr with `writeln!`.

use std::io::{BufRead as _, Write as _};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context as _, bail};
use clap::{Parser, Subcommand};
use engine::config::{Config, Overrides};
use engine::store::Store;
use tracing_subscriber::EnvFilter;

use crate::serve::Host;

/// DevOS: drive your machine in plain language from the browser.
#[derive(Debug, Parser)]
#[command(name = "devos", version, about)]
pub struct Cli {
    /// What to do; `serve` when omitted.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the web server (the default).
    Serve {
        /// Allow `server.addr` beyond loopback (only behind a TLS reverse
        /// proxy: DevOS itself serves plain HTTP).
        #[arg(long)]
        i_know_this_is_public: bool,
    },
    /// Manage local accounts.
    User {
        /// What to do with users.
        #[command(subcommand)]
        action: UserAction,
    },
    /// Manage API tokens for scripts and the REST API.
    Token {
        /// What to do with tokens.
        #[command(subcommand)]
        action: TokenAction,
    },
    /// Rate shell commands read from stdin, one per line; prints one JSON line each.
    CheckCommand {
        /// Directory the commands would run in (default: the current directory).
        #[arg(long)]
        cwd: Option<PathBuf>,
    },
    /// Run a request from the terminal through the running server (with the
    /// token saved by `devos token create --save`). Exit status: 0 completed,
    /// 1 failed, 2 not run (no server, bad token…), 3 rejected, 4 cancelled,
    /// 5 expired, 6 interrupted.
    Ask(crate::ask::AskArgs),
    /// Check the configuration, data dir, database, sandbox, providers, git,
    /// disk space, inotify limits and the service; print what to fix.
    Doctor,
    /// Write a consistent copy of the database to FILE (safe while serving).
    Backup {
        /// The new file (must not exist).
        file: PathBuf,
    },
    /// Replace the database with a backup (stop DevOS first); the current
    /// one is kept beside it.
    Restore {
        /// A file written by `devos backup`.
        file: PathBuf,
    },
    /// Internal: the helper `serve` starts to kill steps' process groups
    /// listed on stdin once stdin closes (when DevOS exits, however it exits).
    #[command(hide = true)]
    Reap,
    /// Run the eval cases in FILE (TOML, `[[case]]` tables) through the
    /// engine, each in a fresh temp folder, and print the pass rates.
    Eval {
        /// The case file, e.g. `eval/cases.toml`.
        file: PathBuf,
        /// Run only cases whose name contains this, or of this category.
        #[arg(long)]
        only: Option<String>,
    },
}

/// `devos user …`
#[derive(Debug, Subcommand)]
pub enum UserAction {
    /// Create an account.
    Add {
        /// Login name.
        name: String,
        /// Read the password from standard input (first line).
        #[arg(long, required = true)]
        password_stdin: bool,
    },
    /// Lift the lockout after failed logins at once (it also ends by itself).
    Unlock {
        /// Login name.
        name: String,
    },
}

/// `devos token …`
#[derive(Debug, Subcommand)]
pub enum TokenAction {
    /// Create a bearer token; it is printed once and stored hashed.
    Create {
        /// The user the token acts as.
        #[arg(long)]
        user: String,
        /// A label to recognise the token by.
        #[arg(long, default_value = "cli")]
        label: String,
        /// Save it (mode 0600) where `devos ask` reads it,
        /// `$XDG_CONFIG_HOME/devos/token`, instead of printing it.
        #[arg(long)]
        save: bool,
    },
    /// List a user's tokens: id, label, created, last used (never secrets).
    List {
        /// Whose tokens.
        #[arg(long)]
        user: String,
    },
    /// Revoke a token by id (from `devos token list`); it is refused at once.
    Revoke {
        /// Whose token.
        #[arg(long)]
        user: String,
        /// The token's id.
        id: i64,
    },
}

/// `devos reap`: blocks until stdin closes, then kills the listed groups.
/// Needs no configuration, database or runtime, so it cannot fail to start
/// for the reasons DevOS might.
pub fn reap() {
    engine::lifetime::reaper::run(std::io::stdin().lock());
}

/// Runs the parsed command line; the exit status is 0 unless `ask` says otherwise.
pub async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let command = cli.command.unwrap_or(Command::Serve {
        i_know_this_is_public: false,
    });
    // These print for people; the engine's info lines belong to the
    // server's log.
    let quiet = match &command {
        Command::Ask(args) => !args.local,
        Command::Doctor | Command::Backup { .. } | Command::Restore { .. } => true,
        _ => false,
    };
    init_tracing(if quiet { "warn" } else { "info" });
    let overrides = Overrides::from_env();
    if let Command::Doctor = command {
        // Before loading the configuration: reporting a broken one is its job.
        let checks = crate::doctor::run_checks(&overrides).await;
        write!(
            std::io::stdout().lock(),
            "{}",
            crate::doctor::render(&checks)
        )?;
        let failed = checks
            .iter()
            .any(|c| c.verdict == crate::doctor::Verdict::Fail);
        return Ok(if failed {
            ExitCode::FAILURE
        } else {
            ExitCode::SUCCESS
        });
    }
    let config = Config::load(&overrides)?;
    match command {
        Command::Serve {
            i_know_this_is_public,
        } => {
            let host = Host::detect(&overrides)?;
            crate::serve::serve(config, host, i_know_this_is_public).await?;
        }
        Command::Reap => reap(),
        Command::Doctor => {}
        Command::Backup { file } => {
            let store = open_store(&config).await?;
            store.backup_to(&file).await?;
            let size = std::fs::metadata(&file).map(|m| m.len()).unwrap_or(0);
            writeln!(
                std::io::stdout().lock(),
                "wrote {} ({}); restore it with `devos restore {}` while DevOS is stopped",
                file.display(),
                engine::fsops::human_bytes(size),
                file.display()
            )?;
        }
        Command::Restore { file } => {
            let restored = engine::store::restore(&config.storage.data_dir, &file).await?;
            let mut out = std::io::stdout().lock();
            writeln!(out, "restored {} ({} jobs)", file.display(), restored.jobs)?;
            if let Some(previous) = restored.previous {
                writeln!(
                    out,
                    "the database it replaced is kept as {}",
                    previous.display()
                )?;
            }
        }
        Command::Ask(args) => {
            let host = Host::detect(&overrides)?;
            return Ok(crate::ask::run(config, host, args).await);
        }
        Command::User {
            action: UserAction::Add { name, .. },
        } => {
            let password = read_password_line()?;
            let store = open_store(&config).await?;
            let user = engine::auth::create_user(&store, &name, &password).await?;
            writeln!(std::io::stdout().lock(), "created user {}", user.name)?;
        }
        Command::User {
            action: UserAction::Unlock { name },
        } => {
            let store = open_store(&config).await?;
            let account = engine::auth::login_account_key(&name);
            let message = if store.clear_login_failures(&account).await? {
                format!("unlocked {account}: logins are checked again")
            } else {
                format!("{account} was not locked")
            };
            writeln!(std::io::stdout().lock(), "{message}")?;
        }
        Command::CheckCommand { cwd } => {
            let host = Host::detect(&overrides)?;
            crate::commands::check_commands(&config, &host, cwd)?;
        }
        Command::Eval { file, only } => crate::commands::eval(&file, only.as_deref()).await?,
        Command::Token {
            action: TokenAction::List { user },
        } => {
            let store = open_store(&config).await?;
            let owner = find_user(&store, &user).await?;
            let mut out = std::io::stdout().lock();
            for token in store.list_tokens(owner.id).await? {
                let last = token.last_used_at.map_or_else(
                    || "never used".to_owned(),
                    |at| format!("last used {}", unix_date(at)),
                );
                writeln!(
                    out,
                    "{}\t{}\tcreated {}\t{last}",
                    token.id,
                    token.label,
                    unix_date(token.created_at)
                )?;
            }
        }
        Command::Token {
            action: TokenAction::Revoke { user, id },
        } => {
            let store = open_store(&config).await?;
            let owner = find_user(&store, &user).await?;
            if !store.revoke_token(owner.id, id).await? {
                bail!("{user} has no token {id} (see `devos token list --user {user}`)");
            }
            writeln!(
                std::io::stdout().lock(),
                "revoked token {id}; requests with it get 401 now"
            )?;
        }
        Command::Token {
            action: TokenAction::Create { user, label, save },
        } => {
            let store = open_store(&config).await?;
            let token = engine::auth::create_token(&store, &user, &label).await?;
            if save {
                let path = crate::token_file::path()?;
                crate::token_file::save(&path, &token)?;
                writeln!(
                    std::io::stdout().lock(),
                    "saved a token for {user} to {} (mode 0600); `devos ask` uses it",
                    path.display()
                )?;
            } else {
                writeln!(std::io::stdout().lock(), "{token}")?;
                writeln!(
                    std::io::stderr().lock(),
                    "This token is shown once; store it safely. Use it as `Authorization: Bearer <token>`."
                )?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn find_user(store: &Store, name: &str) -> anyhow::Result<engine::store::User> {
    store
        .user_by_name(name)
        .await?
        .with_context(|| format!("no user named `{name}`"))
}

/// `2026-12-02 14:05 UTC`.
fn unix_date(at: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(at)
        .ok()
        .and_then(|t| {
            t.format(time::macros::format_description!(
                "[year]-[month]-[day] [hour]:[minute] UTC"
            ))
            .ok()
        })
        .unwrap_or_else(|| at.to_string())
}

async fn open_store(config: &Config) -> anyhow::Result<Store> {
    Store::open(&config.storage.data_dir)
        .await
        .with_context(|| {
            format!(
                "opening the database in {}",
                config.storage.data_dir.display()
            )
        })
}

fn read_password_line() -> anyhow::Result<String> {
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    let password = line.trim_end_matches(['\n', '\r']).to_owned();
    if password.is_empty() {
        bail!(
            "no password on standard input (use: echo PASSWORD | devos user add NAME --password-stdin)"
        );
    }
    Ok(password)
}

/// Logs go to stderr, filtered by `DEVOS_LOG` (default `default_filter`).
fn init_tracing(default_filter: &str) {
    let filter =
        EnvFilter::try_from_env("DEVOS_LOG").unwrap_or_else(|_| EnvFilter::new(default_filter));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
}
