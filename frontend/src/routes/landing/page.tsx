// The landing page: who this is for, what they get, and where to click. It answers the
// three offer questions (who pays and why now, the 7-day outcome, what the first
// checkout unlocks) for the demo catalog a fresh Paidloop ships with.
import { Link } from "react-router";
import { buttonClass, Card } from "../../components/layout/app-shell";
import { useAuth } from "../../lib/auth";

const questions = [
  {
    heading: "Who pays, and why now",
    body: "Founders who have built something and still have no paying customer. Every week without a checkout is a week of guessing; the first payment turns an opinion into a signal you can act on.",
  },
  {
    heading: "What you have in 7 days",
    body: "A live offer that takes real money: a product page, an order priced by the server, payment confirmed by a signed webhook, and the delivery sent without you lifting a finger.",
  },
  {
    heading: "What the first checkout unlocks",
    body: "The moment the payment is verified the buyer can download the Launch Playbook and its templates, or sees their Launch Review Call booked as a work order with a due date. Subscribers get their plan's features at once.",
  },
];

const steps = [
  { title: "Pick", text: "Browse the catalog and open a product." },
  { title: "Pay", text: "Checkout creates an order at the server's price; nothing the browser says changes it." },
  { title: "Receive", text: "A verified payment fulfils the order: downloads, bookings and features appear in your account." },
];

export default function LandingPage() {
  const auth = useAuth();
  return (
    <div className="flex flex-col gap-14">
      <section aria-labelledby="hero-title" className="pt-4">
        <p className="text-sm font-semibold uppercase tracking-wide text-indigo-700 dark:text-indigo-300">
          From idea to first payment
        </p>
        <h1 id="hero-title" className="mt-3 max-w-3xl text-4xl font-extrabold tracking-tight sm:text-5xl">
          Sell your first product this week, and deliver it automatically.
        </h1>
        <p className="mt-4 max-w-2xl text-lg text-slate-700 dark:text-slate-300">
          Paidloop is a complete paid loop: catalog, checkout, payment verified on the server, and delivery of files,
          bookings and plan features. Try it as a buyer with the demo catalog below.
        </p>
        <div className="mt-8 flex flex-col gap-3 sm:flex-row">
          <Link to="/products" className={buttonClass.primary}>
            Browse the catalog
          </Link>
          <Link to="/pricing" className={buttonClass.secondary}>
            See pricing
          </Link>
          {!auth.isSignedIn && (
            <Link to="/sign-in" className={buttonClass.secondary}>
              Sign in to buy
            </Link>
          )}
        </div>
      </section>

      <section aria-labelledby="offer-title">
        <h2 id="offer-title" className="text-2xl font-bold tracking-tight">
          The offer, plainly
        </h2>
        <ul className="mt-6 grid gap-4 md:grid-cols-3">
          {questions.map((q) => (
            <Card as="li" key={q.heading}>
              <h3 className="font-semibold">{q.heading}</h3>
              <p className="mt-2 text-slate-700 dark:text-slate-300">{q.body}</p>
            </Card>
          ))}
        </ul>
      </section>

      <section aria-labelledby="how-title">
        <h2 id="how-title" className="text-2xl font-bold tracking-tight">
          How a purchase works
        </h2>
        <ol className="mt-6 grid gap-4 md:grid-cols-3">
          {steps.map((step, index) => (
            <Card as="li" key={step.title}>
              <p className="text-sm font-semibold text-indigo-700 dark:text-indigo-300">Step {index + 1}</p>
              <h3 className="mt-1 font-semibold">{step.title}</h3>
              <p className="mt-2 text-slate-700 dark:text-slate-300">{step.text}</p>
            </Card>
          ))}
        </ol>
      </section>

      <section
        aria-labelledby="cta-title"
        className="rounded-2xl bg-indigo-700 px-6 py-10 text-white dark:bg-indigo-900"
      >
        <h2 id="cta-title" className="text-2xl font-bold">
          Run the whole loop yourself
        </h2>
        <p className="mt-2 max-w-2xl text-indigo-50">
          Sign in, buy the Launch Playbook, and watch the download unlock the moment the payment is confirmed.
        </p>
        <Link
          to={auth.isSignedIn ? "/products" : "/sign-in?next=%2Fproducts"}
          className="mt-6 inline-flex rounded-lg bg-white px-4 py-2.5 text-sm font-semibold text-indigo-800 hover:bg-indigo-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-white"
        >
          {auth.isSignedIn ? "Go to the catalog" : "Sign in and start"}
        </Link>
      </section>
    </div>
  );
}
