// Signed-out visitors are sent to sign in; the local sign-in form explains a server
// without local sign-in and shows field errors next to their fields.
import { describe, expect, it, vi } from "vitest";
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { MemoryRouter, Route, Routes, useLocation } from "react-router";
import { StaticAuthProvider, type AuthState } from "../lib/auth";
import { ApiError } from "../lib/api";
import { ToastProvider } from "../components/feedback/toast";
import { RequireAuth } from ".";
import SignInPage from "./sign-in/page";

function Where() {
  const location = useLocation();
  return <p data-testid="where">{`${location.pathname}${location.search}`}</p>;
}

function renderAt(path: string, auth: AuthState) {
  return render(
    <QueryClientProvider client={new QueryClient()}>
      <StaticAuthProvider value={auth}>
        <ToastProvider>
          <MemoryRouter initialEntries={[path]}>
            <Routes>
              <Route path="/account/downloads" element={<RequireAuth>secret</RequireAuth>} />
              <Route
                path="/sign-in"
                element={
                  <>
                    <Where />
                    <SignInPage />
                  </>
                }
              />
              <Route path="*" element={<Where />} />
            </Routes>
          </MemoryRouter>
        </ToastProvider>
      </StaticAuthProvider>
    </QueryClientProvider>,
  );
}

const signedOut = (devSignIn: AuthState["devSignIn"]): AuthState => ({
  mode: "dev",
  isLoaded: true,
  isSignedIn: false,
  userLabel: null,
  signOut: async () => {},
  devSignIn,
});

describe("auth", () => {
  it("sends a signed-out visitor to sign in, remembering the page", async () => {
    renderAt("/account/downloads", signedOut(vi.fn()));
    expect(await screen.findByTestId("where")).toHaveTextContent("/sign-in?next=%2Faccount%2Fdownloads");
    expect(screen.queryByText("secret")).not.toBeInTheDocument();
  });

  it("signs in locally and goes back to the remembered page", async () => {
    const devSignIn = vi.fn().mockResolvedValue(undefined);
    renderAt("/sign-in?next=%2Fproducts%2Flaunch-playbook", signedOut(devSignIn));
    await userEvent.clear(screen.getByLabelText("User id"));
    await userEvent.type(screen.getByLabelText("User id"), "user_bea");
    await userEvent.type(screen.getByLabelText("Entitlements (optional)"), "pro, api_access");
    await userEvent.click(screen.getByRole("button", { name: "Sign in" }));
    expect(devSignIn).toHaveBeenCalledWith({ user_id: "user_bea", entitlements: ["pro", "api_access"] });
    expect(await screen.findByTestId("where")).toHaveTextContent(/^\/products\/launch-playbook$/);
  });

  it("explains a server without local sign-in", async () => {
    const devSignIn = vi.fn().mockRejectedValue(new ApiError(404, "Not found."));
    renderAt("/sign-in", signedOut(devSignIn));
    await userEvent.click(screen.getByRole("button", { name: "Sign in" }));
    expect(await screen.findByRole("alert")).toHaveTextContent(/does not offer local sign-in/);
  });

  it("shows a field error next to the user id", async () => {
    const devSignIn = vi.fn().mockRejectedValue(new ApiError(400, "Please correct the highlighted fields.", { user_id: ["Use 1-64 letters, digits, `_` or `-`."] }));
    renderAt("/sign-in", signedOut(devSignIn));
    await userEvent.click(screen.getByRole("button", { name: "Sign in" }));
    const field = screen.getByLabelText("User id");
    expect(await screen.findByText(/use 1-64 letters/i)).toBeInTheDocument();
    expect(field).toHaveAttribute("aria-invalid", "true");
  });
});
