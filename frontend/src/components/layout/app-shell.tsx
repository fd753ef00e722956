// The shared layout (header, navigation, footer) and the page primitives every route
// uses: headers, cards, buttons, and the loading, empty and error states.
import { useEffect, useRef, type ReactNode } from "react";
import { Link, NavLink, Outlet, useLocation, useNavigate } from "react-router";
import { useAuth } from "../../lib/auth";
import { ApiError } from "../../lib/api";
import { cx, type Tone } from "../../shared/ui-utils";
import { PageErrorBoundary } from "../feedback/error-boundary";

export const focusRing =
  "focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 dark:focus-visible:outline-indigo-400";

export const buttonClass = {
  primary: cx(
    "inline-flex items-center justify-center gap-2 rounded-lg bg-indigo-700 px-4 py-2.5 text-sm font-semibold text-white shadow-sm hover:bg-indigo-800 disabled:cursor-not-allowed disabled:opacity-60",
    focusRing,
  ),
  secondary: cx(
    "inline-flex items-center justify-center gap-2 rounded-lg border border-slate-300 bg-white px-4 py-2.5 text-sm font-semibold text-slate-900 hover:bg-slate-50 disabled:cursor-not-allowed disabled:opacity-60 dark:border-slate-600 dark:bg-slate-900 dark:text-slate-100 dark:hover:bg-slate-800",
    focusRing,
  ),
};

export const linkClass = cx(
  "font-medium text-indigo-700 underline-offset-2 hover:underline dark:text-indigo-300",
  focusRing,
);

function navClass({ isActive }: { isActive: boolean }): string {
  return cx(
    "rounded-md px-2.5 py-1.5 text-sm font-medium",
    focusRing,
    isActive
      ? "bg-slate-100 text-slate-900 dark:bg-slate-800 dark:text-white"
      : "text-slate-700 hover:text-slate-950 dark:text-slate-300 dark:hover:text-white",
  );
}

function Header() {
  const auth = useAuth();
  const navigate = useNavigate();
  return (
    <header className="border-b border-slate-200 dark:border-slate-800">
      <div className="mx-auto flex max-w-5xl flex-wrap items-center gap-x-4 gap-y-2 px-4 py-3">
        <Link to="/" className={cx("flex items-center gap-2 rounded-md text-base font-bold", focusRing)}>
          <span aria-hidden="true" className="grid size-7 place-items-center rounded-md bg-indigo-700 text-white">
            P
          </span>
          Paidloop
        </Link>
        <nav aria-label="Main" className="order-last flex w-full flex-wrap gap-1 sm:order-none sm:w-auto sm:flex-1">
          <NavLink to="/products" className={navClass}>
            Catalog
          </NavLink>
          <NavLink to="/pricing" className={navClass}>
            Pricing
          </NavLink>
          {auth.isSignedIn && (
            <>
              <NavLink to="/app" end className={navClass}>
                Dashboard
              </NavLink>
              <NavLink to="/account/purchases" className={navClass}>
                Purchases
              </NavLink>
              <NavLink to="/account/downloads" className={navClass}>
                Downloads
              </NavLink>
              <NavLink to="/account/bookings" className={navClass}>
                Bookings
              </NavLink>
              <NavLink to="/account/profile" className={navClass}>
                Profile
              </NavLink>
            </>
          )}
        </nav>
        <div className="ml-auto flex items-center gap-2">
          {auth.isSignedIn ? (
            <>
              <span className="hidden max-w-48 truncate text-sm text-slate-600 md:inline dark:text-slate-400">
                {auth.userLabel}
              </span>
              <button
                type="button"
                className={buttonClass.secondary}
                onClick={() => {
                  void auth.signOut().then(() => navigate("/"));
                }}
              >
                Sign out
              </button>
            </>
          ) : (
            <Link to="/sign-in" className={buttonClass.primary}>
              Sign in
            </Link>
          )}
        </div>
      </div>
    </header>
  );
}

/** The layout route: skip link, header, the page, footer. After a client-side
 * navigation, focus moves to the new page's content, as a full page load would. */
export function AppShell() {
  const { pathname } = useLocation();
  const main = useRef<HTMLElement>(null);
  const firstRender = useRef(true);
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    main.current?.focus({ preventScroll: false });
    window.scrollTo(0, 0);
  }, [pathname]);
  return (
    <div className="flex min-h-dvh flex-col">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2 focus:text-slate-900"
      >
        Skip to content
      </a>
      <Header />
      <main ref={main} id="main" tabIndex={-1} className="mx-auto w-full max-w-5xl flex-1 px-4 py-8 focus:outline-none">
        <PageErrorBoundary resetKey={pathname}>
          <Outlet />
        </PageErrorBoundary>
      </main>
      <footer className="border-t border-slate-200 py-6 text-center text-sm text-slate-600 dark:border-slate-800 dark:text-slate-400">
        Paidloop: payment verified on the server, delivery automatic.
      </footer>
    </div>
  );
}

export function PageHeader({ title, intro, actions }: { title: string; intro?: ReactNode; actions?: ReactNode }) {
  useEffect(() => {
    document.title = `${title} · Paidloop`;
    return () => {
      document.title = "Paidloop";
    };
  }, [title]);
  return (
    <div className="mb-6 flex flex-col gap-3 sm:flex-row sm:items-end sm:justify-between">
      <div>
        <h1 className="text-2xl font-bold tracking-tight sm:text-3xl">{title}</h1>
        {intro && <p className="mt-2 max-w-2xl text-slate-700 dark:text-slate-300">{intro}</p>}
      </div>
      {actions && <div className="flex gap-2">{actions}</div>}
    </div>
  );
}

export function Card({ children, className, as = "div" }: { children: ReactNode; className?: string; as?: "div" | "li" | "section" | "article" }) {
  const Tag = as;
  return (
    <Tag
      className={cx(
        "rounded-xl border border-slate-200 bg-white p-5 shadow-sm dark:border-slate-800 dark:bg-slate-900",
        className,
      )}
    >
      {children}
    </Tag>
  );
}

const TONE_CLASSES: Record<Tone, string> = {
  neutral: "bg-slate-100 text-slate-800 dark:bg-slate-800 dark:text-slate-200",
  good: "bg-emerald-100 text-emerald-900 dark:bg-emerald-900 dark:text-emerald-100",
  warn: "bg-amber-100 text-amber-900 dark:bg-amber-900 dark:text-amber-100",
  bad: "bg-red-100 text-red-900 dark:bg-red-900 dark:text-red-100",
  info: "bg-indigo-100 text-indigo-900 dark:bg-indigo-900 dark:text-indigo-100",
};

export function Badge({ tone = "neutral", children }: { tone?: Tone; children: ReactNode }) {
  return (
    <span className={cx("inline-flex items-center rounded-full px-2.5 py-0.5 text-xs font-semibold", TONE_CLASSES[tone])}>
      {children}
    </span>
  );
}

export function LoadingState({ label = "Loading…" }: { label?: string }) {
  return (
    <div role="status" aria-live="polite" className="flex items-center gap-3 py-10 text-slate-700 dark:text-slate-300">
      <span
        aria-hidden="true"
        className="size-5 animate-spin rounded-full border-2 border-slate-300 border-t-indigo-700 dark:border-slate-700 dark:border-t-indigo-400"
      />
      <span>{label}</span>
    </div>
  );
}

export function EmptyState({ title, children, action }: { title: string; children?: ReactNode; action?: ReactNode }) {
  return (
    <div className="rounded-xl border border-dashed border-slate-300 px-6 py-10 text-center dark:border-slate-700">
      <h2 className="text-lg font-semibold">{title}</h2>
      {children && <p className="mx-auto mt-2 max-w-md text-slate-700 dark:text-slate-300">{children}</p>}
      {action && <div className="mt-4">{action}</div>}
    </div>
  );
}

export function ErrorState({ error, onRetry, title = "We could not load this" }: { error: unknown; onRetry?: () => void; title?: string }) {
  const message = error instanceof ApiError ? error.message : "Something unexpected happened.";
  return (
    <div role="alert" className="rounded-xl border border-red-300 bg-red-50 px-6 py-6 dark:border-red-800 dark:bg-red-950">
      <h2 className="font-semibold text-red-900 dark:text-red-100">{title}</h2>
      <p className="mt-1 text-red-900 dark:text-red-100">{message}</p>
      {onRetry && (
        <button type="button" onClick={onRetry} className={cx(buttonClass.secondary, "mt-4")}>
          Try again
        </button>
      )}
    </div>
  );
}
