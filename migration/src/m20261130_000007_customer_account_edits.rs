//! Which customer-account fields the buyer set themselves.
//!
//! `user.created`/`user.updated` webhooks keep an account's `billing_email` and
//! `full_name` in step with Clerk, but a buyer who changed one through
//! `PATCH account/customer/` (receipts to the accounts department, an invoice name that
//! is not their login name) must keep it. These two flags record that choice; both
//! start `false`, so existing accounts keep following Clerk.

use sea_orm_migration::prelude::*;

/// Adds `billing_email_set_by_buyer` and `full_name_set_by_buyer` to `customer_accounts`.
#[derive(DeriveMigrationName)]
pub struct Migration;

/// The flag columns, one `ALTER TABLE` each (SQLite alters one column at a time).
const FLAGS: [&str; 2] = ["billing_email_set_by_buyer", "full_name_set_by_buyer"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for flag in FLAGS {
            manager
                .alter_table(
                    Table::alter()
                        .table("customer_accounts")
                        .add_column(
                            ColumnDef::new(flag)
                                .boolean()
                                .not_null()
                                .default(false)
                                .take(),
                        )
                        .take(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for flag in FLAGS.iter().rev() {
            manager
                .alter_table(
                    Table::alter()
                        .table("customer_accounts")
                        .drop_column(*flag)
                        .take(),
                )
                .await?;
        }
        Ok(())
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
