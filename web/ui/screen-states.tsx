/** What stands in for a screen while its code or data loads: grey bars, announced once as `label` ("Loading"). */
export function LoadingBars({ label }: { label: string }) {
  return (
    <div className="skeleton" role="status" aria-live="polite">
      <span className="visually-hidden">{label}</span>
      <div className="skeleton-bar wide" />
      <div className="skeleton-bar" />
      <div className="skeleton-bar" />
    </div>
  );
}

/** A screen whose data could not be loaded: says so, and offers another try when one can help. */
export function LoadFailed({
  message,
  retryLabel,
  retry,
}: {
  message: string;
  retryLabel: string;
  retry?: () => void;
}) {
  return (
    <div className="notice error" role="alert">
      <p>{message}</p>
      {retry && (
        <button type="button" className="button secondary" onClick={retry}>
          {retryLabel}
        </button>
      )}
    </div>
  );
}
