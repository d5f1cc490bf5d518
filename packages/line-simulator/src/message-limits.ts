import type { ErrorDetail } from './openapi-validator.ts';

// Limits LINE enforces on message objects that its OpenAPI document does not state.
// Lengths are in UTF-16 code units, as LINE counts them.

const TEXT_MAX = 5_000;
const ALT_TEXT_MAX = 1_500;
const URL_MAX = 2_000;

function checkLength(
  details: ErrorDetail[],
  value: unknown,
  property: string,
  max: number,
  allowEmpty = false,
): void {
  if (typeof value !== 'string') return;
  if (!allowEmpty && value.length === 0) details.push({ message: 'May not be empty', property });
  else if (value.length > max) details.push({ message: `Length must be between 0 and ${max}`, property });
}

/** Checks the `messages` array of a send request; returns LINE-style details. */
export function checkMessageLimits(messages: unknown, base = 'messages'): ErrorDetail[] {
  const details: ErrorDetail[] = [];
  if (!Array.isArray(messages)) return details;
  messages.forEach((message, i) => {
    if (typeof message !== 'object' || message === null) return;
    const m = message as Record<string, unknown>;
    const at = `${base}[${i}]`;
    switch (m.type) {
      case 'text':
      case 'textV2':
        checkLength(details, m.text, `${at}.text`, TEXT_MAX);
        break;
      case 'image':
      case 'video':
        checkLength(details, m.originalContentUrl, `${at}.originalContentUrl`, URL_MAX);
        checkLength(details, m.previewImageUrl, `${at}.previewImageUrl`, URL_MAX);
        break;
      case 'audio':
        checkLength(details, m.originalContentUrl, `${at}.originalContentUrl`, URL_MAX);
        break;
      case 'imagemap':
      case 'template':
      case 'flex':
        checkLength(details, m.altText, `${at}.altText`, ALT_TEXT_MAX);
        break;
    }
  });
  return details;
}

/** Merges detail lists, keeping the first detail per property. */
export function mergeDetails(...lists: ErrorDetail[][]): ErrorDetail[] {
  const seen = new Set<string>();
  const out: ErrorDetail[] = [];
  for (const list of lists) {
    for (const d of list) {
      if (seen.has(d.property)) continue;
      seen.add(d.property);
      out.push(d);
    }
  }
  return out;
}
