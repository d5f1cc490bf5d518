import { IDENTITY_LEVELS, type ProcedureIdentityLevel } from '@madoguchi/contracts/applications.ts';
import { useState } from 'react';
import { Alert } from '../../components/Alert.tsx';
import { Badge } from '../../components/Badge.tsx';
import { Button, LinkButton } from '../../components/Button.tsx';
import { Dialog } from '../../components/Dialog.tsx';
import { RadioGroup } from '../../components/RadioGroup.tsx';
import { EmptyRow, Table, Td, Th } from '../../components/Table.tsx';
import { TextField } from '../../components/TextField.tsx';
import { useT } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/ja.ts';
import { formatNumber } from '../../lib/format.ts';
import { Link, navigate } from '../../lib/router.tsx';
import { useApi } from '../../lib/useApi.ts';
import { useSubmit } from '../../lib/useFormSubmit.ts';
import { applicationsApi, type ProcedureView, proceduresPath } from '../applications/api.ts';
import { procedurePagePath, yen } from '../applications/labels.ts';
import { ChannelListPage, useChannelScope } from '../channels/ChannelListPage.tsx';

export const identityKey = (l: ProcedureIdentityLevel) => `procedures.identity.${l}` as MessageKey;
export const isYen = (v: string) => /^\d{1,6}$/.test(v.trim());

/** 手続の設定 (#/procedures, A-03): the channel's procedures, and a new one. */
export function ProceduresPage() {
  const t = useT();
  const scope = useChannelScope();
  const { channelId, ready } = scope;
  const procedures = useApi<ProcedureView[]>(ready ? proceduresPath(channelId) : null);
  const [creating, setCreating] = useState(false);

  return (
    <>
      <ChannelListPage
        scope={scope}
        title={t('procedures.title')}
        description={t('procedures.lead')}
        actions={
          <Button variant="primary" onClick={() => setCreating(true)}>
            {t('procedures.add')}
          </Button>
        }
        list={procedures}
      >
        <Table caption={t('procedures.table')} hideCaption>
          <thead>
            <tr>
              <Th>{t('procedures.col.name')}</Th>
              <Th>{t('procedures.col.identity')}</Th>
              <Th className="text-right">{t('procedures.col.fee')}</Th>
              <Th>{t('procedures.col.state')}</Th>
              <Th className="text-right">{t('procedures.col.applications')}</Th>
              <Th>{t('common.actions')}</Th>
            </tr>
          </thead>
          <tbody>
            {procedures.data?.length === 0 && <EmptyRow colSpan={6}>{t('procedures.empty')}</EmptyRow>}
            {procedures.data?.map((p) => (
              <tr key={p.id}>
                <Td className="font-bold">
                  <Link to={procedurePagePath(p.id)} className="text-blue-1000 underline">
                    {p.nameJa}
                  </Link>
                </Td>
                <Td>{t(identityKey(p.identityLevel))}</Td>
                <Td className="text-right whitespace-nowrap">{yen(p.fee.unitFee)}</Td>
                <Td>
                  <Badge tone={p.active ? 'success' : 'neutral'}>
                    {t(p.active ? 'procedures.active' : 'procedures.inactive')}
                  </Badge>
                </Td>
                <Td className="text-right">{formatNumber(p.applications)}</Td>
                <Td>
                  <LinkButton
                    to={procedurePagePath(p.id)}
                    size="sm"
                    variant="secondary"
                    aria-label={t('procedures.editLabel', { name: p.nameJa })}
                  >
                    {t('common.edit')}
                  </LinkButton>
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      </ChannelListPage>
      <Dialog open={creating} title={t('procedures.create.title')} onClose={() => setCreating(false)}>
        {creating && <CreateForm channelId={channelId} onCancel={() => setCreating(false)} />}
      </Dialog>
    </>
  );
}

function CreateForm({ channelId, onCancel }: { channelId: string; onCancel: () => void }) {
  const t = useT();
  const [slug, setSlug] = useState('');
  const [nameJa, setNameJa] = useState('');
  const [identityLevel, setIdentityLevel] = useState<ProcedureIdentityLevel>('basic');
  const [unitFee, setUnitFee] = useState('300');
  const { errors, formError, submitting, onSubmit } = useSubmit({
    validate: () => ({
      ...(/^[a-z0-9][a-z0-9-]{0,39}$/.test(slug) ? {} : { slug: t('procedures.error.slug') }),
      ...(nameJa.trim() ? {} : { nameJa: t('procedures.error.name') }),
      ...(isYen(unitFee) ? {} : { 'fee.unitFee': t('procedures.error.yen') }),
    }),
    save: async () => {
      const view = await applicationsApi.createProcedure(channelId, {
        slug,
        nameJa: nameJa.trim(),
        nameEn: '',
        description: '',
        identityLevel,
        fee: { unitFee: Number(unitFee), copiesItemKey: null, deliveryItemKey: null, postage: [] },
        retentionDays: 365,
        active: false,
      });
      navigate(procedurePagePath(view.id));
    },
  });
  return (
    <form noValidate onSubmit={(e) => void onSubmit(e)} className="flex flex-col gap-5">
      {formError && <Alert tone="error">{formError}</Alert>}
      <TextField
        label={t('procedures.field.slug')}
        value={slug}
        onChange={setSlug}
        hint={t('procedures.field.slugHint')}
        error={errors.slug}
        required
        maxLength={40}
        autoComplete="off"
      />
      <TextField
        label={t('procedures.field.nameJa')}
        value={nameJa}
        onChange={setNameJa}
        error={errors.nameJa}
        required
        maxLength={80}
      />
      <RadioGroup
        legend={t('procedures.field.identity')}
        name="procedure-identity"
        value={identityLevel}
        onChange={(v) => setIdentityLevel(v as ProcedureIdentityLevel)}
        options={IDENTITY_LEVELS.map((value) => ({ value, label: t(identityKey(value)) }))}
      />
      <TextField
        label={t('procedures.field.unitFee')}
        value={unitFee}
        onChange={setUnitFee}
        error={errors['fee.unitFee']}
        inputMode="numeric"
        required
        className="w-48"
      />
      <div className="flex flex-wrap gap-4">
        <Button type="submit" variant="primary" disabled={submitting}>
          {t('procedures.create.submit')}
        </Button>
        <Button variant="secondary" onClick={onCancel}>
          {t('common.cancel')}
        </Button>
      </div>
    </form>
  );
}
