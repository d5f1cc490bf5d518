// hoodiecrow-imap (Andris Reinman, MIT): a scriptable in-memory IMAP server for client tests; no types.
declare module 'hoodiecrow-imap' {
  import type { Server } from 'node:net';

  interface HoodiecrowOptions {
    plugins?: string[];
    storage?: Record<string, unknown>;
    users?: Record<string, { password: string }>;
    debug?: boolean;
    /** Implicit TLS (IMAPS) with these credentials (tls.createServer options). */
    secureConnection?: boolean;
    credentials?: { key: Buffer; cert: Buffer };
  }
  interface Hoodiecrow {
    listen(port: number, host: string, callback: () => void): void;
    close(callback: () => void): void;
    server: Server;
  }
  export default function hoodiecrow(options?: HoodiecrowOptions): Hoodiecrow;
}
