// The customer profile: billing details, with each server-side error next to its field.
import { useState, type FormEvent } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { buttonClass, Card, ErrorState, LoadingState, PageHeader } from "../../../components/layout/app-shell";
import { TextField } from "../../../components/forms";
import { useToast } from "../../../components/feedback/toast";
import { api, ApiError } from "../../../lib/api";
import { queryKeys, useCustomer } from "../../../lib/queries";
import type { CustomerAccount, CustomerAccountPatch } from "../../../shared/types";

type FormValues = Required<CustomerAccountPatch>;

function valuesOf(account: CustomerAccount): FormValues {
  return {
    billing_email: account.billing_email,
    full_name: account.full_name,
    company_name: account.company_name,
    country: account.country,
    tax_id: account.tax_id,
  };
}

function ProfileForm({ account }: { account: CustomerAccount }) {
  const toast = useToast();
  const queryClient = useQueryClient();
  const [values, setValues] = useState<FormValues>(() => valuesOf(account));
  const save = useMutation({
    mutationFn: (patch: CustomerAccountPatch) => api.updateCustomer(patch),
    onSuccess: (saved) => {
      queryClient.setQueryData(queryKeys.customer, saved);
      void queryClient.invalidateQueries({ queryKey: queryKeys.me });
      setValues(valuesOf(saved));
      toast.show("success", "Profile saved.");
    },
    onError: (error) => {
      toast.show("error", error instanceof ApiError ? error.message : "The profile could not be saved.");
    },
  });
  const error = save.error instanceof ApiError ? save.error : null;
  const set = (key: keyof FormValues) => (e: React.ChangeEvent<HTMLInputElement>) =>
    setValues((v) => ({ ...v, [key]: e.target.value }));

  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate(values);
  }

  return (
    <Card className="max-w-xl">
      <form onSubmit={submit} noValidate className="flex flex-col gap-4" aria-describedby="profile-help">
        <p id="profile-help" className="text-sm text-slate-700 dark:text-slate-300">
          Used on your receipts and invoices.
        </p>
        <TextField label="Billing email" name="billing_email" type="email" autoComplete="email" value={values.billing_email} onChange={set("billing_email")} error={error?.field("billing_email")} />
        <TextField label="Full name" name="full_name" autoComplete="name" value={values.full_name} onChange={set("full_name")} error={error?.field("full_name")} />
        <TextField label="Company (optional)" name="company_name" autoComplete="organization" value={values.company_name} onChange={set("company_name")} error={error?.field("company_name")} />
        <TextField label="Country" name="country" autoComplete="country" value={values.country} onChange={set("country")} hint="Two letters, e.g. US or DE." maxLength={2} error={error?.field("country")} />
        <TextField label="Tax id (optional)" name="tax_id" value={values.tax_id} onChange={set("tax_id")} error={error?.field("tax_id")} />
        {error && Object.keys(error.fieldErrors).length === 0 && (
          <p role="alert" className="text-sm font-medium text-red-700 dark:text-red-300">
            {error.message}
          </p>
        )}
        <div>
          <button type="submit" className={buttonClass.primary} disabled={save.isPending}>
            {save.isPending ? "Saving…" : "Save profile"}
          </button>
        </div>
      </form>
    </Card>
  );
}

export default function ProfilePage() {
  const customer = useCustomer();
  return (
    <>
      <PageHeader title="Profile" intro="Your customer details." />
      {customer.isPending ? (
        <LoadingState label="Loading your profile…" />
      ) : customer.isError ? (
        <ErrorState error={customer.error} onRetry={() => void customer.refetch()} />
      ) : (
        <ProfileForm account={customer.data} />
      )}
    </>
  );
}
