import { Link } from "react-router";
import { buttonClass, PageHeader } from "../components/layout/app-shell";

export default function NotFoundPage() {
  return (
    <>
      <PageHeader title="Page not found" intro="The address may be mistyped, or the page has moved." />
      <Link to="/" className={buttonClass.primary}>
        Back to the home page
      </Link>
    </>
  );
}
