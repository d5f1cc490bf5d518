import { RESERVATION_LIMITS } from '@madoguchi/contracts/reservations.ts';
import { useState } from 'react';
import { useCan } from '../../auth/AuthContext.tsx';
import { Alert } from '../../components/Alert.tsx';
import { Badge } from '../../components/Badge.tsx';
import { Button, LinkButton } from '../../components/Button.tsx';
import { Dialog } from '../../components/Dialog.tsx';
import { Table, Td, Th } from '../../components/Table.tsx';
import { TextArea } from '../../components/TextArea.tsx';
import { TextField } from '../../components/TextField.tsx';
import { translateEach, useT } from '../../i18n/i18n.tsx';
import { useFlash } from '../../lib/flash.ts';
import { formatNumber } from '../../lib/format.ts';
import { Link, navigate } from '../../lib/router.tsx';
import { useApi } from '../../lib/useApi.ts';
import { useSubmit } from '../../lib/useFormSubmit.ts';
import { ChannelListPage, useChannelScope } from '../channels/ChannelListPage.tsx';
import { type CalendarView, calendarsPath, reservationsApi } from './api.ts';
import { bookingsPagePath, CALENDAR_TONE, calendarStatusLabel, editorPath, slotsPagePath } from './labels.ts';
import { basicErrors } from './settingsForm.ts';

/** 予約 (#/reservations, V-01 … V-06): the channel's booking calendars by category, and a new one. */
export function CalendarsPage() {
  const t = useT();
  const can = useCan();
  const flash = useFlash();
  const scope = useChannelScope();
  const { channelId, ready } = scope;
  const calendars = useApi<CalendarView[]>(ready ? calendarsPath(channelId) : null);
  const [creating, setCreating] = useState(false);
  const canManage = can('reservations.manage');
  const canHandle = can('reservations.handle');

  const categories = [...new Set((calendars.data ?? []).map((c) => c.category))].sort((a, b) =>
    a.localeCompare(b, 'ja'),
  );

  return (
    <>
      <ChannelListPage
        scope={scope}
        title={t('reservations.title')}
        description={t('reservations.lead')}
        actions={
          canManage && (
            <Button variant="primary" onClick={() => setCreating(true)}>
              {t('reservations.add')}
            </Button>
          )
        }
        message={flash}
        list={calendars}
      >
        {calendars.data?.length === 0 && (
          <p className="text-std-16N-170 text-solid-gray-700">{t('reservations.empty')}</p>
        )}
        <div className="flex flex-col gap-8">
          {categories.map((category) => (
            <Table key={category} caption={t('reservations.categoryTable', { category })}>
              <thead>
                <tr>
                  <Th>{t('reservations.col.name')}</Th>
                  <Th>{t('reservations.col.status')}</Th>
                  <Th className="text-right">{t('reservations.col.templates')}</Th>
                  <Th>{t('common.actions')}</Th>
                </tr>
              </thead>
              <tbody>
                {calendars.data
                  ?.filter((c) => c.category === category)
                  .map((c) => (
                    <tr key={c.id}>
                      <Td className="font-bold">
                        {canManage ? (
                          <Link to={editorPath(c.id)} className="text-blue-1000 underline">
                            {c.name}
                          </Link>
                        ) : (
                          c.name
                        )}
                      </Td>
                      <Td>
                        <Badge tone={CALENDAR_TONE[c.status]}>{calendarStatusLabel(t, c.status)}</Badge>
                      </Td>
                      <Td className="text-right whitespace-nowrap">{formatNumber(c.templates.length)}</Td>
                      <Td>
                        <span className="flex flex-wrap gap-2">
                          {canManage && (
                            <LinkButton
                              to={editorPath(c.id)}
                              size="sm"
                              variant="secondary"
                              aria-label={t('reservations.editLabel', { name: c.name })}
                            >
                              {t('common.edit')}
                            </LinkButton>
                          )}
                          <LinkButton
                            to={slotsPagePath(c.id)}
                            size="sm"
                            variant="tertiary"
                            aria-label={t('reservations.slotsLabel', { name: c.name })}
                          >
                            {t('reservations.slots')}
                          </LinkButton>
                          {canHandle && (
                            <LinkButton
                              to={bookingsPagePath(c.id)}
                              size="sm"
                              variant="tertiary"
                              aria-label={t('reservations.bookingsLabel', { name: c.name })}
                            >
                              {t('reservations.bookings')}
                            </LinkButton>
                          )}
                        </span>
                      </Td>
                    </tr>
                  ))}
              </tbody>
            </Table>
          ))}
        </div>
      </ChannelListPage>
      <Dialog open={creating} title={t('reservations.create.title')} onClose={() => setCreating(false)}>
        {creating && <CreateForm channelId={channelId} onCancel={() => setCreating(false)} />}
      </Dialog>
    </>
  );
}

function CreateForm({ channelId, onCancel }: { channelId: string; onCancel: () => void }) {
  const t = useT();
  const [value, setValue] = useState({ category: '', name: '', description: '' });
  const set = (key: keyof typeof value) => (v: string) => setValue((s) => ({ ...s, [key]: v }));
  const { errors, formError, submitting, onSubmit } = useSubmit({
    validate: () => translateEach(t, basicErrors(value)),
    save: async () => {
      const view = await reservationsApi.create({
        channelId,
        category: value.category.trim(),
        name: value.name.trim(),
        description: value.description.trim(),
      });
      navigate(editorPath(view.id));
    },
  });

  return (
    <form noValidate onSubmit={(e) => void onSubmit(e)} className="flex flex-col gap-5">
      {formError && <Alert tone="error">{formError}</Alert>}
      <TextField
        label={t('reservations.field.category')}
        hint={t('reservations.field.categoryHint')}
        required
        value={value.category}
        onChange={set('category')}
        maxLength={50}
        error={errors.category}
      />
      <TextField
        label={t('reservations.field.name')}
        required
        value={value.name}
        onChange={set('name')}
        maxLength={RESERVATION_LIMITS.name}
        error={errors.name}
      />
      <TextArea
        label={t('reservations.field.description')}
        hint={t('reservations.field.descriptionHint')}
        value={value.description}
        onChange={set('description')}
        rows={4}
        maxLength={RESERVATION_LIMITS.description}
        error={errors.description}
      />
      <div className="flex flex-wrap gap-4">
        <Button type="submit" variant="primary" disabled={submitting}>
          {t('reservations.create.submit')}
        </Button>
        <Button variant="secondary" onClick={onCancel}>
          {t('common.cancel')}
        </Button>
      </div>
    </form>
  );
}
