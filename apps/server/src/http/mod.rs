//! HTTP plumbing shared by every route: the JSON body extractor, the middleware, who
//! the client is behind proxies, rate limits; and serving the built SPA.

pub mod client_ip;
pub mod json;
pub mod middleware;
pub mod rate_limit;
pub mod spa;
