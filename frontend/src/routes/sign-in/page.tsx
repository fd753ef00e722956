// Sign in: Clerk's form in Clerk mode, otherwise the local development sign-in.
import { lazy, Suspense, useState, type FormEvent } from "react";
import { Navigate, useNavigate, useSearchParams } from "react-router";
import { buttonClass, Card, LoadingState, PageHeader } from "../../components/layout/app-shell";
import { TextField } from "../../components/forms";
import { useToast } from "../../components/feedback/toast";
import { useAuth } from "../../lib/auth";
import { ApiError } from "../../lib/api";

const ClerkSignIn = lazy(() => import("../../lib/clerk-sign-in"));

/** Only same-site paths are followed after sign-in. */
function safeNext(value: string | null): string {
  return value && value.startsWith("/") && !value.startsWith("//") ? value : "/app";
}

function DevSignInForm({ next }: { next: string }) {
  const auth = useAuth();
  const toast = useToast();
  const navigate = useNavigate();
  const [userId, setUserId] = useState("user_buyer");
  const [email, setEmail] = useState("");
  const [entitlements, setEntitlements] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const features = entitlements
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean);
      await auth.devSignIn?.({
        user_id: userId.trim(),
        ...(email.trim() ? { email: email.trim() } : {}),
        ...(features.length ? { entitlements: features } : {}),
      });
      toast.show("success", "Signed in.");
      navigate(next, { replace: true });
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, "Sign-in failed."));
    } finally {
      setBusy(false);
    }
  }

  const offline = error?.status === 404;
  return (
    <Card className="max-w-md">
      <form onSubmit={submit} noValidate className="flex flex-col gap-4">
        <p className="text-sm text-slate-700 dark:text-slate-300">
          Local sign-in for development: pick any user id. No password, no account anywhere. This screen only works on a
          server started with local sign-in on (scripts/dev does that).
        </p>
        <TextField
          label="User id"
          name="user_id"
          value={userId}
          onChange={(e) => setUserId(e.target.value)}
          required
          autoComplete="username"
          hint="Letters, digits, _ or -."
          error={error?.field("user_id")}
        />
        <TextField
          label="Email (optional)"
          name="email"
          type="email"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          autoComplete="email"
          error={error?.field("email")}
        />
        <TextField
          label="Entitlements (optional)"
          name="entitlements"
          value={entitlements}
          onChange={(e) => setEntitlements(e.target.value)}
          hint="Comma-separated plan features, e.g. pro, api_access."
          error={error?.field("entitlements")}
        />
        {error && !Object.keys(error.fieldErrors).length && (
          <p role="alert" className="text-sm font-medium text-red-700 dark:text-red-300">
            {offline
              ? "This server does not offer local sign-in. Start it with scripts/dev, or build the app with VITE_CLERK_PUBLISHABLE_KEY to use Clerk."
              : error.message}
          </p>
        )}
        <button type="submit" className={buttonClass.primary} disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </form>
    </Card>
  );
}

export default function SignInPage() {
  const auth = useAuth();
  const [params] = useSearchParams();
  const next = safeNext(params.get("next"));
  if (auth.isLoaded && auth.isSignedIn) return <Navigate to={next} replace />;
  return (
    <>
      <PageHeader title="Sign in" intro="Sign in to buy, and to find your purchases, downloads and bookings." />
      {auth.mode === "clerk" ? (
        <Suspense fallback={<LoadingState />}>
          <ClerkSignIn redirectTo={next} />
        </Suspense>
      ) : (
        <DevSignInForm next={next} />
      )}
    </>
  );
}
