// Small helpers shared by the pages: formatting and the explanations people read.
import type { BillingPeriod, DownloadGrant, OrderStatus } from "./types";

/** Joins class names, skipping falsy ones. */
export function cx(...parts: Array<string | false | null | undefined>): string {
  return parts.filter(Boolean).join(" ");
}

/** "$29.00" from 2900 and "USD" (falls back to "29.00 XYZ" for an unknown currency). */
export function formatMoney(cents: number, currency: string): string {
  try {
    return new Intl.NumberFormat("en-US", { style: "currency", currency }).format(cents / 100);
  } catch {
    return `${(cents / 100).toFixed(2)} ${currency}`;
  }
}

/** "per month", "per year" or "one-time". */
export function periodLabel(period: BillingPeriod): string {
  switch (period) {
    case "monthly":
      return "per month";
    case "yearly":
      return "per year";
    default:
      return "one-time";
  }
}

/** A date for people: "Mar 4, 2026". Empty for null. */
export function formatDate(value: string | null | undefined): string {
  if (!value) return "";
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return "";
  return date.toLocaleDateString("en-US", { year: "numeric", month: "short", day: "numeric" });
}

/** "2.3 MB" from bytes. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

const ORDER_STATUS_LABELS: Record<OrderStatus, string> = {
  draft: "Draft",
  pending_payment: "Awaiting payment",
  paid: "Paid",
  fulfilled: "Fulfilled",
  canceled: "Canceled",
  refunded: "Refunded",
};

export function orderStatusLabel(status: OrderStatus): string {
  return ORDER_STATUS_LABELS[status] ?? status;
}

/** Badge colours per tone. */
export type Tone = "neutral" | "good" | "warn" | "bad" | "info";

export function orderStatusTone(status: OrderStatus): Tone {
  if (status === "fulfilled" || status === "paid") return "good";
  if (status === "pending_payment") return "warn";
  if (status === "canceled" || status === "refunded") return "bad";
  return "neutral";
}

export type GrantState = "ready" | "locked" | "expired" | "used_up";

/** Why a download grant can or cannot be used right now, in words. */
export function grantState(grant: DownloadGrant, now: number = Date.now()): { state: GrantState; explanation: string } {
  if (!grant.is_active) {
    return {
      state: "locked",
      explanation: "Locked: the seller has not delivered this file yet. It unlocks as soon as they do.",
    };
  }
  if (grant.expires_at && Date.parse(grant.expires_at) <= now) {
    return {
      state: "expired",
      explanation: `Expired on ${formatDate(grant.expires_at)}. Contact the seller for a fresh link.`,
    };
  }
  if (grant.download_count >= grant.max_downloads) {
    return {
      state: "used_up",
      explanation: `All ${grant.max_downloads} downloads used. Contact the seller if you need another.`,
    };
  }
  if (!grant.can_download) {
    return { state: "locked", explanation: "Not available right now." };
  }
  const left = grant.max_downloads - grant.download_count;
  return {
    state: "ready",
    explanation: `${left} of ${grant.max_downloads} downloads left${grant.expires_at ? `, until ${formatDate(grant.expires_at)}` : ""}.`,
  };
}

/** Human words for a work order status ("in_progress" → "In progress"). */
export function humanize(value: string): string {
  const text = value.replace(/_/g, " ").trim();
  return text ? text[0]!.toUpperCase() + text.slice(1) : "";
}
