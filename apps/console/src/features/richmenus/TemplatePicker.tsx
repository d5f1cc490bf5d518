import {
  CITY_COLORS,
  RICH_MENU_LIMITS,
  TEMPLATE_ICONS,
  TEMPLATE_LAYOUTS,
  type TemplateIcon,
  type TemplateLayout,
} from '@madoguchi/contracts/richmenu-constants.ts';
import { Button } from '../../components/Button.tsx';
import { ErrorText, FieldFrame } from '../../components/Field.tsx';
import { RadioGroup } from '../../components/RadioGroup.tsx';
import { Select } from '../../components/Select.tsx';
import { TextField } from '../../components/TextField.tsx';
import { useT } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/ja.ts';
import { type DraftTemplate, defaultCells } from './draft.ts';
import type { Size } from './geometry.ts';
import { TemplateSketch } from './TemplateSketch.tsx';

const COLOR_KEYS = ['background', 'cell', 'text', 'accent'] as const;

/** A template tab (M-02): layout (with previews), the city's colours, a label and an icon per cell. */
export function TemplatePicker({
  name,
  template,
  size,
  tabLabels,
  current,
  errors,
  path,
  onChange,
}: {
  /** Unique name of the layout radio group. */
  name: string;
  template: DraftTemplate;
  size: Size;
  tabLabels: string[];
  current: number;
  errors: Record<string, string>;
  /** `tabs.<n>.image` */
  path: string;
  onChange: (template: DraftTemplate, relayout: boolean) => void;
}) {
  const t = useT();
  return (
    <div className="flex flex-col gap-5">
      <RadioGroup
        legend={t('richMenus.layout')}
        hint={t('richMenus.layoutHint')}
        name={name}
        value={template.layout}
        onChange={(layout) =>
          onChange(
            {
              ...template,
              layout: layout as TemplateLayout,
              cells: defaultCells(layout as TemplateLayout, template.cells),
            },
            true,
          )
        }
        options={TEMPLATE_LAYOUTS.map((layout) => ({
          value: layout,
          label: (
            <span className="flex items-center gap-2">
              <span className="w-28">
                <TemplateSketch
                  template={{ ...template, layout, cells: defaultCells(layout, template.cells) }}
                  size={size}
                  tabLabels={tabLabels}
                  current={current}
                  className="rounded-4 border border-solid-gray-420"
                />
              </span>
              {t(`richMenus.layout.${layout}` as MessageKey)}
            </span>
          ),
        }))}
      />
      <fieldset className="flex flex-col gap-3">
        <legend className="mb-1.5 text-std-16B-170">{t('richMenus.colors')}</legend>
        <div className="flex flex-wrap items-end gap-4">
          {COLOR_KEYS.map((key) => (
            <FieldFrame
              key={key}
              label={t(`richMenus.color.${key}` as MessageKey)}
              error={errors[`${path}.colors.${key}`]}
            >
              {(control) => (
                <input
                  {...control}
                  type="color"
                  value={template.colors[key]}
                  onChange={(e) =>
                    onChange(
                      { ...template, colors: { ...template.colors, [key]: e.target.value.toUpperCase() } },
                      false,
                    )
                  }
                  className="h-12 w-20 cursor-pointer rounded-8 border border-solid-gray-600 bg-white p-1"
                />
              )}
            </FieldFrame>
          ))}
          <Button
            variant="tertiary"
            size="sm"
            onClick={() => onChange({ ...template, colors: { ...CITY_COLORS } }, false)}
          >
            {t('richMenus.colorsReset')}
          </Button>
        </div>
      </fieldset>
      <fieldset className="flex flex-col gap-3">
        <legend className="mb-1.5 text-std-16B-170">{t('richMenus.cells')}</legend>
        {errors[`${path}.cells`] && <ErrorText>{errors[`${path}.cells`]}</ErrorText>}
        <div className="grid gap-4 md:grid-cols-2">
          {template.cells.map((cell, i) => (
            <div
              // biome-ignore lint/suspicious/noArrayIndexKey: cells are positional (reading order of the layout).
              key={i}
              className="flex flex-wrap items-end gap-3 rounded-8 border border-solid-gray-420 p-3"
            >
              <TextField
                label={t('richMenus.cellLabel', { n: i + 1 })}
                required
                maxLength={RICH_MENU_LIMITS.cellLabelMax}
                value={cell.label}
                onChange={(label) =>
                  onChange(
                    { ...template, cells: template.cells.map((c, j) => (j === i ? { ...c, label } : c)) },
                    false,
                  )
                }
                error={errors[`${path}.cells.${i}.label`]}
                inputClassName="w-48"
              />
              <Select
                label={t('richMenus.cellIcon', { n: i + 1 })}
                value={cell.icon}
                onChange={(icon) =>
                  onChange(
                    {
                      ...template,
                      cells: template.cells.map((c, j) =>
                        j === i ? { ...c, icon: icon as TemplateIcon } : c,
                      ),
                    },
                    false,
                  )
                }
                options={TEMPLATE_ICONS.map((icon) => ({
                  value: icon,
                  label: t(`richMenus.icon.${icon}` as MessageKey),
                }))}
                selectClassName="w-40"
              />
            </div>
          ))}
        </div>
      </fieldset>
    </div>
  );
}
