//! HTTP plumbing shared by every route: the JSON body extractor and the middleware;
//! and serving the built SPA.

pub mod json;
pub mod middleware;
pub mod spa;
