//! Hostile clients through real sockets: slow-loris headers, a thousand
//! event streams at once, a 100 MB body. The server keeps answering and its
//! memory stays bounded.

use std::time::{Duration, Instant};

use futures_util::StreamExt as _;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest as _;

use super::live::LiveServer;

fn authority(server: &LiveServer) -> String {
    server.base.trim_start_matches("http://").to_owned()
}

/// `/health` answers within a second.
async fn assert_healthy(server: &LiveServer) {
    let started = Instant::now();
    let (status, body) = tokio::time::timeout(Duration::from_secs(5), server.get("/health"))
        .await
        .expect("/health did not answer within 5 s");
    assert_eq!(status, 200, "{body}");
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn slow_loris_connections_are_closed_and_never_block_others() {
    let server = LiveServer::start().await;
    let mut slow = Vec::new();
    for _ in 0..300 {
        let mut stream = TcpStream::connect(authority(&server)).await.unwrap();
        stream
            .write_all(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            .await
            .unwrap();
        slow.push(stream);
    }
    assert_healthy(&server).await;
    // The header deadline (10 s) closes every one of them.
    for stream in &mut slow {
        let mut buffer = [0u8; 256];
        let read = tokio::time::timeout(Duration::from_secs(20), stream.read(&mut buffer))
            .await
            .expect("a connection that never finished its headers was kept open");
        // Closed (0 bytes or a reset) or answered with a timeout status.
        if let Ok(n) = read
            && n > 0
        {
            let text = String::from_utf8_lossy(&buffer[..n]);
            assert!(text.starts_with("HTTP/1.1 408"), "{text}");
        }
    }
    assert_healthy(&server).await;
}

#[tokio::test]
async fn a_thousand_event_streams_from_one_client_are_served_and_released() {
    let server = LiveServer::start().await;
    let before = server.rss_kib();
    let url = format!("ws://{}/ws/events", authority(&server));
    let mut sockets = Vec::new();
    for _ in 0..1000 {
        let mut request = url.as_str().into_client_request().unwrap();
        request.headers_mut().insert(
            "authorization",
            format!("Bearer {}", server.token).parse().unwrap(),
        );
        let (mut socket, _) = tokio_tungstenite::connect_async(request).await.unwrap();
        let hello = tokio::time::timeout(Duration::from_secs(10), socket.next())
            .await
            .expect("no greeting")
            .unwrap()
            .unwrap();
        assert!(hello.to_text().unwrap().contains("hello"));
        sockets.push(socket);
    }
    assert_healthy(&server).await;
    let open = server.rss_kib();
    drop(sockets);
    assert_healthy(&server).await;
    // About 30 KiB per open stream here; a leak would be far beyond.
    assert!(
        open.saturating_sub(before) < 200 * 1024,
        "RSS grew from {before} KiB to {open} KiB with 1000 streams"
    );
}

#[tokio::test]
async fn a_100_mb_body_is_refused_without_reading_it() {
    let server = LiveServer::start().await;
    let before = server.rss_kib();
    let mut stream = TcpStream::connect(authority(&server)).await.unwrap();
    let head = format!(
        "POST /api/v1/command HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        server.token,
        100 * 1024 * 1024
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let chunk = vec![b' '; 1024 * 1024];
    let mut sent = 0;
    for _ in 0..100 {
        if stream.write_all(&chunk).await.is_err() {
            break;
        }
        sent += 1;
    }
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut answer)).await;
    let text = String::from_utf8_lossy(&answer);
    // Either the 413 arrived, or the server closed the socket before the
    // body ended (the kernel then drops the answer): both refuse it.
    assert!(
        text.is_empty() || text.starts_with("HTTP/1.1 413"),
        "after {sent} MB: {text}"
    );
    assert_healthy(&server).await;
    let after = server.rss_kib();
    assert!(
        after.saturating_sub(before) < 32 * 1024,
        "RSS grew from {before} KiB to {after} KiB"
    );
}
