// One auth surface for the whole app. With VITE_CLERK_PUBLISHABLE_KEY set, Clerk signs
// people in (loaded lazily, so the landing page does not pay for it when unused);
// otherwise the local sign-in of a development server (POST /api/dev/session/) does.
// Either way the API layer sees a single `getToken()`.
import { createContext, lazy, Suspense, useCallback, useContext, useMemo, useState, type ReactNode } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { api, setTokenGetter, setUnauthorizedHandler } from "./api";
import type { DevSessionInput } from "../shared/types";

export const clerkPublishableKey: string = import.meta.env.VITE_CLERK_PUBLISHABLE_KEY ?? "";

export type AuthMode = "clerk" | "dev";

export interface AuthState {
  mode: AuthMode;
  isLoaded: boolean;
  isSignedIn: boolean;
  /** A short label for the signed-in person (email or user id). */
  userLabel: string | null;
  signOut: () => Promise<void>;
  /** Local sign-in; only in dev mode. */
  devSignIn?: (input: DevSessionInput) => Promise<void>;
}

export const AuthContext = createContext<AuthState | null>(null);

/** The current auth state; throws outside the provider. */
export function useAuth(): AuthState {
  const value = useContext(AuthContext);
  if (!value) throw new Error("useAuth must be used inside <AuthProvider>");
  return value;
}

const DEV_SESSION_KEY = "paidloop.dev-session";

interface StoredDevSession {
  token: string;
  expires_at: string;
  user_id: string;
  email: string;
}

/** The stored local session when it has not expired. */
export function readDevSession(): StoredDevSession | null {
  try {
    const raw = window.localStorage.getItem(DEV_SESSION_KEY);
    if (!raw) return null;
    const parsed = JSON.parse(raw) as StoredDevSession;
    if (!parsed.token || Date.parse(parsed.expires_at) <= Date.now() + 5_000) return null;
    return parsed;
  } catch {
    return null;
  }
}

function DevAuthProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [session, setSession] = useState<StoredDevSession | null>(() => readDevSession());

  const signOut = useCallback(async () => {
    window.localStorage.removeItem(DEV_SESSION_KEY);
    setSession(null);
    queryClient.clear();
  }, [queryClient]);

  const devSignIn = useCallback(
    async (input: DevSessionInput) => {
      const result = await api.devSession(input);
      const userId = input.user_id || "user_local_dev";
      const stored: StoredDevSession = {
        token: result.token,
        expires_at: result.expires_at,
        user_id: userId,
        email: input.email || `${userId.toLowerCase()}@example.com`,
      };
      window.localStorage.setItem(DEV_SESSION_KEY, JSON.stringify(stored));
      queryClient.clear();
      setSession(stored);
    },
    [queryClient],
  );

  setTokenGetter(async () => readDevSession()?.token ?? null);
  setUnauthorizedHandler(() => void signOut());

  const value = useMemo<AuthState>(
    () => ({
      mode: "dev",
      isLoaded: true,
      isSignedIn: session !== null,
      userLabel: session ? session.email || session.user_id : null,
      signOut,
      devSignIn,
    }),
    [session, signOut, devSignIn],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

const ClerkAuthProvider = lazy(() => import("./clerk-auth"));

/** Picks Clerk or local sign-in, once, from the build's configuration. */
export function AuthProvider({ children }: { children: ReactNode }) {
  if (clerkPublishableKey) {
    return (
      <Suspense fallback={null}>
        <ClerkAuthProvider publishableKey={clerkPublishableKey}>{children}</ClerkAuthProvider>
      </Suspense>
    );
  }
  return <DevAuthProvider>{children}</DevAuthProvider>;
}

/** Test helper: a fixed auth state. */
export function StaticAuthProvider({ value, children }: { value: AuthState; children: ReactNode }) {
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}
