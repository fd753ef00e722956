// Purchases: every order of the signed-in buyer, newest first. Orders still awaiting
// their payment are re-read until the webhook confirms them.
import { Link } from "react-router";
import { Badge, Card, EmptyState, ErrorState, linkClass, LoadingState, PageHeader, buttonClass } from "../../../components/layout/app-shell";
import { useOrders } from "../../../lib/queries";
import { formatDate, formatMoney, orderStatusLabel, orderStatusTone } from "../../../shared/ui-utils";

export default function PurchasesPage() {
  const orders = useOrders({ poll: true });
  return (
    <>
      <PageHeader title="Purchases" intro="Your orders and their status. Pending orders update by themselves." />
      {orders.isPending ? (
        <LoadingState label="Loading your orders…" />
      ) : orders.isError ? (
        <ErrorState error={orders.error} onRetry={() => void orders.refetch()} />
      ) : orders.data.length === 0 ? (
        <EmptyState
          title="No purchases yet"
          action={
            <Link to="/products" className={buttonClass.primary}>
              Browse the catalog
            </Link>
          }
        >
          What you buy shows up here, with its status.
        </EmptyState>
      ) : (
        <ul className="flex flex-col gap-3">
          {orders.data.map((order) => (
            <Card as="li" key={order.public_id} className="flex flex-col gap-2">
              <div className="flex flex-wrap items-center gap-2" data-testid={`order-${order.public_id}`}>
                <Badge tone={orderStatusTone(order.status)}>{orderStatusLabel(order.status)}</Badge>
                <span className="font-semibold">{formatMoney(order.total_cents, order.currency)}</span>
                <span className="text-sm text-slate-600 dark:text-slate-400">{formatDate(order.created_at)}</span>
              </div>
              <ul className="text-slate-800 dark:text-slate-200">
                {order.items.map((item) => (
                  <li key={item.id}>
                    <Link to={`/products/${item.product_slug}`} className={linkClass}>
                      {item.product_name_snapshot}
                    </Link>{" "}
                    · {item.price_name_snapshot} × {item.quantity}
                  </li>
                ))}
              </ul>
              <p className="break-all text-xs text-slate-600 dark:text-slate-400">Order {order.public_id}</p>
            </Card>
          ))}
        </ul>
      )}
    </>
  );
}
