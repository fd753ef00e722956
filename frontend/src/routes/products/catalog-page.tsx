// The public catalog: every published product, with its price from the API.
import { EmptyState, ErrorState, LoadingState, PageHeader } from "../../components/layout/app-shell";
import { useProducts } from "../../lib/queries";
import { ProductCard } from "./product-card";

export default function CatalogPage() {
  const products = useProducts();
  return (
    <>
      <PageHeader title="Catalog" intro="Files you download right after paying, and services delivered as work orders." />
      {products.isPending ? (
        <LoadingState label="Loading the catalog…" />
      ) : products.isError ? (
        <ErrorState error={products.error} onRetry={() => void products.refetch()} />
      ) : products.data.length === 0 ? (
        <EmptyState title="Nothing for sale yet">
          No product is published. On a local server, run scripts/seed-demo to add the demo catalog.
        </EmptyState>
      ) : (
        <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
          {products.data.map((product) => (
            <ProductCard key={product.id} product={product} />
          ))}
        </ul>
      )}
    </>
  );
}
