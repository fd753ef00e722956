// Every page's loading, empty and error states, with fetch faked at the network edge.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { jsonResponse, renderPage } from "../../test/render";
import CatalogPage from "./products/catalog-page";
import ProductPage from "./products/detail-page";
import PricingPage from "./pricing/page";
import PurchasesPage from "./app/account/purchases-page";
import DownloadsPage from "./app/account/downloads-page";
import BookingsPage from "./app/account/bookings-page";
import ProfilePage from "./app/account/profile-page";
import DashboardPage from "./app/dashboard/page";
import { leaveTo } from "../lib/navigation";
import type { CustomerAccount, DownloadGrant, ProductDetail, ProductListItem } from "../shared/types";

vi.mock("../lib/navigation", () => ({ leaveTo: vi.fn() }));

type Handler = (url: string, init?: RequestInit) => Response | Promise<Response>;
let handler: Handler;

beforeEach(() => {
  handler = () => jsonResponse(404, { detail: "Not found." });
  vi.stubGlobal(
    "fetch",
    vi.fn((url: string, init?: RequestInit) => Promise.resolve(handler(url, init))),
  );
});

afterEach(() => {
  vi.unstubAllGlobals();
});

/** Answers GETs by path; anything else is a 404. */
function serve(routes: Record<string, unknown | (() => Response)>) {
  handler = (url) => {
    const path = url.replace(/^\/api\//, "");
    const answer = routes[path];
    if (answer === undefined) return jsonResponse(404, { detail: "Not found." });
    return typeof answer === "function" ? (answer as () => Response)() : jsonResponse(200, answer);
  };
}

function hang() {
  handler = () => new Promise<Response>(() => {});
}

const price = { id: 11, name: "Lifetime access", amount_cents: 2900, amount: "29.00", currency: "USD", billing_period: "one_time" as const, is_default: true };

const product: ProductListItem = {
  id: 1,
  name: "Launch Playbook",
  slug: "launch-playbook",
  tagline: "Step by step",
  description: "A playbook.",
  product_type: "digital",
  visibility: "published",
  feature_keys: ["playbook_access"],
  active_price: price,
  created_at: "2026-01-01T00:00:00Z",
  updated_at: "2026-01-01T00:00:00Z",
};

const detail: ProductDetail = {
  ...product,
  prices: [price],
  assets: [{ id: 3, title: "Playbook (PDF)", version_label: "v1", file_size_bytes: 2_457_600 }],
  service_offer: null,
  metadata: {},
};

function grant(over: Partial<DownloadGrant>): DownloadGrant {
  return {
    id: 1,
    token: "0b0f6f7e-0000-4000-8000-000000000001",
    asset: 3,
    asset_title: "Playbook (PDF)",
    product_name: "Launch Playbook",
    order_item: 9,
    expires_at: null,
    max_downloads: 5,
    download_count: 0,
    last_downloaded_at: null,
    is_active: true,
    can_download: true,
    created_at: "2026-01-01T00:00:00Z",
    updated_at: "2026-01-01T00:00:00Z",
    ...over,
  };
}

const customer: CustomerAccount = {
  id: 1,
  profile: { id: 1, clerk_user_id: "user_buyer", email: "b@example.com", first_name: "", last_name: "" },
  external_customer_id: "user_buyer",
  billing_email: "b@example.com",
  full_name: "Bea Buyer",
  company_name: "",
  country: "",
  tax_id: "",
  metadata: {},
  created_at: "2026-01-01T00:00:00Z",
  updated_at: "2026-01-01T00:00:00Z",
};

describe("loading states", () => {
  it.each([
    ["catalog", <CatalogPage />, /loading the catalog/i],
    ["pricing", <PricingPage />, /loading prices/i],
    ["purchases", <PurchasesPage />, /loading your orders/i],
    ["downloads", <DownloadsPage />, /loading your downloads/i],
    ["bookings", <BookingsPage />, /loading your bookings/i],
    ["profile", <ProfilePage />, /loading your profile/i],
    ["dashboard", <DashboardPage />, /loading your dashboard/i],
  ])("%s shows a loading state", async (_name, page, text) => {
    hang();
    renderPage(page);
    expect(await screen.findByText(text)).toBeInTheDocument();
  });

  it("product detail shows a loading state", async () => {
    hang();
    renderPage(<ProductPage />, { path: "/products/launch-playbook", route: "/products/:slug" });
    expect(await screen.findByText(/loading the product/i)).toBeInTheDocument();
  });
});

describe("empty states", () => {
  it.each([
    ["catalog", <CatalogPage />, "products/", /nothing for sale yet/i],
    ["pricing", <PricingPage />, "products/", /no prices yet/i],
    ["purchases", <PurchasesPage />, "account/orders/", /no purchases yet/i],
    ["downloads", <DownloadsPage />, "account/downloads/", /no downloads yet/i],
    ["bookings", <BookingsPage />, "account/orders/work/", /no bookings yet/i],
  ])("%s explains an empty list", async (_name, page, path, text) => {
    serve({ [path]: [] });
    renderPage(page);
    expect(await screen.findByRole("heading", { name: text })).toBeInTheDocument();
  });

  it("product detail explains an unknown product", async () => {
    serve({});
    renderPage(<ProductPage />, { path: "/products/gone", route: "/products/:slug" });
    expect(await screen.findByRole("heading", { name: /product not found/i })).toBeInTheDocument();
  });

  it("dashboard suggests the catalog when nothing is owned", async () => {
    serve({
      "me/": { clerk_user_id: "user_buyer", email: "b@example.com", org_id: null, billing_features: [], profile: { first_name: "Bea", plan_tier: "free" }, customer_account: customer },
      "account/orders/": [],
      "account/downloads/": [],
      "account/orders/work/": [],
    });
    renderPage(<DashboardPage />);
    expect(await screen.findByText(/you do not own anything yet/i)).toBeInTheDocument();
  });
});

describe("error states", () => {
  it.each([
    ["catalog", <CatalogPage />],
    ["pricing", <PricingPage />],
    ["purchases", <PurchasesPage />],
    ["downloads", <DownloadsPage />],
    ["bookings", <BookingsPage />],
    ["profile", <ProfilePage />],
    ["dashboard", <DashboardPage />],
  ])("%s shows a masked server error with a retry", async (_name, page) => {
    handler = () => jsonResponse(500, { detail: "Internal server error.", error: "secret stack" });
    renderPage(page);
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent(/something went wrong on our side/i);
    expect(alert).not.toHaveTextContent(/secret stack/);
    expect(screen.getByRole("button", { name: /try again/i })).toBeInTheDocument();
  });

  it("product detail shows a server error", async () => {
    handler = () => jsonResponse(503, { detail: "db down" });
    renderPage(<ProductPage />, { path: "/products/x", route: "/products/:slug" });
    expect(await screen.findByRole("alert")).toHaveTextContent(/something went wrong/i);
  });
});

describe("content", () => {
  it("catalog lists products with their API price", async () => {
    serve({ "products/": [product] });
    renderPage(<CatalogPage />);
    expect(await screen.findByRole("link", { name: "Launch Playbook" })).toBeInTheDocument();
    expect(screen.getByText("$29.00")).toBeInTheDocument();
  });

  it("product detail offers buying, and shows the pending order while waiting", async () => {
    const order = {
      id: 5, public_id: "6f1c0000-0000-4000-8000-000000000005", status: "pending_payment", currency: "USD",
      subtotal_cents: 2900, tax_cents: 0, total_cents: 2900, notes: "", clerk_checkout_id: "", external_reference: "",
      paid_at: null, fulfilled_at: null, created_at: "2026-01-01T00:00:00Z", updated_at: "2026-01-01T00:00:00Z",
      items: [{ id: 1, product: 1, product_slug: "launch-playbook", product_type: "digital", price: 11, quantity: 1, unit_amount_cents: 2900, total_amount_cents: 2900, product_name_snapshot: "Launch Playbook", price_name_snapshot: "Lifetime access", metadata: {}, created_at: "", updated_at: "" }],
    };
    let created = false;
    handler = (url, init) => {
      if (url.endsWith("products/launch-playbook/")) return jsonResponse(200, detail);
      if (url.endsWith("account/orders/create/") && init?.method === "POST") {
        created = true;
        return jsonResponse(201, { order, checkout: { checkout_url: "", provider: "clerk" } });
      }
      if (url.endsWith("account/orders/")) return jsonResponse(200, created ? [order] : []);
      return jsonResponse(404, {});
    };
    renderPage(<ProductPage />, { path: "/products/launch-playbook", route: "/products/:slug" });
    const buy = await screen.findByRole("button", { name: /buy now/i });
    await userEvent.click(buy);
    expect(await screen.findByTestId("order-pending")).toHaveTextContent(order.public_id);
    expect(screen.getByRole("button", { name: /buy now/i })).toBeDisabled();
  });

  it("product detail follows a non-empty checkout_url", async () => {
    handler = (url, init) => {
      if (url.endsWith("products/launch-playbook/")) return jsonResponse(200, detail);
      if (url.endsWith("account/orders/create/") && init?.method === "POST") {
        return jsonResponse(201, {
          order: { id: 6, public_id: "6f1c0000-0000-4000-8000-000000000006", status: "pending_payment", items: [] },
          checkout: { checkout_url: "https://pay.example.com/c/123", provider: "clerk" },
        });
      }
      if (url.endsWith("account/orders/")) return jsonResponse(200, []);
      return jsonResponse(404, {});
    };
    renderPage(<ProductPage />, { path: "/products/launch-playbook", route: "/products/:slug" });
    await userEvent.click(await screen.findByRole("button", { name: /buy now/i }));
    await waitFor(() => expect(leaveTo).toHaveBeenCalledWith("https://pay.example.com/c/123"));
  });

  it("downloads explain locked, expired and used-up grants", async () => {
    serve({
      "account/downloads/": [
        grant({ id: 1, asset_title: "Ready file" }),
        grant({ id: 2, asset_title: "Locked file", is_active: false, can_download: false }),
        grant({ id: 3, asset_title: "Old file", expires_at: "2020-01-01T00:00:00Z", can_download: false }),
        grant({ id: 4, asset_title: "Busy file", download_count: 5, can_download: false }),
      ],
    });
    renderPage(<DownloadsPage />);
    expect(await screen.findByText(/5 of 5 downloads left/)).toBeInTheDocument();
    expect(screen.getByText(/has not delivered this file yet/)).toBeInTheDocument();
    expect(screen.getByText(/expired on/i)).toBeInTheDocument();
    expect(screen.getByText(/all 5 downloads used/i)).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Download Ready file" })).toBeEnabled();
    expect(screen.getByRole("button", { name: "Download Locked file" })).toBeDisabled();
  });

  it("profile shows field errors next to their fields", async () => {
    handler = (url, init) => {
      if (init?.method === "PATCH") return jsonResponse(400, { country: ["Use a 2-letter country code."] });
      if (url.endsWith("account/customer/")) return jsonResponse(200, customer);
      return jsonResponse(404, {});
    };
    renderPage(<ProfilePage />);
    const country = await screen.findByLabelText("Country");
    await userEvent.type(country, "U1");
    await userEvent.click(screen.getByRole("button", { name: /save profile/i }));
    await waitFor(() => expect(country).toHaveAttribute("aria-invalid", "true"));
    expect(country).toHaveAccessibleDescription(/use a 2-letter country code/i);
  });
});
