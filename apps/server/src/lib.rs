//! The Paidloop server: configuration, routes, services and persistence glue.
//!
//! Handlers in [`routes`] parse a request, call one function in [`services`], and map
//! its result to a response. Services own transactions and call the pure domain crates.
//! The binary (`src/main.rs`) is a thin command line over [`cli`].

pub mod app;
pub mod auth;
pub mod bulk;
pub mod checkpoint;
pub mod cli;
pub mod config;
pub mod db;
pub mod dev_pay;
pub mod entities;
pub mod error;
pub mod group_commit;
pub mod http;
pub mod integrations;
pub mod one_connection;
pub mod openapi;
pub mod read_pool;
pub mod routes;
pub mod services;
pub mod state;
pub mod telemetry;
pub mod views;
