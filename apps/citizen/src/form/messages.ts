import { FORM_LIMITS } from '@madoguchi/contracts/forms.ts';
import type { TFunction } from '../i18n/i18n.tsx';
import type { Problem } from './checks.ts';
import type { FormItem } from './draft.ts';

// The texts of a form item that depend on its settings: the hint under its label and its errors.

function numberRange(t: TFunction, item: FormItem): string {
  const { minValue: min, maxValue: max, integer } = item.config;
  const kind = t(integer ? 'form.kind.integer' : 'form.kind.number');
  if (min !== undefined && max !== undefined) return t('form.numberBetween', { min, max, kind });
  if (min !== undefined) return t('form.numberAtLeast', { min, kind });
  if (max !== undefined) return t('form.numberAtMost', { max, kind });
  return t('form.numberHint', { kind });
}

/** The hint for an item's settings (range, length, characters, format), or null. */
export function hintText(
  t: TFunction,
  item: FormItem,
  options: { fillsAddress?: boolean } = {},
): string | null {
  const c = item.config;
  switch (item.type) {
    case 'birth_year':
      return t('form.yearHint');
    case 'multiple':
      if (c.minSelections !== undefined && c.maxSelections !== undefined)
        return t('form.rangeSelections', { min: c.minSelections, max: c.maxSelections });
      if (c.maxSelections !== undefined) return t('form.maxSelections', { max: c.maxSelections });
      if (c.minSelections !== undefined) return t('form.minSelections', { min: c.minSelections });
      return null;
    case 'number':
      return numberRange(t, item);
    case 'text':
    case 'textarea': {
      const parts = [
        c.charset ? t('form.charsetHint', { charset: t(`form.charset.${c.charset}`) }) : null,
        c.minLength !== undefined
          ? c.maxLength !== undefined
            ? t('form.lengthHint', { min: c.minLength, max: c.maxLength })
            : t('form.minLengthHint', { min: c.minLength })
          : null,
      ].filter(Boolean);
      return parts.length > 0 ? parts.join(' ') : null;
    }
    case 'postal_code':
      return t(options.fillsAddress ? 'form.postalFillsHint' : 'form.postalHint');
    case 'phone':
      return t('form.phoneHint');
    case 'email':
      return t('form.emailHint');
    case 'file':
      return t('form.fileHint', {
        kinds: t(`form.fileKinds.${c.accept ?? 'image'}`),
        max: c.maxFiles ?? 1,
        mb: FORM_LIMITS.fileBytes / 1024 / 1024,
      });
    default:
      return null;
  }
}

/** The error text for a problem found before sending. */
export function problemText(t: TFunction, item: FormItem, p: Problem): string {
  switch (p.kind) {
    case 'required':
      return t('form.err.required', { label: item.label });
    case 'year':
      return t('form.err.year', { min: p.min, max: p.max });
    case 'town':
      return t('form.err.town');
    case 'tooMany':
      return t('form.err.tooMany', { max: p.max });
    case 'tooManyFiles':
      return t('form.err.tooManyFiles', { max: p.max });
    case 'tooFew':
      return t('form.err.tooFew', { min: p.min });
    case 'tooLong':
      return t('form.err.tooLong', { max: p.max });
    case 'tooShort':
      return t('form.err.tooShort', { min: p.min });
    case 'charset':
      return t('form.err.charset', { charset: t(`form.charset.${p.charset}`) });
    case 'number':
      return t('form.err.number');
    case 'integer':
      return t('form.err.integer');
    case 'range':
      return numberRange(t, item);
    case 'date':
      return t('form.err.date');
    case 'postalCode':
      return t('form.err.postalCode');
    case 'phone':
      return t('form.err.phone');
    case 'email':
      return t('form.err.email');
  }
}
