// Renders a page with the providers the app uses, a fresh query cache and a fixed auth.
import type { ReactNode } from "react";
import { render } from "@testing-library/react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { MemoryRouter, Route, Routes } from "react-router";
import { StaticAuthProvider, type AuthState } from "../src/lib/auth";
import { ToastProvider } from "../src/components/feedback/toast";

export const signedIn: AuthState = {
  mode: "dev",
  isLoaded: true,
  isSignedIn: true,
  userLabel: "buyer@example.com",
  signOut: async () => {},
};

export function renderPage(node: ReactNode, { path = "/", route = "/", auth = signedIn }: { path?: string; route?: string; auth?: AuthState } = {}) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={client}>
      <StaticAuthProvider value={auth}>
        <ToastProvider>
          <MemoryRouter initialEntries={[path]}>
            <Routes>
              <Route path={route} element={node} />
            </Routes>
          </MemoryRouter>
        </ToastProvider>
      </StaticAuthProvider>
    </QueryClientProvider>,
  );
}

export function jsonResponse(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}
