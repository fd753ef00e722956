// Downloads: the buyer's download grants. "Download" asks the server for a signed,
// short-lived link and opens it; locked, expired and used-up grants say why.
import { useState } from "react";
import { Link } from "react-router";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Badge, buttonClass, Card, EmptyState, ErrorState, LoadingState, PageHeader } from "../../../components/layout/app-shell";
import { useToast } from "../../../components/feedback/toast";
import { api, ApiError } from "../../../lib/api";
import { queryKeys, useDownloads } from "../../../lib/queries";
import type { DownloadGrant } from "../../../shared/types";
import { grantState, type GrantState, type Tone } from "../../../shared/ui-utils";

const STATE_BADGE: Record<GrantState, [Tone, string]> = {
  ready: ["good", "Ready"],
  locked: ["neutral", "Locked"],
  expired: ["bad", "Expired"],
  used_up: ["warn", "Used up"],
};

/** Opens a signed URL as a download without leaving the app. */
function openDownload(url: string) {
  const anchor = document.createElement("a");
  anchor.href = url;
  anchor.download = "";
  anchor.rel = "noopener";
  document.body.appendChild(anchor);
  anchor.click();
  anchor.remove();
}

function GrantRow({ grant }: { grant: DownloadGrant }) {
  const toast = useToast();
  const queryClient = useQueryClient();
  const [link, setLink] = useState<string | null>(null);
  const { state, explanation } = grantState(grant);
  const access = useMutation({
    mutationFn: () => api.accessDownload(grant.token),
    onSuccess: (result) => {
      setLink(result.download_url);
      queryClient.setQueryData<DownloadGrant[]>(queryKeys.downloads, (list) =>
        list?.map((g) => (g.id === result.grant.id ? result.grant : g)),
      );
      openDownload(result.download_url);
      toast.show("success", `Downloading ${grant.asset_title}.`);
    },
    onError: (error) => {
      toast.show("error", error instanceof ApiError ? error.message : "The download could not start.");
      void queryClient.invalidateQueries({ queryKey: queryKeys.downloads });
    },
  });
  const [tone, label] = STATE_BADGE[state];
  return (
    <Card as="li" className="flex flex-col gap-3 sm:flex-row sm:items-center">
      <div className="flex-1">
        <div className="flex flex-wrap items-center gap-2">
          <h2 className="font-semibold">{grant.asset_title}</h2>
          <Badge tone={tone}>{label}</Badge>
        </div>
        <p className="text-sm text-slate-700 dark:text-slate-300">{grant.product_name}</p>
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-400" data-testid="grant-explanation">
          {explanation}
        </p>
        {link && (
          <p className="mt-1 text-sm">
            <a href={link} download className="font-medium text-indigo-700 underline dark:text-indigo-300" data-testid="download-link">
              Download link (valid for a few minutes)
            </a>
          </p>
        )}
      </div>
      <button
        type="button"
        className={buttonClass.primary}
        disabled={state !== "ready" || access.isPending}
        onClick={() => access.mutate()}
        aria-label={`Download ${grant.asset_title}`}
      >
        {access.isPending ? "Preparing…" : "Download"}
      </button>
    </Card>
  );
}

export default function DownloadsPage() {
  const downloads = useDownloads();
  return (
    <>
      <PageHeader title="Downloads" intro="Files from your purchases. Each link is signed for you and expires after a few minutes." />
      {downloads.isPending ? (
        <LoadingState label="Loading your downloads…" />
      ) : downloads.isError ? (
        <ErrorState error={downloads.error} onRetry={() => void downloads.refetch()} />
      ) : downloads.data.length === 0 ? (
        <EmptyState
          title="No downloads yet"
          action={
            <Link to="/products" className={buttonClass.primary}>
              Browse the catalog
            </Link>
          }
        >
          Files appear here as soon as a purchase is confirmed.
        </EmptyState>
      ) : (
        <ul className="flex flex-col gap-3">
          {downloads.data.map((grant) => (
            <GrantRow key={grant.id} grant={grant} />
          ))}
        </ul>
      )}
    </>
  );
}
