import type { JsonObject } from './model.ts';
import type { ErrorDetail, OpenApiValidator } from './openapi-validator.ts';

// LINE's rules for rich menu objects beyond the OpenAPI schema: required properties, size range and
// aspect ratio, at most 20 areas inside the image, and the properties each action type needs.

const ACTION_REQUIRED: Record<string, string[]> = {
  postback: ['data'],
  message: ['text'],
  uri: ['uri'],
  richmenuswitch: ['richMenuAliasId', 'data'],
  datetimepicker: ['data', 'mode'],
  clipboard: ['clipboardText'],
};

const ACTION_MAX: Record<string, Record<string, number>> = {
  postback: { displayText: 300, label: 20 },
  message: { text: 300, label: 20 },
  uri: { uri: 1000, label: 20 },
  richmenuswitch: { label: 20 },
  datetimepicker: { label: 20 },
};

export function validateRichMenu(validator: OpenApiValidator, body: unknown): ErrorDetail[] {
  const details = validator.validate('POST', '/v2/bot/richmenu', body);
  if (typeof body !== 'object' || body === null) return details;
  const menu = body as JsonObject;
  const seen = new Set(details.map((d) => d.property));
  const add = (property: string, message: string) => {
    if (!seen.has(property)) {
      seen.add(property);
      details.push({ message, property });
    }
  };
  for (const prop of ['size', 'selected', 'name', 'chatBarText', 'areas']) {
    if (menu[prop] === undefined) add(prop, 'must be specified');
  }
  const size = menu.size as { width?: unknown; height?: unknown } | undefined;
  const width = typeof size?.width === 'number' ? size.width : undefined;
  const height = typeof size?.height === 'number' ? size.height : undefined;
  if (width !== undefined && (width < 800 || width > 2500)) add('size.width', 'Must be between 800 and 2500');
  if (height !== undefined && height < 250) add('size.height', 'Must be 250 or more');
  if (width !== undefined && height !== undefined && height > 0 && width / height < 1.45) {
    add('size', 'The aspect ratio (width / height) must be 1.45 or more');
  }
  if (Array.isArray(menu.areas)) {
    if (menu.areas.length > 20) add('areas', 'Size must be between 0 and 20');
    menu.areas.forEach((area: unknown, i) => {
      const a = (area ?? {}) as JsonObject;
      const at = `areas[${i}]`;
      if (a.bounds === undefined) add(`${at}.bounds`, 'must be specified');
      if (a.action === undefined) add(`${at}.action`, 'must be specified');
      const b = a.bounds as { x?: number; y?: number; width?: number; height?: number } | undefined;
      if (b && width !== undefined && height !== undefined) {
        if ((b.x ?? 0) + (b.width ?? 0) > width || (b.y ?? 0) + (b.height ?? 0) > height) {
          add(`${at}.bounds`, 'The area must be inside the rich menu');
        }
      }
      const action = a.action as JsonObject | undefined;
      if (action && typeof action.type === 'string') {
        for (const prop of ACTION_REQUIRED[action.type] ?? []) {
          if (action[prop] === undefined) add(`${at}.action.${prop}`, 'must be specified');
        }
        for (const [prop, max] of Object.entries(ACTION_MAX[action.type] ?? {})) {
          const v = action[prop];
          if (typeof v === 'string' && v.length > max)
            add(`${at}.action.${prop}`, `Length must be between 0 and ${max}`);
        }
      }
    });
  }
  return details;
}
