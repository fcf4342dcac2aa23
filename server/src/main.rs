//! The `devos` binary: parses the command line and runs the chosen command.

#[cfg(feature = "ssr")]
fn main() -> anyhow::Result<std::process::ExitCode> {
    use clap::Parser as _;
    let cli = server::cli::Cli::parse();
    if matches!(cli.command, Some(server::cli::Command::Reap)) {
        // The reaper needs no runtime; starting one would only cost threads.
        server::cli::reap();
        return Ok(std::process::ExitCode::SUCCESS);
    }
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(server::cli::run(cli))
}

/// Without `ssr` there is no server to build (featureless clippy and tests still work).
#[cfg(not(feature = "ssr"))]
fn main() {}
