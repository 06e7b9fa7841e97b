//! Which `Host:` names the development server answers, so that a web page cannot read it
//! through DNS rebinding (a name of the attacker's that first resolves to their server,
//! then to 127.0.0.1: the browser then sends `Host: their.name`).
//!
//! Accepted, each with or without a port (any port, so that `ssh -L` and container port
//! forwarding keep working): `localhost`, `127.0.0.1`, `[::1]`, the `--bind` address and
//! the address actually listened on. Bound to every interface (`0.0.0.0` or `::`), any IP
//! literal is accepted too, so that other devices on the network can open the site by
//! address; host names other than `localhost` are still refused, since only a name can be
//! rebound. A request without `Host` (HTTP/1.0) is answered: browsers always send one, and
//! a browser is what DNS rebinding needs.

use std::net::IpAddr;

/// The names a server accepts, and where to send a refused visitor.
#[derive(Debug, Clone)]
pub struct AllowedHosts {
    /// Bound to every interface: any IP literal is accepted.
    any_ip: bool,
    ips: Vec<IpAddr>,
    /// Lowercase host names.
    names: Vec<String>,
    /// The address to suggest in a refusal, such as `http://127.0.0.1:1111/`.
    suggest: String,
}

impl AllowedHosts {
    /// `bind` as given to `--bind`, `listening` the address the socket got, `suggest` the
    /// site's address to name in refusals.
    pub fn new(bind: &str, listening: IpAddr, suggest: String) -> AllowedHosts {
        let bind = bind.trim_start_matches('[').trim_end_matches(']');
        let mut ips = vec![
            IpAddr::from([127, 0, 0, 1]),
            IpAddr::from([0u16, 0, 0, 0, 0, 0, 0, 1]),
        ];
        let mut names = vec!["localhost".to_string()];
        match bind.parse::<IpAddr>() {
            Ok(ip) => ips.push(ip),
            Err(_) => names.push(bind.to_ascii_lowercase()),
        }
        ips.push(listening);
        AllowedHosts {
            any_ip: listening.is_unspecified(),
            ips,
            names,
            suggest,
        }
    }

    /// Whether a `Host:` value (`name`, `name:port`, `[v6]:port`) names this server.
    pub fn allows(&self, host: &str) -> bool {
        let Some(name) = host_name(host) else {
            return false;
        };
        match name.parse::<IpAddr>() {
            Ok(ip) => self.any_ip || self.ips.contains(&ip),
            Err(_) => self.names.iter().any(|n| n.eq_ignore_ascii_case(name)),
        }
    }

    /// The text of the 403 answer to a request for `host`.
    pub fn refusal(&self, host: &str) -> String {
        let shown: String = host.chars().take(100).collect();
        let accepted = if self.any_ip {
            "localhost or an IP address"
        } else {
            "127.0.0.1, localhost, [::1] or the address given to --bind"
        };
        format!(
            "digest serve refused this request: it was sent to \"{shown}\", and the \
             development server answers only requests sent to {accepted}.\n\
             A web page can reach a local server under a host name of its own (DNS \
             rebinding) and read it; refusing other names prevents that.\n\
             Open {} instead, or start digest serve with --bind ADDRESS to be reached at \
             another address.\n",
            self.suggest
        )
    }
}

/// The host part of a `Host:` value, without brackets or port; `None` when malformed.
fn host_name(host: &str) -> Option<&str> {
    let (name, port) = match host.strip_prefix('[') {
        Some(rest) => {
            let (inside, after) = rest.split_once(']')?;
            match after {
                "" => (inside, None),
                _ => (inside, Some(after.strip_prefix(':')?)),
            }
        }
        None => match host.split_once(':') {
            Some((name, port)) => (name, Some(port)),
            None => (host, None),
        },
    };
    let port_ok = port.is_none_or(|p| !p.is_empty() && p.parse::<u16>().is_ok());
    (port_ok && !name.is_empty()).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loopback() -> AllowedHosts {
        AllowedHosts::new(
            "127.0.0.1",
            IpAddr::from([127, 0, 0, 1]),
            "http://127.0.0.1:1111/".into(),
        )
    }

    #[test]
    fn loopback_accepts_its_own_names_with_or_without_port() {
        let hosts = loopback();
        for ok in [
            "127.0.0.1",
            "127.0.0.1:1111",
            "localhost",
            "LocalHost:8000",
            "[::1]",
            "[::1]:1111",
        ] {
            assert!(hosts.allows(ok), "{ok}");
        }
    }

    #[test]
    fn loopback_refuses_other_names_and_malformed_values() {
        let hosts = loopback();
        for bad in [
            "evil.example",
            "evil.example:1111",
            "localhost.evil.example",
            "192.168.1.20:1111",
            "127.0.0.1:",
            "127.0.0.1:99999",
            "127.0.0.1:80:80",
            "::1",
            "[::1",
            "[::1]x",
            "",
            ":1111",
        ] {
            assert!(!hosts.allows(bad), "{bad}");
        }
    }

    #[test]
    fn the_bind_address_is_accepted() {
        let lan = AllowedHosts::new("192.168.1.20", IpAddr::from([192, 168, 1, 20]), "x".into());
        assert!(lan.allows("192.168.1.20:1111"));
        assert!(!lan.allows("192.168.1.21:1111"));
        let named = AllowedHosts::new("devbox.lan", IpAddr::from([192, 168, 1, 20]), "x".into());
        assert!(named.allows("DevBox.lan:1111") && named.allows("192.168.1.20"));
        assert!(!named.allows("evil.example"));
        let v6 = AllowedHosts::new("[fe80::1]", "fe80::1".parse().unwrap(), "x".into());
        assert!(v6.allows("[fe80::1]:1111"));
    }

    #[test]
    fn all_interfaces_accept_any_address_but_no_other_name() {
        for bind in ["0.0.0.0", "::"] {
            let hosts = AllowedHosts::new(bind, bind.parse().unwrap(), "x".into());
            assert!(hosts.allows("192.168.1.20:1111"), "{bind}");
            assert!(hosts.allows("[fe80::1]:1111"), "{bind}");
            assert!(hosts.allows("localhost:1111"), "{bind}");
            assert!(!hosts.allows("evil.example:1111"), "{bind}");
        }
    }

    #[test]
    fn the_refusal_says_why_and_where_to_go() {
        let text = loopback().refusal("evil.example:1111");
        assert!(text.contains("\"evil.example:1111\""), "{text}");
        assert!(text.contains("DNS rebinding"), "{text}");
        assert!(
            text.contains("Open http://127.0.0.1:1111/ instead"),
            "{text}"
        );
        assert!(text.contains("--bind"), "{text}");
    }
}
