// Bookings: the work orders that service purchases create.
import { Link } from "react-router";
import { Badge, buttonClass, Card, EmptyState, ErrorState, LoadingState, PageHeader, linkClass } from "../../../components/layout/app-shell";
import { useWorkOrders } from "../../../lib/queries";
import { formatDate, humanize } from "../../../shared/ui-utils";

export default function BookingsPage() {
  const work = useWorkOrders();
  return (
    <>
      <PageHeader title="Bookings" intro="Services you bought, tracked as work orders from request to delivery." />
      {work.isPending ? (
        <LoadingState label="Loading your bookings…" />
      ) : work.isError ? (
        <ErrorState error={work.error} onRetry={() => void work.refetch()} />
      ) : work.data.length === 0 ? (
        <EmptyState
          title="No bookings yet"
          action={
            <Link to="/products" className={buttonClass.primary}>
              Browse services
            </Link>
          }
        >
          When you buy a service, its work order appears here with a due date.
        </EmptyState>
      ) : (
        <ul className="flex flex-col gap-3">
          {work.data.map((item) => (
            <Card as="li" key={item.id} className="flex flex-col gap-1">
              <div className="flex flex-wrap items-center gap-2" data-testid="work-order">
                <h2 className="font-semibold">{item.product_name ?? "Service"}</h2>
                <Badge tone={item.status === "delivered" || item.status === "completed" ? "good" : "info"}>
                  {humanize(item.status)}
                </Badge>
              </div>
              <p className="text-sm text-slate-700 dark:text-slate-300">
                {item.due_at ? `Due by ${formatDate(item.due_at)}` : "No due date yet"} ·{" "}
                {item.delivery_mode === "physical_shipped" ? "Shipped to you" : "Delivered as a download"}
              </p>
              {item.delivery_notes && <p className="text-slate-700 dark:text-slate-300">{item.delivery_notes}</p>}
              {item.shipping_tracking_url && (
                <a href={item.shipping_tracking_url} className={linkClass} rel="noopener noreferrer" target="_blank">
                  Track the shipment
                </a>
              )}
              {item.delivery_mode !== "physical_shipped" && (
                <p className="text-sm text-slate-600 dark:text-slate-400">
                  {item.download_ready ? (
                    <Link to="/account/downloads" className={linkClass}>
                      Your delivery is ready in Downloads
                    </Link>
                  ) : (
                    "The delivery unlocks in Downloads when the work is done."
                  )}
                </p>
              )}
            </Card>
          ))}
        </ul>
      )}
    </>
  );
}
