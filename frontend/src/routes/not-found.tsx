import { Link } from "react-router";
import { EmptyState, buttonClass } from "../components/layout/app-shell";

export default function NotFoundPage() {
  return (
    <EmptyState
      title="Page not found"
      action={
        <Link to="/" className={buttonClass.primary}>
          Back to the home page
        </Link>
      }
    >
      The address may be mistyped, or the page has moved.
    </EmptyState>
  );
}
