//! Price rules: the one-default-price invariant, what a price write does to the
//! product's `active_price`, and which price the public catalog shows.

use crate::money::AmountCents;

/// What the rules need to know about one existing price of a product.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PriceFacts {
    /// The price's row id.
    pub id: i64,
    /// Whether it can be bought.
    pub is_active: bool,
    /// Whether it is the product's default price (at most one is).
    pub is_default: bool,
    /// Its amount, for the cheapest-price fallback.
    pub amount: AmountCents,
}

/// Why a price write was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PriceError {
    /// A default price is the one shown and sold first, so it cannot be switched off.
    #[error("a default price must be active")]
    DefaultMustBeActive,
}

/// Which price is being written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PriceWrite {
    /// A new price (it has no id until it is inserted).
    Create,
    /// An update of the price with this id.
    Update {
        /// The updated price's row id.
        id: i64,
    },
}

/// What happens to the product's `active_price` after the write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActivePriceUpdate {
    /// Leave it as it is.
    Keep,
    /// Point it at the price just written (use its id once inserted).
    SetToWritten,
}

/// The other writes that go with saving one price, to run in the same transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DefaultPriceChange {
    /// Prices of the product that must lose their default flag, cleared *before* the
    /// written price is saved so the one-default-per-product constraint never trips.
    pub clear_default_on: Vec<i64>,
    /// What to do with the product's `active_price`.
    pub active_price: ActivePriceUpdate,
}

/// Plans the side effects of creating or updating a price of a product.
///
/// - A default price must be active, else [`PriceError::DefaultMustBeActive`].
/// - Writing a default price takes the flag from every other price of the product and
///   makes the written price the product's active price.
/// - Creating a price for a product that has no active price yet makes it the active
///   price, default or not; an update that is not a default leaves the active price
///   alone.
///
/// `product_prices` are the product's prices as stored now (an updated price may be
/// among them; it is never asked to lose its own flag).
pub fn plan_default_price_change(
    write: PriceWrite,
    is_active: bool,
    is_default: bool,
    product_prices: &[PriceFacts],
    product_active_price: Option<i64>,
) -> Result<DefaultPriceChange, PriceError> {
    if is_default && !is_active {
        return Err(PriceError::DefaultMustBeActive);
    }
    let written_id = match write {
        PriceWrite::Create => None,
        PriceWrite::Update { id } => Some(id),
    };

    let clear_default_on = if is_default {
        product_prices
            .iter()
            .filter(|price| price.is_default && Some(price.id) != written_id)
            .map(|price| price.id)
            .collect()
    } else {
        Vec::new()
    };

    let becomes_active_price = match write {
        PriceWrite::Create => is_default || product_active_price.is_none(),
        PriceWrite::Update { id } => is_default && product_active_price != Some(id),
    };
    let active_price = if becomes_active_price {
        ActivePriceUpdate::SetToWritten
    } else {
        ActivePriceUpdate::Keep
    };

    Ok(DefaultPriceChange {
        clear_default_on,
        active_price,
    })
}

/// The price the public catalog shows for a product: its active price when that is set
/// and still active; else its active default price; else its cheapest active price
/// (lowest id on a tie); else none.
///
/// An inactive active price is skipped because a buyer could not order it anyway.
pub fn choose_public_price(active_price_id: Option<i64>, prices: &[PriceFacts]) -> Option<i64> {
    let active = || prices.iter().filter(|price| price.is_active);

    let chosen = active_price_id.and_then(|wanted| active().find(|price| price.id == wanted));
    let default = || {
        active()
            .filter(|price| price.is_default)
            .min_by_key(|price| price.id)
    };
    let cheapest = || active().min_by_key(|price| (price.amount, price.id));

    chosen
        .or_else(default)
        .or_else(cheapest)
        .map(|price| price.id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn price(id: i64, is_active: bool, is_default: bool, cents: i64) -> PriceFacts {
        PriceFacts {
            id,
            is_active,
            is_default,
            amount: AmountCents::new(cents).unwrap(),
        }
    }

    #[test]
    fn a_default_price_must_be_active() {
        let result = plan_default_price_change(PriceWrite::Create, false, true, &[], None);
        assert_eq!(result, Err(PriceError::DefaultMustBeActive));
        let result =
            plan_default_price_change(PriceWrite::Update { id: 1 }, false, true, &[], None);
        assert_eq!(result, Err(PriceError::DefaultMustBeActive));
        // An inactive non-default price is fine.
        assert!(plan_default_price_change(PriceWrite::Create, false, false, &[], Some(9)).is_ok());
    }

    #[test]
    fn the_first_price_becomes_the_active_price() {
        let change = plan_default_price_change(PriceWrite::Create, true, false, &[], None).unwrap();
        assert_eq!(
            change,
            DefaultPriceChange {
                clear_default_on: vec![],
                active_price: ActivePriceUpdate::SetToWritten
            }
        );
    }

    #[test]
    fn a_later_non_default_price_leaves_the_active_price() {
        let prices = [price(1, true, false, 500)];
        let change =
            plan_default_price_change(PriceWrite::Create, true, false, &prices, Some(1)).unwrap();
        assert_eq!(change.active_price, ActivePriceUpdate::Keep);
        assert!(change.clear_default_on.is_empty());
    }

    #[test]
    fn creating_a_default_price_takes_the_flag_and_the_active_price() {
        let prices = [price(1, true, true, 500), price(2, true, false, 900)];
        let change =
            plan_default_price_change(PriceWrite::Create, true, true, &prices, Some(1)).unwrap();
        assert_eq!(change.clear_default_on, vec![1]);
        assert_eq!(change.active_price, ActivePriceUpdate::SetToWritten);
    }

    #[test]
    fn updating_to_default_clears_others_but_not_itself() {
        let prices = [
            price(1, true, true, 500),
            price(2, true, true, 900),
            price(3, true, false, 100),
        ];
        let change =
            plan_default_price_change(PriceWrite::Update { id: 2 }, true, true, &prices, Some(1))
                .unwrap();
        assert_eq!(change.clear_default_on, vec![1]);
        assert_eq!(change.active_price, ActivePriceUpdate::SetToWritten);
    }

    #[test]
    fn updating_the_current_active_default_changes_nothing_else() {
        let prices = [price(1, true, true, 500)];
        let change =
            plan_default_price_change(PriceWrite::Update { id: 1 }, true, true, &prices, Some(1))
                .unwrap();
        assert_eq!(
            change,
            DefaultPriceChange {
                clear_default_on: vec![],
                active_price: ActivePriceUpdate::Keep
            }
        );
    }

    #[test]
    fn a_non_default_update_never_claims_the_active_price() {
        let prices = [price(1, true, false, 500)];
        let change =
            plan_default_price_change(PriceWrite::Update { id: 1 }, true, false, &prices, None)
                .unwrap();
        assert_eq!(change.active_price, ActivePriceUpdate::Keep);
    }

    #[test]
    fn public_price_prefers_the_active_price() {
        let prices = [
            price(1, true, true, 100),
            price(2, true, false, 50),
            price(3, true, false, 900),
        ];
        assert_eq!(choose_public_price(Some(3), &prices), Some(3));
    }

    #[test]
    fn public_price_skips_an_inactive_or_foreign_active_price() {
        let prices = [price(1, true, true, 100), price(2, false, false, 50)];
        assert_eq!(choose_public_price(Some(2), &prices), Some(1));
        assert_eq!(choose_public_price(Some(99), &prices), Some(1));
    }

    #[test]
    fn public_price_falls_back_to_the_active_default() {
        let prices = [
            price(5, true, false, 10),
            price(7, true, true, 999),
            price(6, false, true, 1),
        ];
        assert_eq!(choose_public_price(None, &prices), Some(7));
    }

    #[test]
    fn public_price_falls_back_to_the_cheapest_active_with_ties_by_id() {
        let prices = [
            price(9, true, false, 300),
            price(4, true, false, 200),
            price(3, true, false, 200),
            price(1, false, false, 1),
        ];
        assert_eq!(choose_public_price(None, &prices), Some(3));
    }

    #[test]
    fn public_price_is_none_without_an_active_price() {
        assert_eq!(
            choose_public_price(Some(1), &[price(1, false, false, 100)]),
            None
        );
        assert_eq!(choose_public_price(None, &[]), None);
    }

    fn arb_prices() -> impl Strategy<Value = Vec<PriceFacts>> {
        proptest::collection::vec((any::<bool>(), any::<bool>(), 0i64..1_000), 0..8).prop_map(
            |rows| {
                let mut seen_default = false;
                rows.into_iter()
                    .enumerate()
                    .map(|(i, (is_active, wants_default, cents))| {
                        // Stored data already honours the invariants: one default, and it is active.
                        let is_default = wants_default && is_active && !seen_default;
                        seen_default |= is_default;
                        price(i as i64 + 1, is_active, is_default, cents)
                    })
                    .collect()
            },
        )
    }

    proptest! {
        #[test]
        fn public_price_is_an_active_price_whenever_one_exists(prices in arb_prices(), active in proptest::option::of(0i64..10)) {
            let chosen = choose_public_price(active, &prices);
            let any_active = prices.iter().any(|p| p.is_active);
            prop_assert_eq!(chosen.is_some(), any_active);
            if let Some(id) = chosen {
                prop_assert!(prices.iter().any(|p| p.id == id && p.is_active));
            }
            if let Some(wanted) = active.filter(|id| prices.iter().any(|p| p.id == *id && p.is_active)) {
                prop_assert_eq!(chosen, Some(wanted));
            }
        }

        #[test]
        fn after_a_write_at_most_one_price_is_default(prices in arb_prices(), target in 0usize..9, is_default in any::<bool>(), active_price in proptest::option::of(1i64..9)) {
            let write = prices.get(target).map_or(PriceWrite::Create, |p| PriceWrite::Update { id: p.id });
            let change = plan_default_price_change(write, true, is_default, &prices, active_price).unwrap();

            let mut after: Vec<PriceFacts> = prices.clone();
            for p in &mut after {
                if change.clear_default_on.contains(&p.id) { p.is_default = false; }
            }
            let written_id = match write {
                PriceWrite::Create => { after.push(price(100, true, is_default, 0)); 100 }
                PriceWrite::Update { id } => {
                    let p = after.iter_mut().find(|p| p.id == id).unwrap();
                    p.is_default = is_default;
                    id
                }
            };
            prop_assert!(after.iter().filter(|p| p.is_default).count() <= 1);

            let active_after = match change.active_price {
                ActivePriceUpdate::SetToWritten => Some(written_id),
                ActivePriceUpdate::Keep => active_price,
            };
            if is_default {
                prop_assert_eq!(active_after, Some(written_id));
            }
            prop_assert!(active_after.is_some() || (write != PriceWrite::Create && active_price.is_none()));
        }
    }
}
