export interface Toast {
  id: number;
  kind: 'info' | 'error';
  text: string;
  link?: { href: string; label: string };
}

export function Toasts({ toasts, onDismiss }: { toasts: Toast[]; onDismiss: (id: number) => void }) {
  return (
    <div className="toasts">
      {toasts.map((t) => (
        <div key={t.id} className={`toast toast-${t.kind}`} role={t.kind === 'error' ? 'alert' : 'status'}>
          <span className="toast-text">
            {t.text}
            {t.link && (
              <>
                {' '}
                <a
                  href={t.link.href}
                  target="_blank"
                  rel="noopener noreferrer"
                  onClick={() => onDismiss(t.id)}
                >
                  {t.link.label}
                </a>
              </>
            )}
          </span>
          <button type="button" className="toast-close" aria-label="閉じる" onClick={() => onDismiss(t.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
