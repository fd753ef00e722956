//! A minimal SMTP server on a local port, speaking just enough of RFC 5321 for a real
//! client (lettre) to deliver to it: greeting, EHLO/HELO, MAIL, RCPT, DATA, RSET,
//! NOOP, QUIT. It keeps every message it accepts, with its envelope.

use std::sync::{Arc, Mutex};

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// One accepted message.
#[derive(Debug, Clone, Default)]
pub struct Received {
    /// `MAIL FROM` address.
    pub from: String,
    /// `RCPT TO` addresses.
    pub to: Vec<String>,
    /// The message as sent after `DATA` (dot-stuffing undone).
    pub data: String,
}

/// A running listener.
pub struct SmtpListener {
    /// `smtp://127.0.0.1:PORT`.
    pub url: String,
    /// What it accepted so far.
    pub received: Arc<Mutex<Vec<Received>>>,
}

fn address(arg: &str) -> String {
    arg.split_once(':')
        .map(|(_, rest)| rest.trim().trim_start_matches('<'))
        .and_then(|rest| rest.split('>').next())
        .unwrap_or_default()
        .to_owned()
}

impl SmtpListener {
    /// Starts a listener; with `reject_recipients`, every `RCPT TO` gets a permanent
    /// `550`.
    pub async fn start(reject_recipients: bool) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let url = format!("smtp://{}", listener.local_addr().expect("addr"));
        let received: Arc<Mutex<Vec<Received>>> = Arc::default();
        let store = received.clone();
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let store = store.clone();
                tokio::spawn(async move {
                    let (read, mut write) = socket.into_split();
                    let mut lines = BufReader::new(read).lines();
                    let mut current = Received::default();
                    let _ = write.write_all(b"220 paidloop-test ESMTP ready\r\n").await;
                    while let Ok(Some(line)) = lines.next_line().await {
                        let verb = line.get(..4).unwrap_or(&line).to_ascii_uppercase();
                        let reply: &[u8] = match verb.as_str() {
                            "EHLO" => b"250-paidloop-test\r\n250 8BITMIME\r\n",
                            "HELO" => b"250 paidloop-test\r\n",
                            "MAIL" => {
                                current = Received {
                                    from: address(&line),
                                    ..Received::default()
                                };
                                b"250 OK\r\n"
                            }
                            "RCPT" if reject_recipients => b"550 5.1.1 No such user here\r\n",
                            "RCPT" => {
                                current.to.push(address(&line));
                                b"250 OK\r\n"
                            }
                            "DATA" => {
                                let _ = write
                                    .write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                                    .await;
                                let mut data = String::new();
                                while let Ok(Some(body_line)) = lines.next_line().await {
                                    if body_line == "." {
                                        break;
                                    }
                                    data.push_str(
                                        body_line.strip_prefix('.').unwrap_or(&body_line),
                                    );
                                    data.push('\n');
                                }
                                current.data = data;
                                store.lock().unwrap().push(std::mem::take(&mut current));
                                b"250 2.0.0 Queued\r\n"
                            }
                            "RSET" | "NOOP" => b"250 OK\r\n",
                            "QUIT" => {
                                let _ = write.write_all(b"221 Bye\r\n").await;
                                break;
                            }
                            _ => b"502 Command not implemented\r\n",
                        };
                        if write.write_all(reply).await.is_err() {
                            break;
                        }
                    }
                });
            }
        });
        Self { url, received }
    }

    /// The messages accepted so far.
    pub fn messages(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }
}
