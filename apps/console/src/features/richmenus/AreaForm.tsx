import { LIFF_PAGE_LABELS, LIFF_PAGES, type LiffPage } from '@madoguchi/contracts/richmenu-constants.ts';
import type { RichMenuAction } from '@madoguchi/contracts/richmenus.ts';
import { useId } from 'react';
import { Button } from '../../components/Button.tsx';
import { describedBy, ErrorText } from '../../components/Field.tsx';
import { Select } from '../../components/Select.tsx';
import { TextField } from '../../components/TextField.tsx';
import { useT } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/ja.ts';
import { DeskSelect } from './DeskSelect.tsx';
import { AREA_LABEL_MAX, type DraftArea, messagesUnder } from './draft.ts';
import { clampRect, type Size } from './geometry.ts';

const ACTION_TYPES = ['uri', 'liff', 'message', 'postback', 'switchTab', 'scenario'] as const;
type ActionType = (typeof ACTION_TYPES)[number];

function defaultAction(type: ActionType, tabIndex: number): RichMenuAction {
  switch (type) {
    case 'uri':
      return { type, uri: 'https://' };
    case 'liff':
      return { type, page: 'register' };
    case 'message':
      return { type, text: '' };
    case 'postback':
      return { type, data: '' };
    case 'switchTab':
      return { type, tab: tabIndex === 0 ? 1 : 0 };
    case 'scenario':
      return { type, scenarioId: '' };
  }
}

/**
 * One tap area's settings (M-04, M-05): its name, position and size as numbers (the keyboard way to
 * do what the canvas does), and its action. `errors` are keyed by field path (`tabs.0.areas.1…`).
 */
export function AreaForm({
  path,
  index,
  tabIndex,
  area,
  size,
  tabLabels,
  errors,
  onChange,
  onRemove,
}: {
  path: string;
  index: number;
  tabIndex: number;
  area: DraftArea;
  size: Size;
  tabLabels: string[];
  errors: Record<string, string>;
  onChange: (area: DraftArea) => void;
  onRemove: () => void;
}) {
  const t = useT();
  const id = useId();
  const geometryError = errors[path];
  const geometryErrorId = `${id}-geometry-error`;
  const actionErrors = messagesUnder(errors, `${path}.action`);
  const actionError = actionErrors[0];
  const a = area.action;

  const setBounds = (key: 'x' | 'y' | 'width' | 'height', text: string) => {
    const n = Number.parseInt(text, 10);
    onChange({ ...area, ...clampRect({ ...area, [key]: Number.isNaN(n) ? 0 : n }, size) });
  };
  const setAction = (action: RichMenuAction) => onChange({ ...area, action });

  return (
    <fieldset className="flex flex-col gap-4 rounded-8 border border-solid-gray-420 p-4">
      <legend className="px-1 text-std-17B-170">{t('richMenus.areaEditing', { n: index + 1 })}</legend>
      <TextField
        label={t('richMenus.areaLabel')}
        value={area.label}
        maxLength={AREA_LABEL_MAX}
        onChange={(label) => onChange({ ...area, label })}
        inputClassName="max-w-80"
      />
      <div className="flex flex-wrap gap-4">
        {(
          [
            ['x', 'richMenus.areaX'],
            ['y', 'richMenus.areaY'],
            ['width', 'richMenus.areaWidth'],
            ['height', 'richMenus.areaHeight'],
          ] as const
        ).map(([key, label]) => (
          <TextField
            key={key}
            label={t(label as MessageKey)}
            type="number"
            inputMode="numeric"
            min={key === 'width' || key === 'height' ? 1 : 0}
            max={key === 'x' || key === 'width' ? size.width : size.height}
            value={String(area[key])}
            onChange={(v) => setBounds(key, v)}
            aria-invalid={geometryError ? true : undefined}
            aria-describedby={describedBy(geometryError && geometryErrorId)}
            inputClassName="w-32"
          />
        ))}
      </div>
      {geometryError && <ErrorText id={geometryErrorId}>{geometryError}</ErrorText>}
      <Select
        label={t('richMenus.action')}
        value={a.type}
        onChange={(type) => setAction(defaultAction(type as ActionType, tabIndex))}
        options={ACTION_TYPES.map((type) => ({
          value: type,
          label: t(`richMenus.action.${type}` as MessageKey),
        }))}
        selectClassName="w-96 max-w-full"
      />
      {a.type === 'uri' && (
        <TextField
          label={t('richMenus.uri')}
          hint={t('richMenus.uriHint')}
          required
          type="url"
          maxLength={900}
          value={a.uri}
          onChange={(uri) => setAction({ ...a, uri })}
          error={actionError}
        />
      )}
      {a.type === 'liff' && (
        <>
          <Select
            label={t('richMenus.page')}
            required
            value={a.page}
            onChange={(page) => setAction({ type: 'liff', page: page as LiffPage })}
            options={LIFF_PAGES.map((p) => ({ value: p, label: LIFF_PAGE_LABELS[p] }))}
            error={actionError}
            selectClassName="w-80 max-w-full"
          />
          {a.page === 'consult' && (
            <DeskSelect
              value={a.desk ?? ''}
              onChange={(desk) => setAction(desk ? { ...a, desk } : { type: 'liff', page: 'consult' })}
              error={errors[`${path}.action.desk`]}
            />
          )}
        </>
      )}
      {a.type === 'message' && (
        <TextField
          label={t('richMenus.messageText')}
          hint={t('richMenus.messageHint')}
          required
          maxLength={300}
          value={a.text}
          onChange={(text) => setAction({ ...a, text })}
          error={actionError}
        />
      )}
      {a.type === 'postback' && (
        <>
          <TextField
            label={t('richMenus.postbackData')}
            hint={t('richMenus.postbackHint')}
            required
            maxLength={250}
            value={a.data}
            onChange={(data) => setAction({ ...a, data })}
            error={actionError}
          />
          <TextField
            label={t('richMenus.displayText')}
            maxLength={300}
            value={a.displayText ?? ''}
            onChange={(displayText) => {
              const { displayText: _drop, ...rest } = a;
              setAction(displayText ? { ...rest, displayText } : rest);
            }}
          />
        </>
      )}
      {a.type === 'switchTab' && (
        <Select
          label={t('richMenus.switchTo')}
          required
          value={String(a.tab)}
          onChange={(tab) => setAction({ ...a, tab: Number(tab) })}
          options={tabLabels.map((label, i) => ({
            value: String(i),
            label: `${t('richMenus.tabN', { n: i + 1 })}「${label}」`,
          }))}
          error={actionError}
          selectClassName="w-80 max-w-full"
        />
      )}
      {a.type === 'scenario' && (
        <TextField
          label={t('richMenus.scenarioId')}
          hint={t('richMenus.scenarioHint')}
          required
          maxLength={64}
          value={a.scenarioId}
          onChange={(scenarioId) => setAction({ ...a, scenarioId })}
          error={actionError}
          inputClassName="max-w-96"
        />
      )}
      <div>
        <Button variant="tertiary" size="sm" onClick={onRemove}>
          {t('richMenus.areaRemove', { n: index + 1 })}
        </Button>
      </div>
    </fieldset>
  );
}
