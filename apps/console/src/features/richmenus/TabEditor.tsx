import { RICH_MENU_LIMITS } from '@madoguchi/contracts/richmenu-constants.ts';
import { useState } from 'react';
import { Button } from '../../components/Button.tsx';
import { ErrorText } from '../../components/Field.tsx';
import { RadioGroup } from '../../components/RadioGroup.tsx';
import { Select } from '../../components/Select.tsx';
import { TextField } from '../../components/TextField.tsx';
import { useT } from '../../i18n/i18n.tsx';
import { MediaUpload } from '../deliveries/MediaUpload.tsx';
import { AreaCanvas } from './AreaCanvas.tsx';
import { AreaForm } from './AreaForm.tsx';
import {
  charCount,
  type DraftArea,
  type DraftTab,
  messagesUnder,
  newKey,
  TEMPLATE_SIZES,
  type TemplateSize,
  withCells,
} from './draft.ts';
import { type Bounds, freeRect, scaleRect } from './geometry.ts';
import { describeAction } from './labels.ts';
import { TemplatePicker } from './TemplatePicker.tsx';
import { TemplateSketch } from './TemplateSketch.tsx';

const sizeOf = (size: { width: number; height: number }): TemplateSize =>
  size.height === TEMPLATE_SIZES.compact.height ? 'compact' : 'large';

/**
 * One tab of the group (M-01 … M-04): its name, chat bar text (live count), image (template or
 * upload) with the tap areas drawn on it, and the selected area's settings.
 */
export function TabEditor({
  tab,
  index,
  tabLabels,
  serverImage,
  errors,
  onChange,
}: {
  tab: DraftTab;
  index: number;
  tabLabels: string[];
  /** The server's image of the saved tab when the draft still matches it, else null (sketch). */
  serverImage: string | null;
  errors: Record<string, string>;
  /** `relayout`: lay the template's areas out again (layout or size changed). */
  onChange: (tab: DraftTab, relayout?: boolean) => void;
}) {
  const t = useT();
  const path = `tabs.${index}`;
  const [selected, setSelected] = useState<number | null>(tab.areas.length > 0 ? 0 : null);
  const area = selected !== null ? tab.areas[selected] : undefined;
  const chatBar = charCount(tab.chatBarText);
  const invalidAreas = new Set(
    tab.areas.flatMap((_, i) => (messagesUnder(errors, `${path}.areas.${i}`).length > 0 ? [i] : [])),
  );

  const setArea = (i: number, next: DraftArea) =>
    onChange({ ...tab, areas: tab.areas.map((a, j) => (j === i ? next : a)) });
  const setBounds = (i: number, b: Bounds) => setArea(i, { ...tab.areas[i]!, ...b });
  const addArea = (b: Bounds) => {
    const next: DraftArea = { ...b, key: newKey(), label: '', action: { type: 'uri', uri: 'https://' } };
    onChange({ ...tab, areas: [...tab.areas, next] });
    setSelected(tab.areas.length);
  };
  const removeArea = (i: number) => {
    onChange({ ...tab, areas: tab.areas.filter((_, j) => j !== i) });
    setSelected(null);
  };

  const background =
    tab.source === 'media' ? (
      tab.media ? (
        <img src={tab.media.previewUrl} alt={t('richMenus.uploadAlt')} className="block h-auto w-full" />
      ) : (
        <div style={{ aspectRatio: `${tab.size.width} / ${tab.size.height}` }} className="bg-solid-gray-50" />
      )
    ) : serverImage ? (
      <img src={serverImage} alt={t('richMenus.imageServer')} className="block h-auto w-full" />
    ) : (
      <TemplateSketch template={tab.template} size={tab.size} tabLabels={tabLabels} current={index} />
    );

  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-wrap gap-6">
        <TextField
          label={t('richMenus.tabLabel')}
          hint={t('richMenus.tabLabelHint')}
          required
          maxLength={RICH_MENU_LIMITS.tabLabelMax}
          value={tab.label}
          onChange={(label) => onChange({ ...tab, label })}
          error={errors[`${path}.label`]}
          inputClassName="w-64"
        />
        <div className="flex flex-col gap-1">
          <TextField
            label={t('richMenus.chatBarText')}
            hint={t('richMenus.chatBarHint')}
            required
            value={tab.chatBarText}
            onChange={(chatBarText) => onChange({ ...tab, chatBarText })}
            error={errors[`${path}.chatBarText`]}
            inputClassName="w-64"
          />
          <p
            aria-live="polite"
            data-testid="chat-bar-count"
            className={
              chatBar > RICH_MENU_LIMITS.chatBarTextMax
                ? 'text-dns-16B-130 text-error-1'
                : 'text-dns-16N-130 text-solid-gray-700'
            }
          >
            {t('richMenus.chatBarCount', { count: chatBar, max: RICH_MENU_LIMITS.chatBarTextMax })}
          </p>
        </div>
      </div>
      <RadioGroup
        legend={t('richMenus.source')}
        name={`source-${tab.key}`}
        value={tab.source}
        onChange={(source) => onChange({ ...tab, source: source as DraftTab['source'] }, true)}
        options={[
          { value: 'template', label: t('richMenus.source.template') },
          { value: 'media', label: t('richMenus.source.media') },
        ]}
      />
      {tab.source === 'template' ? (
        <>
          <Select
            label={t('richMenus.size')}
            value={sizeOf(tab.size)}
            onChange={(s) => onChange({ ...tab, size: { ...TEMPLATE_SIZES[s as TemplateSize] } }, true)}
            options={[
              { value: 'large', label: t('richMenus.size.large') },
              { value: 'compact', label: t('richMenus.size.compact') },
            ]}
            error={errors[`${path}.size`] ?? errors[`${path}.size.width`] ?? errors[`${path}.size.height`]}
            selectClassName="w-80"
          />
          <TemplatePicker
            name={`layout-${tab.key}`}
            template={tab.template}
            size={tab.size}
            tabLabels={tabLabels}
            current={index}
            errors={errors}
            path={`${path}.image`}
            onChange={(template, relayout) =>
              onChange(relayout ? { ...tab, template } : withCells(tab, template), relayout)
            }
          />
        </>
      ) : (
        <>
          <MediaUpload
            label={t('richMenus.upload')}
            hint={t('richMenus.uploadHint')}
            required
            previewAlt={t('richMenus.uploadAlt')}
            value={
              tab.media
                ? { id: tab.media.mediaId, url: tab.media.previewUrl, previewUrl: tab.media.previewUrl }
                : null
            }
            onChange={(media) => {
              // The tab takes the image's size; its areas keep their places on the image.
              const size =
                media.width && media.height ? { width: media.width, height: media.height } : tab.size;
              onChange({
                ...tab,
                media: { mediaId: media.id, previewUrl: media.url },
                size,
                areas: tab.areas.map((a) => ({ ...a, ...scaleRect(a, tab.size, size) })),
              });
            }}
            error={errors[`${path}.image`] ?? errors[`${path}.image.mediaId`]}
          />
          <p className="text-std-16N-170">{t('richMenus.sizeOfImage', tab.size)}</p>
          {(errors[`${path}.size`] || errors[`${path}.size.width`] || errors[`${path}.size.height`]) && (
            <ErrorText>
              {errors[`${path}.size`] ?? errors[`${path}.size.width`] ?? errors[`${path}.size.height`]}
            </ErrorText>
          )}
        </>
      )}

      <section aria-labelledby={`areas-${tab.key}`} className="flex flex-col gap-4">
        <h3 id={`areas-${tab.key}`} className="text-std-18B-160">
          {t('richMenus.areas')}
        </h3>
        <p className="text-std-16N-170 text-solid-gray-700">{t('richMenus.areasHint')}</p>
        {errors[`${path}.areas`] && <ErrorText>{errors[`${path}.areas`]}</ErrorText>}
        <div className="grid gap-6 xl:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
          <div className="flex flex-col gap-2">
            <p className="text-dns-14N-130 text-solid-gray-700">
              {tab.source === 'template' && !serverImage
                ? t('richMenus.imageSketch')
                : t('richMenus.imageServer')}
            </p>
            <AreaCanvas
              size={tab.size}
              background={background}
              areas={tab.areas}
              selected={selected}
              invalid={invalidAreas}
              onSelect={setSelected}
              onChange={setBounds}
              onDraw={addArea}
            />
          </div>
          <div className="flex flex-col gap-3">
            <ol aria-label={t('richMenus.areaList', { n: index + 1 })} className="flex flex-col gap-2">
              {tab.areas.length === 0 && <li className="text-std-16N-170">{t('richMenus.areaNone')}</li>}
              {tab.areas.map((a, i) => (
                <li key={a.key}>
                  <Button
                    variant={i === selected ? 'primary' : 'secondary'}
                    size="sm"
                    aria-pressed={i === selected}
                    className={`w-full justify-start text-left whitespace-normal ${invalidAreas.has(i) ? 'border-error-1' : ''}`}
                    onClick={() => setSelected(i)}
                  >
                    {t('richMenus.areaN', { n: i + 1 })}
                    {a.label ? `「${a.label}」` : ''}: {describeAction(t, a.action)}
                  </Button>
                </li>
              ))}
            </ol>
            <div>
              <Button variant="secondary" size="sm" onClick={() => addArea(freeRect(tab.areas, tab.size))}>
                {t('richMenus.areaAdd')}
              </Button>
            </div>
          </div>
        </div>
        {area && selected !== null && (
          <AreaForm
            key={area.key}
            path={`${path}.areas.${selected}`}
            index={selected}
            tabIndex={index}
            area={area}
            size={tab.size}
            tabLabels={tabLabels}
            errors={errors}
            onChange={(next) => setArea(selected, next)}
            onRemove={() => removeArea(selected)}
          />
        )}
      </section>
    </div>
  );
}
