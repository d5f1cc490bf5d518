import type { ReactNode } from 'react';
import type { FormSubmit } from '../lib/useFormSubmit.ts';
import { Alert } from './Alert.tsx';
import { FormActions } from './FormActions.tsx';
import { LoadError, Loading } from './LoadState.tsx';
import { PageHeader } from './PageHeader.tsx';

export type FormPageLoad = {
  /** A failed GET of what the form needs (shown with a reload button). */
  error?: unknown;
  onRetry?: () => void;
  loading?: boolean;
  /** Shown instead of the form when the record to edit does not exist. */
  notFound?: string | null;
};

/**
 * An add/edit page: its heading, then the load state or the form (message above, save and
 * back-to-list buttons below). The heading stays mounted, so focus moves to it only once.
 */
export function FormPage({
  title,
  description,
  load,
  submit,
  className,
  children,
}: {
  title: string;
  description?: ReactNode;
  load: FormPageLoad;
  submit: FormSubmit;
  /** The form's width (e.g. `max-w-3xl`) and spacing. */
  className: string;
  children: ReactNode;
}) {
  const failed = load.error !== null && load.error !== undefined;
  const ready = !failed && !load.loading && !load.notFound;
  return (
    <>
      <PageHeader title={title} description={ready ? description : undefined} />
      {failed ? (
        <LoadError error={load.error} onRetry={load.onRetry} />
      ) : load.loading ? (
        <Loading />
      ) : load.notFound ? (
        <Alert tone="error">{load.notFound}</Alert>
      ) : (
        <form noValidate onSubmit={submit.onSubmit} className={`flex flex-col ${className}`}>
          {submit.formError && <Alert tone="error">{submit.formError}</Alert>}
          {children}
          <FormActions submitting={submit.submitting} cancelTo={submit.backTo} />
        </form>
      )}
    </>
  );
}
