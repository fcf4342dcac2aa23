//! The event socket streams a user's job updates and output live.

use std::time::Duration;

use super::live::{EventSocket, LiveServer, next_json};
use futures_util::StreamExt as _;
use serde_json::Value;

#[tokio::test]
async fn job_updates_and_output_arrive_on_the_socket() {
    let server = LiveServer::start().await;
    let mut socket = server.events().await;

    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("streamed.txt"), "x").unwrap();
    let job = server.submit("list the files here", dir.path()).await;
    let mut statuses = Vec::new();
    let mut saw_output = false;
    while statuses.last().map(String::as_str) != Some("completed") {
        let event = next_json(&mut socket).await;
        if event["type"] == "context_changed" {
            continue;
        }
        assert_eq!(event["job_id"], job["job_id"], "{event}");
        match event["type"].as_str().unwrap() {
            "job_update" => statuses.push(event["status"].as_str().unwrap().to_owned()),
            "log" => saw_output |= event["line"].as_str().unwrap().contains("streamed.txt"),
            other => panic!("unexpected event {other}: {event}"),
        }
    }
    assert!(saw_output, "the listing streamed as a log event");
    assert!(statuses.contains(&"executing".to_owned()), "{statuses:?}");
}

#[tokio::test]
async fn the_socket_needs_authentication() {
    let server = LiveServer::start().await;
    let url = server.url("/ws/events").replace("http://", "ws://");
    let error = tokio_tungstenite::connect_async(url).await.unwrap_err();
    assert!(error.to_string().contains("401"), "{error}");
}

/// Context changes go only to a socket that follows their folder: a change
/// in a sibling folder is not sent, one in the followed folder is; after
/// `unfollow` and a new `follow`, only the new folder's are.
#[tokio::test]
async fn context_changes_arrive_only_for_the_followed_folder() {
    use futures_util::SinkExt as _;
    use tokio_tungstenite::tungstenite::Message;

    let server = LiveServer::start().await;
    let followed = server.home.path().join("followed");
    let elsewhere = server.home.path().join("elsewhere");
    std::fs::create_dir(&followed).unwrap();
    std::fs::create_dir(&elsewhere).unwrap();
    let mut socket = server.events().await;
    let follow = serde_json::json!({ "type": "follow", "dir": followed.display().to_string() });
    socket
        .send(Message::Text(follow.to_string().into()))
        .await
        .unwrap();
    // The follow frame is read concurrently: write until a change of the
    // followed folder arrives. Each round touches the sibling first, so its
    // event would come first if it were sent. Changes of a folder holding
    // the followed one (the workspace root) may come too.
    for round in 0..20 {
        std::fs::write(elsewhere.join(format!("other-{round}.txt")), "x").unwrap();
        std::fs::write(followed.join(format!("mine-{round}.txt")), "x").unwrap();
        while let Ok(frame) = tokio::time::timeout(Duration::from_millis(500), socket.next()).await
        {
            let text = frame.unwrap().unwrap();
            let event: Value = serde_json::from_str(text.to_text().unwrap()).unwrap();
            assert_eq!(event["type"], "context_changed", "{event}");
            let dir = std::path::Path::new(event["dir"].as_str().unwrap());
            assert!(
                !dir.starts_with(&elsewhere),
                "a sibling's change was sent: {event}"
            );
            assert!(
                followed.starts_with(dir) || dir.starts_with(&followed),
                "{event}"
            );
            if dir.starts_with(&followed) {
                return switch_to_the_sibling(&mut socket, &followed, &elsewhere).await;
            }
        }
    }
    panic!("no context change of the followed folder arrived");
}

/// After `unfollow` and a `follow` of `elsewhere`, changes of `followed`
/// stop: each round writes `followed` first, so once `elsewhere`'s change
/// has arrived, a change of `followed` would arrive before the next one.
async fn switch_to_the_sibling(
    socket: &mut EventSocket,
    followed: &std::path::Path,
    elsewhere: &std::path::Path,
) {
    use futures_util::SinkExt as _;
    use tokio_tungstenite::tungstenite::Message;

    for frame in [
        serde_json::json!({ "type": "unfollow" }),
        serde_json::json!({ "type": "follow", "dir": elsewhere.display().to_string() }),
    ] {
        socket
            .send(Message::Text(frame.to_string().into()))
            .await
            .unwrap();
    }
    let mut rounds_after_switch = 0;
    for round in 0..40 {
        std::fs::write(followed.join(format!("after-{round}.txt")), "x").unwrap();
        std::fs::write(elsewhere.join(format!("after-{round}.txt")), "x").unwrap();
        let mut switched_this_round = false;
        while let Ok(frame) = tokio::time::timeout(Duration::from_millis(500), socket.next()).await
        {
            let text = frame.unwrap().unwrap();
            let event: Value = serde_json::from_str(text.to_text().unwrap()).unwrap();
            let dir = std::path::Path::new(event["dir"].as_str().unwrap());
            if dir.starts_with(elsewhere) {
                switched_this_round = true;
            } else if dir.starts_with(followed) && rounds_after_switch > 0 {
                panic!("the unfollowed folder's change was still sent: {event}");
            }
        }
        if switched_this_round || rounds_after_switch > 0 {
            rounds_after_switch += 1;
        }
        if rounds_after_switch > 3 {
            return;
        }
    }
    panic!("no context change of the newly followed folder arrived");
}
