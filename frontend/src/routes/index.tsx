// The route map. The landing page is in the entry chunk; every other page is its own
// chunk, loaded on first visit.
import { lazy, Suspense, type ReactNode } from "react";
import { Navigate, Route, Routes, useLocation } from "react-router";
import { AppShell, LoadingState } from "../components/layout/app-shell";
import { useAuth } from "../lib/auth";
import LandingPage from "./landing/page";

const PricingPage = lazy(() => import("./pricing/page"));
const CatalogPage = lazy(() => import("./products/catalog-page"));
const ProductPage = lazy(() => import("./products/detail-page"));
const SignInPage = lazy(() => import("./sign-in/page"));
const DashboardPage = lazy(() => import("./app/dashboard/page"));
const PurchasesPage = lazy(() => import("./app/account/purchases-page"));
const DownloadsPage = lazy(() => import("./app/account/downloads-page"));
const BookingsPage = lazy(() => import("./app/account/bookings-page"));
const ProfilePage = lazy(() => import("./app/account/profile-page"));
const NotFoundPage = lazy(() => import("./not-found"));

/** Sends signed-out visitors to sign in, then back here. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const auth = useAuth();
  const location = useLocation();
  if (!auth.isLoaded) return <LoadingState label="Checking your session…" />;
  if (!auth.isSignedIn) {
    const next = `${location.pathname}${location.search}`;
    return <Navigate to={`/sign-in?next=${encodeURIComponent(next)}`} replace />;
  }
  return <>{children}</>;
}

function page(node: ReactNode) {
  return <Suspense fallback={<LoadingState />}>{node}</Suspense>;
}

function privatePage(node: ReactNode) {
  return page(<RequireAuth>{node}</RequireAuth>);
}

export function AppRoutes() {
  return (
    <Routes>
      <Route element={<AppShell />}>
        <Route index element={<LandingPage />} />
        <Route path="pricing" element={page(<PricingPage />)} />
        <Route path="products" element={page(<CatalogPage />)} />
        <Route path="products/:slug" element={page(<ProductPage />)} />
        <Route path="sign-in" element={page(<SignInPage />)} />
        <Route path="app" element={privatePage(<DashboardPage />)} />
        <Route path="account" element={<Navigate to="/account/purchases" replace />} />
        <Route path="account/purchases" element={privatePage(<PurchasesPage />)} />
        <Route path="account/downloads" element={privatePage(<DownloadsPage />)} />
        <Route path="account/bookings" element={privatePage(<BookingsPage />)} />
        <Route path="account/profile" element={privatePage(<ProfilePage />)} />
        <Route path="*" element={page(<NotFoundPage />)} />
      </Route>
    </Routes>
  );
}
