//! Forks step processes from one thread that lives as long as DevOS, so
//! that a step's parent-death signal fires when DevOS dies and never because
//! the tokio thread that happened to spawn it went away (see the module
//! docs of [`crate::lifetime`]).

use std::io;
use std::sync::OnceLock;
use std::sync::mpsc;

use tokio::process::{Child, Command};
use tokio::runtime::Handle;
use tokio::sync::oneshot;

/// One `spawn` to make on the spawner thread.
struct Request {
    command: Command,
    /// The caller's runtime: the child is registered with its process driver.
    runtime: Handle,
    reply: oneshot::Sender<io::Result<Child>>,
}

/// Spawns `command` from the spawner thread, started on first use. The
/// thread holds the only receiver and the sender lives in a `static`, so it
/// runs until the process exits.
pub async fn spawn(command: Command) -> io::Result<Child> {
    static SPAWNER: OnceLock<io::Result<mpsc::Sender<Request>>> = OnceLock::new();
    let sender = match SPAWNER.get_or_init(start) {
        Ok(sender) => sender,
        Err(error) => return Err(io::Error::new(error.kind(), error.to_string())),
    };
    let (reply, answer) = oneshot::channel();
    sender
        .send(Request {
            command,
            runtime: Handle::current(),
            reply,
        })
        .map_err(|_| io::Error::other("the step spawner thread is gone"))?;
    answer
        .await
        .map_err(|_| io::Error::other("the step spawner thread dropped a request"))?
}

fn start() -> io::Result<mpsc::Sender<Request>> {
    let (sender, requests) = mpsc::channel::<Request>();
    std::thread::Builder::new()
        .name("devos-spawner".to_owned())
        .spawn(move || {
            for Request {
                mut command,
                runtime,
                reply,
            } in requests
            {
                let _entered = runtime.enter();
                // The caller may have given up (its future was dropped); the
                // child is then dropped here and killed (`kill_on_drop`).
                let _ = reply.send(command.spawn());
            }
        })?;
    Ok(sender)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn wait_until(condition: impl Fn() -> bool) {
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while !condition() {
            assert!(std::time::Instant::now() < deadline, "condition never held");
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Whether `pid` was sent SIGKILL or is exiting.
    fn is_doomed(pid: i32) -> bool {
        let Ok(status) = std::fs::read_to_string(format!("/proc/{pid}/status")) else {
            return true;
        };
        let sigkill = 1u64 << (9 - 1);
        let pending = status
            .lines()
            .filter(|l| l.starts_with("SigPnd:") || l.starts_with("ShdPnd:"))
            .any(|l| u64::from_str_radix(l[7..].trim(), 16).unwrap() & sigkill != 0);
        pending || super::super::procfs::stat(pid).is_none_or(|s| s.is_exiting)
    }

    #[test]
    fn a_step_outlives_the_thread_that_asked_for_it() {
        let (tid_sender, tid) = mpsc::channel();
        let asker = std::thread::spawn(move || {
            tid_sender.send(nix::unistd::gettid().as_raw()).unwrap();
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async {
                let mut command = Command::new("sleep");
                command.arg("600");
                crate::sandbox::tie_to_devos(&mut command);
                let child = spawn(command).await.unwrap();
                i32::try_from(child.id().unwrap()).unwrap()
            })
        });
        let tid = tid.recv().unwrap();
        let pid = asker.join().unwrap();
        // The asking thread is fully gone (its task released, which comes
        // after the kernel sends the parent-death signals of its children).
        wait_until(|| !std::path::Path::new(&format!("/proc/self/task/{tid}")).exists());
        let doomed = is_doomed(pid);
        let pid = nix::unistd::Pid::from_raw(pid);
        nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGKILL).unwrap();
        // tokio may reap it first; either way it is gone.
        let _ = nix::sys::wait::waitpid(pid, None);
        assert!(!doomed, "the step died with the thread that asked for it");
    }
}
