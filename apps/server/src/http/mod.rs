//! HTTP plumbing shared by every route: the JSON body extractor, the middleware, who
//! the client is behind proxies; and serving the built SPA.

pub mod client_ip;
pub mod json;
pub mod middleware;
pub mod spa;
