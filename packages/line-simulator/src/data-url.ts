/** Parses a base64 `data:` URL. */
export function parseDataUrl(dataUrl: string): { contentType: string; data: Buffer } | undefined {
  const m = /^data:([a-z]+\/[a-z0-9.+-]+)?((?:;[a-z0-9-]+=[^;,]*)*);base64,(.*)$/is.exec(dataUrl);
  if (!m) return undefined;
  return {
    contentType: (m[1] ?? 'application/octet-stream').toLowerCase(),
    data: Buffer.from(m[3]!, 'base64'),
  };
}
