import { Link } from "react-router";
import { Badge, Card, linkClass } from "../../components/layout/app-shell";
import type { ProductListItem } from "../../shared/types";
import { formatMoney, periodLabel } from "../../shared/ui-utils";

export function PriceTag({ price }: { price: ProductListItem["active_price"] }) {
  if (!price) return <span className="text-sm text-slate-600 dark:text-slate-400">Not on sale yet</span>;
  return (
    <span>
      <span className="text-xl font-bold">{formatMoney(price.amount_cents, price.currency)}</span>{" "}
      <span className="text-sm text-slate-600 dark:text-slate-400">{periodLabel(price.billing_period)}</span>
    </span>
  );
}

export function ProductCard({ product }: { product: ProductListItem }) {
  return (
    <Card as="li" className="flex flex-col gap-3">
      <div className="flex items-center gap-2">
        <Badge tone={product.product_type === "service" ? "info" : "neutral"}>
          {product.product_type === "service" ? "Service" : "Digital"}
        </Badge>
      </div>
      <h2 className="text-lg font-semibold">
        <Link to={`/products/${product.slug}`} className={linkClass}>
          {product.name}
        </Link>
      </h2>
      {product.tagline && <p className="text-slate-700 dark:text-slate-300">{product.tagline}</p>}
      <div className="mt-auto pt-2">
        <PriceTag price={product.active_price} />
      </div>
    </Card>
  );
}
