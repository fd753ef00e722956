// Clerk sign-in, loaded only when VITE_CLERK_PUBLISHABLE_KEY is set.
import { useMemo, type ReactNode } from "react";
import { ClerkProvider, useAuth as useClerkAuth, useClerk, useUser } from "@clerk/clerk-react";
import { useQueryClient } from "@tanstack/react-query";
import { setTokenGetter, setUnauthorizedHandler } from "./api";
import { AuthContext, type AuthState } from "./auth";

function ClerkBridge({ children }: { children: ReactNode }) {
  const { isLoaded, isSignedIn, getToken } = useClerkAuth();
  const { user } = useUser();
  const clerk = useClerk();
  const queryClient = useQueryClient();

  setTokenGetter(() => getToken());
  setUnauthorizedHandler(null);

  const value = useMemo<AuthState>(
    () => ({
      mode: "clerk",
      isLoaded,
      isSignedIn: Boolean(isSignedIn),
      userLabel: user?.primaryEmailAddress?.emailAddress ?? user?.id ?? null,
      signOut: async () => {
        queryClient.clear();
        await clerk.signOut();
      },
    }),
    [isLoaded, isSignedIn, user, clerk, queryClient],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export default function ClerkAuthProvider({ publishableKey, children }: { publishableKey: string; children: ReactNode }) {
  return (
    <ClerkProvider publishableKey={publishableKey} afterSignOutUrl="/">
      <ClerkBridge>{children}</ClerkBridge>
    </ClerkProvider>
  );
}
