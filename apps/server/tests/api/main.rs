//! HTTP tests: the real app on a real port, one fresh database per test (SQLite, or
//! Postgres when `TEST_DATABASE_URL` is set), Clerk faked at the HTTP level.

mod ai;
mod ai_groups;
mod ai_ollama; // remove-adapter: ollama
mod ai_remote; // remove-adapter: openrouter
mod auth;
mod billing;
mod builtin_integrations;
mod caches;
mod catalog_assets;
mod catalog_isolation;
mod catalog_prices;
mod catalog_products;
mod catalog_public;
mod catalog_support;
mod customer;
mod dev_session;
mod downloads;
mod email_delivery;
mod email_worker;
mod helpers;
mod loop_support;
mod openapi;
mod order_writer;
mod orders_confirm;
mod paid_loop;
mod payment_groups;
mod plumbing;
mod projects;
mod rate_limits;
mod resend_adapter; // remove-adapter: resend
mod smtp_listener;
mod spa;
mod supabase_adapter; // remove-adapter: supabase
mod webhooks;
mod work_orders;
