//! Business operations: each owns its queries and transactions and returns values or
//! an [`crate::error::ApiError`].

pub mod ai;
pub mod billing;
pub mod catalog;
pub mod customer;
pub mod downloads;
pub mod email;
pub mod identity;
pub mod orders;
pub mod profile_probe;
pub mod projects;
pub mod storage;
pub mod validate;
pub mod webhooks;
