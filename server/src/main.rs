//! The `devos` binary: parses the command line and runs the chosen command.

#[cfg(feature = "ssr")]
fn main() -> std::process::ExitCode {
    use std::io::Write as _;

    use clap::Parser as _;
    let cli = server::cli::Cli::parse();
    if matches!(cli.command, Some(server::cli::Command::Reap)) {
        // The reaper needs no runtime; starting one would only cost threads.
        server::cli::reap();
        return std::process::ExitCode::SUCCESS;
    }
    let ran = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(anyhow::Error::from)
        .and_then(|runtime| runtime.block_on(server::cli::run(cli)));
    match ran {
        Ok(code) => code,
        Err(error) => {
            // One readable line with its causes, never a backtrace
            // (RUST_BACKTRACE is often set on developers' machines).
            let _ = writeln!(std::io::stderr().lock(), "devos: {error:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// Without `ssr` there is no server to build (featureless clippy and tests still work).
#[cfg(not(feature = "ssr"))]
fn main() {}
