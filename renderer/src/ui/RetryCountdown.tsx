// A plane's one reconnect countdown ("retrying in 7 s"), ticking each second.

import { useEffect, useState, type JSX } from 'react';

export function RetryCountdown({ retryAt }: { retryAt: number | undefined }): JSX.Element | null {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (retryAt === undefined) return;
    const t = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(t);
  }, [retryAt]);
  if (retryAt === undefined) return null;
  const s = Math.ceil((retryAt - now) / 1000);
  return (
    <span className="retry-countdown" data-testid="retry-countdown">
      {s > 0 ? `retrying in ${s} s` : 'retrying now'}
    </span>
  );
}
