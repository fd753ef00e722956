//! HTTP plumbing shared by every route: the JSON body extractor and the middleware.

pub mod json;
pub mod middleware;
