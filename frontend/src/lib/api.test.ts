import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { api, ApiError, GENERIC_SERVER_ERROR, NETWORK_ERROR, request, setTokenGetter, toApiError } from "./api";

function jsonResponse(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

let fetchMock: ReturnType<typeof vi.fn>;

beforeEach(() => {
  fetchMock = vi.fn();
  vi.stubGlobal("fetch", fetchMock);
  setTokenGetter(async () => null);
});

afterEach(() => {
  vi.unstubAllGlobals();
  vi.unstubAllEnvs();
});

describe("request", () => {
  it("sends the session token as a bearer header", async () => {
    setTokenGetter(async () => "tok_123");
    fetchMock.mockResolvedValue(jsonResponse(200, []));
    await api.orders();
    const [url, init] = fetchMock.mock.calls[0]!;
    expect(url).toBe("/api/account/orders/");
    expect((init as RequestInit).headers).toMatchObject({ authorization: "Bearer tok_123" });
  });

  it("sends no authorization header when signed out, or for public calls", async () => {
    fetchMock.mockImplementation(() => Promise.resolve(jsonResponse(200, [])));
    await api.orders();
    setTokenGetter(async () => "tok_123");
    await api.products();
    for (const [, init] of fetchMock.mock.calls) {
      expect((init as RequestInit).headers).not.toHaveProperty("authorization");
    }
  });

  it("posts JSON and parses the JSON answer", async () => {
    fetchMock.mockResolvedValue(
      jsonResponse(201, { order: { public_id: "abc" }, checkout: { checkout_url: "", provider: "clerk" } }),
    );
    const result = await api.createOrder({ price_id: 7, quantity: 1 });
    expect(result.order.public_id).toBe("abc");
    const [, init] = fetchMock.mock.calls[0]!;
    expect((init as RequestInit).method).toBe("POST");
    expect((init as RequestInit).headers).toMatchObject({ "content-type": "application/json" });
    expect(JSON.parse((init as RequestInit).body as string)).toEqual({ price_id: 7, quantity: 1 });
  });

  it("turns field errors into an ApiError with per-field messages", async () => {
    fetchMock.mockResolvedValue(jsonResponse(400, { country: ["Use a 2-letter code."], tax_id: "Too long." }));
    const error = await api.updateCustomer({ country: "USA" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    const apiError = error as ApiError;
    expect(apiError.status).toBe(400);
    expect(apiError.field("country")).toBe("Use a 2-letter code.");
    expect(apiError.field("tax_id")).toBe("Too long.");
    expect(apiError.message).toBe("Please correct the highlighted fields.");
  });

  it("uses detail and non_field_errors as the message", async () => {
    expect(toApiError(403, { detail: "Download limit reached." }).message).toBe("Download limit reached.");
    expect(toApiError(400, { non_field_errors: ["Nope.", "Really."] }).message).toBe("Nope. Really.");
    expect(toApiError(404, null).message).toBe("Request failed (404).");
  });

  it("masks 5xx details by default", async () => {
    fetchMock.mockResolvedValue(jsonResponse(500, { detail: "Internal server error.", error: "db: relation missing" }));
    const error = (await api.me().catch((e: unknown) => e)) as ApiError;
    expect(error.status).toBe(500);
    expect(error.message).toBe(GENERIC_SERVER_ERROR);
    expect(error.body).toBeNull();
    expect(toApiError(502, { detail: "Storage failed: bucket xyz" }).message).toBe(GENERIC_SERVER_ERROR);
  });

  it("shows 5xx details when VITE_EXPOSE_BACKEND_ERRORS=true", async () => {
    vi.stubEnv("VITE_EXPOSE_BACKEND_ERRORS", "true");
    fetchMock.mockResolvedValue(jsonResponse(503, { detail: "Storage is not configured." }));
    const error = (await api.downloads().catch((e: unknown) => e)) as ApiError;
    expect(error.status).toBe(503);
    expect(error.message).toBe("Storage is not configured.");
  });

  it("reports a network failure as status 0", async () => {
    fetchMock.mockRejectedValue(new TypeError("Failed to fetch"));
    const error = (await request("health/").catch((e: unknown) => e)) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(0);
    expect(error.message).toBe(NETWORK_ERROR);
  });

  it("keeps a non-JSON error body short and never throws on parsing", async () => {
    fetchMock.mockResolvedValue(new Response("<html>Bad gateway</html>", { status: 400 }));
    const error = (await request("health/").catch((e: unknown) => e)) as ApiError;
    expect(error.status).toBe(400);
    expect(error.message).toBe("<html>Bad gateway</html>");
  });
});
