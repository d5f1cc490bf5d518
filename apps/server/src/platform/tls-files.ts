import { readFileSync } from 'node:fs';

/**
 * Reads a PEM certificate and key given by two settings (both or neither); fails the start naming
 * the settings when only one is given or a file cannot be read. Used by the HTTPS server
 * (TLS_CERT_FILE / TLS_KEY_FILE, S-01) and the inbound SMTP listener's STARTTLS.
 */
export function readTlsPair(
  names: [cert: string, key: string],
  files: [cert: string | undefined, key: string | undefined],
): { cert: Buffer; key: Buffer } | null {
  const [certFile, keyFile] = files;
  if (!certFile && !keyFile) return null;
  if (!certFile || !keyFile) throw new Error(`${names[0]} and ${names[1]} must be set together`);
  try {
    return { cert: readFileSync(certFile), key: readFileSync(keyFile) };
  } catch (err) {
    throw new Error(`${names[0]} / ${names[1]}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** The oldest TLS version the HTTPS server accepts (S-01). */
export const TLS_MIN_VERSION = 'TLSv1.2' as const;
