import { useCan } from '../../auth/AuthContext.tsx';
import { Alert } from '../../components/Alert.tsx';
import { Badge } from '../../components/Badge.tsx';
import { Button, LinkButton } from '../../components/Button.tsx';
import { CopyButton } from '../../components/CopyButton.tsx';
import { LoadError, Loading } from '../../components/LoadState.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { Section } from '../../components/Section.tsx';
import { useT } from '../../i18n/i18n.tsx';
import { useApi } from '../../lib/useApi.ts';
import { AddItemForm } from '../forms/AddItemForm.tsx';
import { FormPreview } from '../forms/FormPreview.tsx';
import { ItemCard } from '../forms/ItemCard.tsx';
import { type OwnerSave, useFormOwnerEditor } from '../forms/useFormOwnerEditor.ts';
import { type CalendarView, calendarPath, reservationsApi } from './api.ts';
import { CalendarSettingsSection } from './CalendarSettingsSection.tsx';
import {
  bookingsPagePath,
  CALENDAR_TONE,
  calendarStatusLabel,
  calendarsListPath,
  slotsPagePath,
} from './labels.ts';

/** A save of the calendar's settings form: runs it and shows the answered view; a failure is thrown on. */
export type CalendarSave = OwnerSave<CalendarView>;

/**
 * 予約カレンダーの編集 (#/reservations/:id, V-01 … V-06): state (受付開始 / 終了), the LIFF link, the
 * settings (slots, holidays, dates, cutoffs, limits, reminder) and the booking form's items (the form
 * designer of features/forms with purpose 'booking').
 */
export function CalendarEditorPage({ id }: { id: string }) {
  const t = useT();
  const can = useCan();
  const calendar = useApi<CalendarView>(calendarPath(id));
  const { status, error, act, save, runItems } = useFormOwnerEditor(calendar);
  const view = calendar.data;

  if (calendar.error !== null)
    return (
      <>
        <PageHeader title={t('reservations.editor.title')} />
        <LoadError error={calendar.error} onRetry={() => void calendar.reload()} />
      </>
    );
  if (!view)
    return (
      <>
        <PageHeader title={t('reservations.editor.title')} />
        <Loading />
      </>
    );

  return (
    <>
      <PageHeader
        title={view.name}
        description={view.category}
        actions={
          <div className="flex flex-wrap gap-3">
            <LinkButton to={slotsPagePath(view.id)} variant="secondary">
              {t('reservations.slots')}
            </LinkButton>
            {can('reservations.handle') && (
              <LinkButton to={bookingsPagePath(view.id)} variant="secondary">
                {t('reservations.bookings')}
              </LinkButton>
            )}
            <LinkButton to={calendarsListPath} variant="tertiary">
              {t('common.backToList')}
            </LinkButton>
          </div>
        }
      />
      <div className="flex flex-col gap-6">
        {/* One live region that is always there, so every result is announced. */}
        <p
          role="status"
          aria-live="polite"
          className="rounded-8 border-2 border-success-1 bg-green-50 px-4 py-2 text-std-16N-170 empty:hidden"
        >
          {error ? '' : status}
        </p>
        {error && <Alert tone="error">{error}</Alert>}

        <Section title={t('reservations.editor.stateSection')}>
          <div className="flex flex-col gap-4">
            <p>
              <Badge tone={CALENDAR_TONE[view.status]}>{calendarStatusLabel(t, view.status)}</Badge>
            </p>
            <p className="text-std-16N-170 text-solid-gray-700">{t('reservations.editor.stateHint')}</p>
            <div className="flex flex-wrap gap-3">
              {view.status !== 'open' && (
                <Button
                  onClick={() =>
                    void act(() => reservationsApi.open(view.id), t('reservations.editor.opened'))
                  }
                >
                  {t('reservations.editor.open')}
                </Button>
              )}
              {view.status === 'open' && (
                <Button
                  variant="secondary"
                  onClick={() =>
                    void act(() => reservationsApi.close(view.id), t('reservations.editor.closed'))
                  }
                >
                  {t('reservations.editor.close')}
                </Button>
              )}
            </div>
          </div>
        </Section>

        <Section title={t('reservations.editor.linkSection')} description={t('reservations.editor.linkLead')}>
          {view.link ? (
            <CopyButton text={view.link} label={t('reservations.editor.linkCopy')}>
              <code className="rounded-4 bg-solid-gray-50 px-2 py-1 text-dns-14N-130 break-all">
                {view.link}
              </code>
            </CopyButton>
          ) : (
            <Alert tone="warning">{t('reservations.editor.noLiff')}</Alert>
          )}
        </Section>

        <CalendarSettingsSection key={view.updatedAt} view={view} save={save} />

        <Section
          title={t('forms.itemsSection', { count: view.form.items.length })}
          description={t('reservations.editor.itemsLead')}
        >
          {view.form.items.length === 0 ? (
            <p className="text-std-16N-170 text-solid-gray-700">{t('forms.noItems')}</p>
          ) : (
            <ol aria-label={t('reservations.editor.itemList')} className="flex flex-col gap-3">
              {view.form.items.map((item, index) => (
                <ItemCard
                  key={item.id}
                  form={view.form}
                  item={item}
                  index={index}
                  run={runItems}
                  purpose="booking"
                />
              ))}
            </ol>
          )}
        </Section>
        <Section title={t('forms.addSection')}>
          <AddItemForm formId={view.form.id} run={runItems} purpose="booking" />
        </Section>
        <Section
          title={t('reservations.editor.previewSection')}
          description={t('reservations.editor.previewLead')}
        >
          <FormPreview items={view.form.items} />
        </Section>
      </div>
    </>
  );
}
