//! The systemd notify protocol (`Type=notify`): `READY=1` once the server
//! listens, `WATCHDOG=1` while it answers, `STOPPING=1` on shutdown. Without
//! `NOTIFY_SOCKET` (not started by systemd) every call does nothing.

use std::os::unix::net::UnixDatagram;
use std::path::PathBuf;
use std::time::Duration;

/// Where systemd listens for our state, if it started us.
#[derive(Debug, Clone, Default)]
pub struct Notifier {
    socket: Option<PathBuf>,
    watchdog: Option<Duration>,
}

impl Notifier {
    /// Reads `NOTIFY_SOCKET` and, when meant for this process,
    /// `WATCHDOG_USEC` (`WATCHDOG_PID` unset or ours).
    pub fn from_env() -> Self {
        let socket = std::env::var_os("NOTIFY_SOCKET")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from);
        let ours = std::env::var("WATCHDOG_PID")
            .ok()
            .is_none_or(|pid| pid.trim() == std::process::id().to_string());
        let watchdog = std::env::var("WATCHDOG_USEC")
            .ok()
            .and_then(|v| v.trim().parse::<u64>().ok())
            .filter(|usec| *usec > 0 && ours)
            .map(Duration::from_micros);
        Self { socket, watchdog }
    }

    /// A notifier for an explicit socket (tests).
    pub fn new(socket: PathBuf, watchdog: Option<Duration>) -> Self {
        Self {
            socket: Some(socket),
            watchdog,
        }
    }

    /// Sends one state message; failures are logged, never fatal.
    pub fn notify(&self, state: &str) {
        let Some(socket) = &self.socket else {
            return;
        };
        if let Err(error) = send(socket, state) {
            tracing::warn!(%error, socket = %socket.display(), "could not notify systemd");
        }
    }

    /// How often to ping the watchdog: half its period, as systemd advises.
    pub fn watchdog_interval(&self) -> Option<Duration> {
        self.socket.as_ref()?;
        self.watchdog.map(|period| period / 2)
    }
}

fn send(socket: &std::path::Path, state: &str) -> std::io::Result<()> {
    let datagram = UnixDatagram::unbound()?;
    let text = socket.as_os_str().as_encoded_bytes();
    if let Some(name) = text.strip_prefix(b"@") {
        use std::os::linux::net::SocketAddrExt as _;
        let addr = std::os::unix::net::SocketAddr::from_abstract_name(name)?;
        datagram.send_to_addr(state.as_bytes(), &addr)?;
    } else {
        datagram.send_to(state.as_bytes(), socket)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_arrive_on_the_socket_and_the_watchdog_pings_at_half_its_period() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("notify");
        let listener = UnixDatagram::bind(&path).unwrap();
        let notifier = Notifier::new(path, Some(Duration::from_secs(30)));
        notifier.notify("READY=1");
        let mut buffer = [0u8; 64];
        let read = listener.recv(&mut buffer).unwrap();
        assert_eq!(&buffer[..read], b"READY=1");
        assert_eq!(notifier.watchdog_interval(), Some(Duration::from_secs(15)));
        assert_eq!(Notifier::default().watchdog_interval(), None);
        Notifier::default().notify("READY=1");
    }
}
