// Pricing: the plans (recurring prices) and the one-time offers, all read from the API.
import { Link } from "react-router";
import { Badge, buttonClass, Card, EmptyState, ErrorState, LoadingState, PageHeader } from "../../components/layout/app-shell";
import { useProduct, useProducts } from "../../lib/queries";
import type { ProductListItem } from "../../shared/types";
import { formatMoney, periodLabel } from "../../shared/ui-utils";
import { PriceTag } from "../products/product-card";

function isPlan(product: ProductListItem): boolean {
  return product.active_price !== null && product.active_price.billing_period !== "one_time";
}

function PlanCard({ product }: { product: ProductListItem }) {
  const detail = useProduct(product.slug);
  const prices = detail.data?.prices.filter((p) => p.billing_period !== "one_time") ?? [];
  return (
    <Card as="li" className="flex flex-col gap-3">
      <h3 className="text-lg font-semibold">{product.name}</h3>
      {product.tagline && <p className="text-slate-700 dark:text-slate-300">{product.tagline}</p>}
      {prices.length > 0 ? (
        <ul className="flex flex-col gap-1">
          {prices.map((price) => (
            <li key={price.id}>
              <span className="text-xl font-bold">{formatMoney(price.amount_cents, price.currency)}</span>{" "}
              <span className="text-sm text-slate-600 dark:text-slate-400">
                {periodLabel(price.billing_period)} · {price.name}
              </span>
            </li>
          ))}
        </ul>
      ) : (
        <PriceTag price={product.active_price} />
      )}
      {product.feature_keys.length > 0 && (
        <ul aria-label="Included features" className="flex flex-wrap gap-1">
          {product.feature_keys.map((key) => (
            <li key={key}>
              <Badge>{key.replace(/_/g, " ")}</Badge>
            </li>
          ))}
        </ul>
      )}
      <Link to={`/products/${product.slug}`} className={`${buttonClass.primary} mt-auto`}>
        Choose {product.name}
      </Link>
    </Card>
  );
}

export default function PricingPage() {
  const products = useProducts();
  const plans = products.data?.filter(isPlan) ?? [];
  const oneTime = products.data?.filter((p) => !isPlan(p) && p.active_price) ?? [];
  return (
    <>
      <PageHeader
        title="Pricing"
        intro="Prices come straight from the catalog. What you pay is computed on the server when you order."
      />
      {products.isPending ? (
        <LoadingState label="Loading prices…" />
      ) : products.isError ? (
        <ErrorState error={products.error} onRetry={() => void products.refetch()} />
      ) : plans.length + oneTime.length === 0 ? (
        <EmptyState title="No prices yet">Nothing is on sale right now. Come back soon.</EmptyState>
      ) : (
        <div className="flex flex-col gap-10">
          {plans.length > 0 && (
            <section aria-labelledby="plans-title">
              <h2 id="plans-title" className="mb-4 text-xl font-semibold">
                Plans
              </h2>
              <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
                {plans.map((product) => (
                  <PlanCard key={product.id} product={product} />
                ))}
              </ul>
            </section>
          )}
          {oneTime.length > 0 && (
            <section aria-labelledby="one-time-title">
              <h2 id="one-time-title" className="mb-4 text-xl font-semibold">
                Pay once
              </h2>
              <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
                {oneTime.map((product) => (
                  <Card as="li" key={product.id} className="flex flex-col gap-3">
                    <h3 className="text-lg font-semibold">{product.name}</h3>
                    {product.tagline && <p className="text-slate-700 dark:text-slate-300">{product.tagline}</p>}
                    <PriceTag price={product.active_price} />
                    <Link to={`/products/${product.slug}`} className={`${buttonClass.secondary} mt-auto`}>
                      View {product.name}
                    </Link>
                  </Card>
                ))}
              </ul>
            </section>
          )}
        </div>
      )}
    </>
  );
}
