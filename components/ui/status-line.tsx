/**
 * A live region for what an action just did: always in the page, so screen readers announce
 * the message when it appears; empty until then.
 */
export function StatusLine({ message }: { message: string | null | undefined }) {
  return (
    <div role="status">
      {message ? <p className="rounded bg-green-50 px-3 py-2 text-sm text-green-900">{message}</p> : null}
    </div>
  );
}
