import { useEffect, useState } from 'react';
import type { ConnectionState } from '../../consult/use-chat-socket.ts';
import { useI18n } from '../../i18n/i18n.tsx';

const SHOW_AFTER_MS = 600;

/**
 * The connection in a `role="status"` live region: "接続中…", "再接続しています…", offline. A problem
 * shows after 0.6 s (a quick reconnect does not make the bar jump); when connected it says "接続しました"
 * to screen readers only.
 */
export function ConnectionStatus({ state }: { state: ConnectionState }) {
  const { t } = useI18n();
  const problem = state === 'connecting' || state === 'reconnecting' || state === 'offline';
  const [shown, setShown] = useState(false);
  useEffect(() => {
    if (!problem) {
      setShown(false);
      return;
    }
    const timer = setTimeout(() => setShown(true), SHOW_AFTER_MS);
    return () => clearTimeout(timer);
  }, [problem]);
  const visible = problem && shown;
  const text = visible || state === 'open' ? t(`consult.connection.${state}`) : '';
  return (
    <div role="status" data-testid="chat-connection" data-state={state}>
      {visible ? (
        <p
          className={`mt-2 flex items-center gap-2 rounded-8 border-2 px-3 py-2 text-std-16N-170 text-solid-gray-900 ${
            state === 'offline'
              ? 'border-warning-orange-2 bg-orange-50'
              : 'border-warning-yellow-2 bg-yellow-50'
          }`}
        >
          {state !== 'offline' && (
            <span
              aria-hidden="true"
              className="size-4 shrink-0 rounded-full border-2 border-solid-gray-300 border-t-solid-gray-800 motion-safe:animate-spin"
            />
          )}
          {text}
        </p>
      ) : (
        <span className="sr-only">{text}</span>
      )}
    </div>
  );
}
