// TanStack Query hooks over api.ts: one key per resource, shared by every page.
import { useQuery } from "@tanstack/react-query";
import { api } from "./api";
import type { Order } from "../shared/types";

export const queryKeys = {
  products: ["products"] as const,
  product: (slug: string) => ["products", slug] as const,
  me: ["me"] as const,
  orders: ["account", "orders"] as const,
  downloads: ["account", "downloads"] as const,
  workOrders: ["account", "work-orders"] as const,
  customer: ["account", "customer"] as const,
};

/** How often an order awaiting its payment webhook is re-read. */
export const ORDER_POLL_MS = 1500;

export function hasPendingOrder(orders: Order[] | undefined): boolean {
  return Boolean(orders?.some((o) => o.status === "pending_payment" || o.status === "paid"));
}

export const useProducts = () => useQuery({ queryKey: queryKeys.products, queryFn: api.products });

export const useProduct = (slug: string) =>
  useQuery({ queryKey: queryKeys.product(slug), queryFn: () => api.product(slug) });

export const useMe = (enabled = true) => useQuery({ queryKey: queryKeys.me, queryFn: api.me, enabled });

/** The buyer's orders; re-read every ORDER_POLL_MS while one awaits payment (when `poll`). */
export const useOrders = ({ enabled = true, poll = false }: { enabled?: boolean; poll?: boolean } = {}) =>
  useQuery({
    queryKey: queryKeys.orders,
    queryFn: api.orders,
    enabled,
    refetchInterval: (query) => (poll && hasPendingOrder(query.state.data) ? ORDER_POLL_MS : false),
  });

export const useDownloads = () => useQuery({ queryKey: queryKeys.downloads, queryFn: api.downloads });

export const useWorkOrders = () => useQuery({ queryKey: queryKeys.workOrders, queryFn: api.workOrders });

export const useCustomer = () => useQuery({ queryKey: queryKeys.customer, queryFn: api.customer });
