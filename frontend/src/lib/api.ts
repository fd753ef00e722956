// Every call the SPA makes to the Paidloop API goes through this file.
//
// - `getToken()` (set once by the auth layer) supplies the bearer token;
// - error bodies of the spec's one shape become an `ApiError` with field errors;
// - 5xx details are replaced by a generic message unless VITE_EXPOSE_BACKEND_ERRORS=true.
import type {
  CreateOrderInput,
  CreateOrderResult,
  CustomerAccount,
  CustomerAccountPatch,
  DevSession,
  DevSessionInput,
  DownloadAccess,
  DownloadGrant,
  Me,
  Order,
  ProductDetail,
  ProductListItem,
  WorkOrder,
} from "../shared/types";

/** Where the API lives: same origin by default (the server or the Vite proxy). */
export const API_BASE: string = (import.meta.env.VITE_API_BASE_URL ?? "").replace(/\/$/, "");

export const GENERIC_SERVER_ERROR = "Something went wrong on our side. Please try again in a moment.";
export const NETWORK_ERROR = "Cannot reach the server. Check your connection and try again.";

type TokenGetter = () => Promise<string | null>;
let tokenGetter: TokenGetter = async () => null;
let onUnauthorized: (() => void) | null = null;

/** Installs the function every authenticated call uses to get a session token. */
export function setTokenGetter(getter: TokenGetter): void {
  tokenGetter = getter;
}

/** Called when an authenticated call answers 401 (an expired or revoked session). */
export function setUnauthorizedHandler(handler: (() => void) | null): void {
  onUnauthorized = handler;
}

/** The current session token, or null when signed out. */
export function getToken(): Promise<string | null> {
  return tokenGetter();
}

function exposeBackendErrors(): boolean {
  return import.meta.env.VITE_EXPOSE_BACKEND_ERRORS === "true";
}

/** A failed API call: HTTP status, a message fit for people, and field errors. */
export class ApiError extends Error {
  readonly status: number;
  readonly fieldErrors: Record<string, string[]>;
  readonly body: unknown;

  constructor(status: number, message: string, fieldErrors: Record<string, string[]> = {}, body: unknown = null) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.fieldErrors = fieldErrors;
    this.body = body;
  }

  /** The first message for a field, if any. */
  field(name: string): string | undefined {
    return this.fieldErrors[name]?.[0];
  }
}

function asMessages(value: unknown): string[] | null {
  if (typeof value === "string") return [value];
  if (Array.isArray(value) && value.every((v) => typeof v === "string")) return value as string[];
  return null;
}

/** Turns an error response into an ApiError, following the spec's error shapes. */
export function toApiError(status: number, body: unknown): ApiError {
  if (status >= 500 && !exposeBackendErrors()) {
    return new ApiError(status, GENERIC_SERVER_ERROR, {}, null);
  }
  const fallback = status === 401 ? "Please sign in again." : `Request failed (${status}).`;
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    return new ApiError(status, typeof body === "string" && body ? body : fallback, {}, body);
  }
  const record = body as Record<string, unknown>;
  const fieldErrors: Record<string, string[]> = {};
  let message: string | null = null;
  for (const [key, value] of Object.entries(record)) {
    if (key === "detail" || key === "error") {
      if (typeof value === "string" && !message) message = value;
      continue;
    }
    const messages = asMessages(value);
    if (!messages) continue;
    if (key === "non_field_errors") {
      message = message ?? messages.join(" ");
    } else {
      fieldErrors[key] = messages;
    }
  }
  if (!message && Object.keys(fieldErrors).length > 0) {
    message = "Please correct the highlighted fields.";
  }
  return new ApiError(status, message ?? fallback, fieldErrors, body);
}

interface RequestOptions {
  method?: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  body?: unknown;
  auth?: boolean;
  signal?: AbortSignal;
}

/** One request to `/api/{path}`; resolves to the parsed JSON body. */
export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const { method = "GET", body, auth = true, signal } = options;
  const headers: Record<string, string> = { accept: "application/json" };
  if (body !== undefined) headers["content-type"] = "application/json";
  if (auth) {
    const token = await tokenGetter();
    if (token) headers.authorization = `Bearer ${token}`;
  }
  let response: Response;
  try {
    response = await fetch(`${API_BASE}/api/${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin",
      signal,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === "AbortError") throw err;
    throw new ApiError(0, NETWORK_ERROR);
  }
  const text = await response.text();
  let parsed: unknown = null;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = response.ok ? null : text.slice(0, 200);
    }
  }
  if (!response.ok) {
    if (response.status === 401 && auth && onUnauthorized) onUnauthorized();
    throw toApiError(response.status, parsed);
  }
  return parsed as T;
}

const enc = encodeURIComponent;

/** The typed calls, one per endpoint the SPA uses. */
export const api = {
  products: () => request<ProductListItem[]>("products/", { auth: false }),
  product: (slug: string) => request<ProductDetail>(`products/${enc(slug)}/`, { auth: false }),
  me: () => request<Me>("me/"),
  orders: () => request<Order[]>("account/orders/"),
  createOrder: (input: CreateOrderInput) =>
    request<CreateOrderResult>("account/orders/create/", { method: "POST", body: input }),
  downloads: () => request<DownloadGrant[]>("account/downloads/"),
  accessDownload: (token: string) =>
    request<DownloadAccess>(`account/downloads/${enc(token)}/access/`, { method: "POST", body: {} }),
  workOrders: () => request<WorkOrder[]>("account/orders/work/"),
  customer: () => request<CustomerAccount>("account/customer/"),
  updateCustomer: (patch: CustomerAccountPatch) =>
    request<CustomerAccount>("account/customer/", { method: "PATCH", body: patch }),
  devSession: (input: DevSessionInput) =>
    request<DevSession>("dev/session/", { method: "POST", body: input, auth: false }),
};
