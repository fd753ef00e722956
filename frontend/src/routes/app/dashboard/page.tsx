// The signed-in dashboard: what you own, and the next thing to do.
import { Link } from "react-router";
import { buttonClass, Card, ErrorState, linkClass, LoadingState, PageHeader } from "../../../components/layout/app-shell";
import { useDownloads, useMe, useOrders, useWorkOrders } from "../../../lib/queries";
import { grantState } from "../../../shared/ui-utils";

function Stat({ label, value, to }: { label: string; value: number; to: string }) {
  return (
    <Card as="li">
      <p className="text-sm text-slate-600 dark:text-slate-400">{label}</p>
      <p className="mt-1 text-3xl font-bold">{value}</p>
      <Link to={to} className={`${linkClass} mt-2 inline-block text-sm`}>
        View {label.toLowerCase()}
      </Link>
    </Card>
  );
}

export default function DashboardPage() {
  const me = useMe();
  const orders = useOrders({ poll: true });
  const downloads = useDownloads();
  const work = useWorkOrders();
  const queries = [me, orders, downloads, work];
  const failed = queries.find((q) => q.isError);

  if (failed) return <ErrorState error={failed.error} onRetry={() => queries.forEach((q) => void q.refetch())} />;
  if (!me.data || !orders.data || !downloads.data || !work.data) return <LoadingState label="Loading your dashboard…" />;

  const owned = orders.data.filter((o) => o.status === "fulfilled" || o.status === "paid");
  const pending = orders.data.filter((o) => o.status === "pending_payment");
  const ready = downloads.data.filter((g) => grantState(g).state === "ready");
  const openWork = work.data.filter((w) => !w.completed_at);
  const name = me.data.profile.first_name || me.data.email || me.data.clerk_user_id;

  let next: { text: string; to: string; action: string };
  if (pending.length > 0) {
    next = { text: `You have ${pending.length} order(s) waiting for payment confirmation.`, to: "/account/purchases", action: "See purchases" };
  } else if (ready.length > 0) {
    next = { text: `${ready.length} file(s) are ready to download.`, to: "/account/downloads", action: "Go to downloads" };
  } else if (owned.length === 0) {
    next = { text: "You do not own anything yet. Start with the catalog.", to: "/products", action: "Browse the catalog" };
  } else {
    next = { text: "Everything you bought is delivered. Keep your billing details current.", to: "/account/profile", action: "Edit profile" };
  }

  return (
    <>
      <PageHeader title={`Welcome, ${name}`} intro={`Plan: ${me.data.profile.plan_tier}.`} />
      <Card as="section" className="mb-6 border-indigo-300 dark:border-indigo-800">
        <h2 className="font-semibold">Next step</h2>
        <p className="mt-1 text-slate-700 dark:text-slate-300">{next.text}</p>
        <Link to={next.to} className={`${buttonClass.primary} mt-4`}>
          {next.action}
        </Link>
      </Card>
      <h2 className="mb-3 text-xl font-semibold">What you own</h2>
      <ul className="grid gap-4 sm:grid-cols-3">
        <Stat label="Purchases" value={owned.length} to="/account/purchases" />
        <Stat label="Downloads" value={ready.length} to="/account/downloads" />
        <Stat label="Bookings" value={openWork.length} to="/account/bookings" />
      </ul>
      {me.data.billing_features.length > 0 && (
        <p className="mt-6 text-sm text-slate-700 dark:text-slate-300">
          Features on your account: {me.data.billing_features.join(", ")}
        </p>
      )}
    </>
  );
}
