//! PUB/SUB, async (feature `tokio`): a publisher task sends weather updates for a few zip codes
//! as two-frame messages (topic, reading); two subscriber tasks, each subscribed to one zip code,
//! read theirs from the socket's `Stream` of multipart messages. All in one process, over
//! tcp; `--count N` updates per zip code (default 5).
//!
//! ```text
//! cargo run --features tokio --example async_pubsub [-- --count N]
//! ```

use futures_util::StreamExt;
use std::time::Duration;

const ZIPS: [&str; 3] = ["10001", "75001", "60601"];

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let count: u64 = arg("--count").and_then(|n| n.parse().ok()).unwrap_or(5);
    let context = zmq::Context::new();

    let publisher = context.async_socket(zmq::PUB)?;
    publisher.bind("tcp://127.0.0.1:*")?;
    let endpoint = publisher.last_endpoint()?;

    let mut subscribers = Vec::new();
    for zip in &ZIPS[..2] {
        let mut subscriber = context.async_socket(zmq::SUB)?;
        subscriber.connect(&endpoint)?;
        subscriber.subscribe(*zip)?;
        subscribers.push(tokio::spawn(async move {
            for _ in 0..count {
                // One item of the stream is one whole message: [topic, reading].
                let parts = subscriber.next().await.expect("the stream goes on")?;
                println!(
                    "subscriber {zip}: {} °C",
                    String::from_utf8_lossy(&parts[1])
                );
            }
            Ok::<_, zmq::Error>(())
        }));
    }

    // A PUB socket drops what it sends before a subscription has arrived: give the
    // subscribers a moment to connect (a real publisher just keeps publishing).
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mut tick = tokio::time::interval(Duration::from_millis(100));
    for reading in 0..count {
        tick.tick().await;
        for (i, zip) in ZIPS.iter().enumerate() {
            let temperature = format!("{}", 10 + i as u64 * 5 + reading);
            publisher
                .send_multipart([*zip, temperature.as_str()])
                .await?;
        }
    }
    for s in subscribers {
        s.await??;
    }
    Ok(())
}

/// The value after `name` on the command line, if any.
fn arg(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .cloned()
}
