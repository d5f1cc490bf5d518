/** Loading / redirecting: a polite live region so screen readers announce it. */
export function StatusView({ message }: { message: string }) {
  return (
    <div role="status" aria-live="polite" className="flex flex-col items-center gap-4 py-16 text-center">
      <span
        aria-hidden="true"
        className="size-10 rounded-full border-4 border-solid-gray-200 border-t-blue-900 motion-safe:animate-spin"
      />
      <p className="text-std-17N-170">{message}</p>
    </div>
  );
}
