// One product: its prices, what the buyer gets, and "buy". Buying creates a pending
// order priced by the server; the page follows the checkout URL when the price has one,
// otherwise it shows the order waiting for its payment and re-reads it until the
// verified webhook has fulfilled it.
import { useEffect, useRef, useState } from "react";
import { Link, useParams } from "react-router";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import {
  Badge,
  buttonClass,
  Card,
  EmptyState,
  ErrorState,
  linkClass,
  LoadingState,
  PageHeader,
} from "../../components/layout/app-shell";
import { useToast } from "../../components/feedback/toast";
import { api, ApiError } from "../../lib/api";
import { useAuth } from "../../lib/auth";
import { leaveTo } from "../../lib/navigation";
import { queryKeys, useOrders, useProduct } from "../../lib/queries";
import type { Order, ProductDetail } from "../../shared/types";
import { formatBytes, formatDate, formatMoney, orderStatusLabel, orderStatusTone, periodLabel } from "../../shared/ui-utils";

/** The newest order that contains this product. */
function latestOrderFor(orders: Order[] | undefined, slug: string): Order | undefined {
  return orders?.find((order) => order.items.some((item) => item.product_slug === slug));
}

function OrderPanel({ order, product }: { order: Order; product: ProductDetail }) {
  const auth = useAuth();
  if (order.status === "pending_payment" || order.status === "paid") {
    return (
      <Card className="border-amber-400 dark:border-amber-700" as="section">
        <div role="status" aria-live="polite" className="flex flex-col gap-2" data-testid="order-pending">
          <div className="flex items-center gap-2">
            <span
              aria-hidden="true"
              className="size-4 animate-spin rounded-full border-2 border-amber-300 border-t-amber-700"
            />
            <h2 className="font-semibold">Waiting for your payment to be confirmed</h2>
          </div>
          <p className="text-slate-700 dark:text-slate-300">
            Order <code className="break-all">{order.public_id}</code> is {orderStatusLabel(order.status).toLowerCase()}.
            This page updates by itself as soon as the payment provider confirms it; you can leave and come back.
          </p>
          {auth.mode === "dev" && (
            <p className="text-sm text-slate-600 dark:text-slate-400">
              Local server: pay it with <code className="break-all">scripts/pay {order.public_id}</code>
            </p>
          )}
        </div>
      </Card>
    );
  }
  if (order.status === "fulfilled") {
    const isService = product.product_type === "service";
    return (
      <Card className="border-emerald-500 dark:border-emerald-700" as="section">
        <div data-testid="order-fulfilled" className="flex flex-col gap-2">
          <h2 className="font-semibold">
            <Badge tone="good">Fulfilled</Badge> <span className="ml-1">You own this</span>
          </h2>
          <p className="text-slate-700 dark:text-slate-300">
            Paid on {formatDate(order.paid_at)}.{" "}
            {isService ? "Your booking is in " : "Your files are in "}
            <Link to={isService ? "/account/bookings" : "/account/downloads"} className={linkClass}>
              {isService ? "Bookings" : "Downloads"}
            </Link>
            .
          </p>
        </div>
      </Card>
    );
  }
  return (
    <Card as="section">
      <p>
        Your last order for this product is <Badge tone={orderStatusTone(order.status)}>{orderStatusLabel(order.status)}</Badge>
      </p>
    </Card>
  );
}

function BuyBox({ product }: { product: ProductDetail }) {
  const auth = useAuth();
  const toast = useToast();
  const queryClient = useQueryClient();
  const defaultPrice = product.active_price?.id ?? product.prices[0]?.id ?? null;
  const [priceId, setPriceId] = useState<number | null>(defaultPrice);
  const orders = useOrders({ enabled: auth.isSignedIn, poll: true });
  const order = latestOrderFor(orders.data, product.slug);
  const previousStatus = useRef<string | undefined>(undefined);

  useEffect(() => {
    const before = previousStatus.current;
    previousStatus.current = order?.status;
    if (order?.status === "fulfilled" && before && before !== "fulfilled") {
      toast.show("success", `Payment confirmed: ${product.name} is yours.`);
      void queryClient.invalidateQueries({ queryKey: ["account"] });
    }
  }, [order?.status, product.name, queryClient, toast]);

  const buy = useMutation({
    mutationFn: (id: number) => api.createOrder({ price_id: id, quantity: 1 }),
    onSuccess: (result) => {
      queryClient.setQueryData<Order[]>(queryKeys.orders, (list) => [result.order, ...(list ?? [])]);
      void queryClient.invalidateQueries({ queryKey: queryKeys.orders });
      if (result.checkout.checkout_url) {
        toast.show("info", "Taking you to checkout…");
        leaveTo(result.checkout.checkout_url);
      } else {
        toast.show("info", "Order created. Waiting for the payment to be confirmed.");
      }
    },
    onError: (error) => {
      toast.show("error", error instanceof ApiError ? error.message : "The order could not be created.");
    },
  });

  if (product.prices.length === 0) {
    return <EmptyState title="Not on sale yet">This product has no price yet.</EmptyState>;
  }
  const pending = order && (order.status === "pending_payment" || order.status === "paid");
  return (
    <div className="flex flex-col gap-4">
      <Card as="section">
        <fieldset className="flex flex-col gap-2">
          <legend className="mb-2 font-semibold">Choose a price</legend>
          {product.prices.map((price) => (
            <label
              key={price.id}
              className="flex cursor-pointer items-center gap-3 rounded-lg border border-slate-200 p-3 has-[:checked]:border-indigo-600 dark:border-slate-700"
            >
              <input
                type="radio"
                name="price"
                value={price.id}
                checked={priceId === price.id}
                onChange={() => setPriceId(price.id)}
                className="size-4 accent-indigo-700"
              />
              <span className="flex-1">{price.name || periodLabel(price.billing_period)}</span>
              <span className="font-semibold">{formatMoney(price.amount_cents, price.currency)}</span>
              <span className="text-sm text-slate-600 dark:text-slate-400">{periodLabel(price.billing_period)}</span>
            </label>
          ))}
        </fieldset>
        <div className="mt-4">
          {auth.isSignedIn ? (
            <button
              type="button"
              className={buttonClass.primary}
              disabled={priceId === null || buy.isPending || Boolean(pending)}
              onClick={() => priceId !== null && buy.mutate(priceId)}
            >
              {buy.isPending ? "Creating your order…" : order?.status === "fulfilled" ? "Buy again" : "Buy now"}
            </button>
          ) : (
            <Link to={`/sign-in?next=${encodeURIComponent(`/products/${product.slug}`)}`} className={buttonClass.primary}>
              Sign in to buy
            </Link>
          )}
        </div>
      </Card>
      {orders.isError && <ErrorState error={orders.error} title="We could not load your orders" />}
      {order && <OrderPanel order={order} product={product} />}
    </div>
  );
}

export default function ProductPage() {
  const { slug = "" } = useParams();
  const product = useProduct(slug);
  if (product.isPending) return <LoadingState label="Loading the product…" />;
  if (product.isError) {
    if (product.error instanceof ApiError && product.error.status === 404) {
      return (
        <EmptyState
          title="Product not found"
          action={
            <Link to="/products" className={buttonClass.primary}>
              Back to the catalog
            </Link>
          }
        >
          It may have been unpublished.
        </EmptyState>
      );
    }
    return <ErrorState error={product.error} onRetry={() => void product.refetch()} />;
  }
  const p = product.data;
  return (
    <>
      <p className="mb-4 text-sm">
        <Link to="/products" className={linkClass}>
          ← Catalog
        </Link>
      </p>
      <PageHeader title={p.name} intro={p.tagline} />
      <div className="grid gap-6 lg:grid-cols-[3fr_2fr]">
        <div className="flex flex-col gap-6">
          {p.description && <p className="text-lg text-slate-800 dark:text-slate-200">{p.description}</p>}
          {p.assets.length > 0 && (
            <section aria-labelledby="files-title">
              <h2 id="files-title" className="mb-2 font-semibold">
                Included files
              </h2>
              <ul className="flex flex-col gap-1 text-slate-700 dark:text-slate-300">
                {p.assets.map((asset) => (
                  <li key={asset.id}>
                    {asset.title}
                    {asset.version_label && ` (${asset.version_label})`} · {formatBytes(asset.file_size_bytes)}
                  </li>
                ))}
              </ul>
            </section>
          )}
          {p.service_offer && (
            <section aria-labelledby="service-title">
              <h2 id="service-title" className="mb-2 font-semibold">
                What you book
              </h2>
              <ul className="flex flex-col gap-1 text-slate-700 dark:text-slate-300">
                <li>{p.service_offer.session_minutes}-minute session</li>
                <li>Delivered within {p.service_offer.delivery_days} days</li>
                <li>
                  {p.service_offer.revision_count} revision{p.service_offer.revision_count === 1 ? "" : "s"}
                </li>
              </ul>
              {p.service_offer.onboarding_instructions && (
                <p className="mt-2 text-slate-700 dark:text-slate-300">{p.service_offer.onboarding_instructions}</p>
              )}
            </section>
          )}
          {p.feature_keys.length > 0 && (
            <section aria-labelledby="features-title">
              <h2 id="features-title" className="mb-2 font-semibold">
                Unlocks
              </h2>
              <ul className="flex flex-wrap gap-1">
                {p.feature_keys.map((key) => (
                  <li key={key}>
                    <Badge>{key.replace(/_/g, " ")}</Badge>
                  </li>
                ))}
              </ul>
            </section>
          )}
        </div>
        <BuyBox product={p} />
      </div>
    </>
  );
}
