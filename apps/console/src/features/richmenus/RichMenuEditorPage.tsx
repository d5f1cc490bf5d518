import { RICH_MENU_LIMITS, TAB_GROUP_KINDS } from '@madoguchi/contracts/richmenu-constants.ts';
import { useEffect, useState } from 'react';
import type { Channel } from '../../api/types.ts';
import { Alert } from '../../components/Alert.tsx';
import { FormPage } from '../../components/FormPage.tsx';
import { RadioGroup } from '../../components/RadioGroup.tsx';
import { Section } from '../../components/Section.tsx';
import { TextField } from '../../components/TextField.tsx';
import { useT } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/ja.ts';
import { useApi } from '../../lib/useApi.ts';
import { useFormSubmit } from '../../lib/useFormSubmit.ts';
import { ChannelSelect } from '../channels/ChannelSelect.tsx';
import { useSelectedChannel } from '../channels/useSelectedChannel.ts';
import { createTabGroup, richMenuPath, type TabGroupView, tabImageUrl, updateTabGroup } from './api.ts';
import {
  byPath,
  type Draft,
  type DraftTab,
  draftIssues,
  fromView,
  moveTab,
  newDraft,
  newTab,
  relayout,
  removeTab,
  serverFieldErrors,
  toInput,
  totalAreas,
} from './draft.ts';
import { livePublications } from './labels.ts';
import { RulesSummary } from './RulesSummary.tsx';
import { TabEditor } from './TabEditor.tsx';
import { TabList } from './TabList.tsx';

/** A saved tab's image as the server draws it, while the draft still looks like what was saved. */
function savedImage(view: TabGroupView | undefined, draft: Draft, index: number): string | null {
  const tab = draft.tabs[index];
  const saved = view?.tabs.find((s) => s.id === tab?.id);
  if (!view || !tab || !saved || tab.source !== 'template' || saved.image.kind !== 'template') return null;
  const same =
    JSON.stringify({ ...tab.template, size: tab.size }) ===
      JSON.stringify({
        layout: saved.image.layout,
        colors: saved.image.colors,
        cells: saved.image.cells,
        size: saved.size,
      }) &&
    draft.tabs.length === view.tabs.length &&
    draft.tabs.every((t, i) => t.label === view.tabs[i]?.label);
  return same ? tabImageUrl(view.id, saved.id, view.updatedAt) : null;
}

/** Create (no id) or edit a tab group (M-01 … M-04): name, kind, 1–3 tabs, their images and areas. */
export function RichMenuEditorPage({ id }: { id?: string }) {
  const t = useT();
  const editing = id !== undefined;
  const original = useApi<TabGroupView>(editing ? richMenuPath(id) : null);
  const channels = useApi<Channel[]>('/api/channels');
  const [selectedChannel, setSelectedChannel] = useSelectedChannel(channels.data);
  const [draft, setDraft] = useState<Draft>(newDraft);
  const [current, setCurrent] = useState(0);

  useEffect(() => {
    if (original.data) setDraft(fromView(original.data));
  }, [original.data]);

  const channelId = editing ? (original.data?.channelId ?? '') : selectedChannel;
  const channelName = channels.data?.find((c) => c.id === channelId)?.name;
  const locked = editing && original.data ? livePublications(original.data.publications).length > 0 : false;

  const rules = draftIssues(draft);
  const submit = useFormSubmit({
    validate: () => byPath(rules),
    blockedBy: () => (locked ? t('richMenus.publishedLocked') : null),
    backTo: '/richmenus',
    serverFieldErrors: serverFieldErrors,
    save: async () => {
      const input = toInput(draft);
      if (editing) {
        await updateTabGroup(id, input);
        return t('richMenus.updated');
      }
      await createTabGroup({ channelId, ...input });
      return t('richMenus.created');
    },
  });
  // LINE's rules are shown while editing; required fields and the server's answers after a save.
  const liveRules = byPath(rules.filter((i) => i.code.startsWith('RICHMENU_')));
  const errors = { ...liveRules, ...submit.errors };

  const setTabs = (tabs: DraftTab[]) => setDraft((d) => ({ ...d, tabs }));
  const tabLabels = draft.tabs.map((tab) => tab.label);
  const invalidTabs = new Set(
    draft.tabs.flatMap((_, i) => (Object.keys(errors).some((k) => k.startsWith(`tabs.${i}.`)) ? [i] : [])),
  );
  const tab = draft.tabs[Math.min(current, draft.tabs.length - 1)]!;
  const tabIndex = draft.tabs.indexOf(tab);

  return (
    <FormPage
      title={editing ? t('richMenus.editTitle') : t('richMenus.newTitle')}
      description={original.data?.name}
      load={{
        error: editing ? original.error : channels.error,
        onRetry: () => void (editing ? original.reload() : channels.reload()),
        loading: (editing && !original.data) || (!editing && !channels.data),
      }}
      submit={submit}
      className="max-w-6xl gap-6"
    >
      {locked && <Alert tone="warning">{t('richMenus.publishedLocked')}</Alert>}
      <div className="flex flex-wrap items-end gap-6">
        <TextField
          label={t('richMenus.name')}
          hint={t('richMenus.nameHint')}
          required
          maxLength={100}
          value={draft.name}
          onChange={(name) => setDraft((d) => ({ ...d, name }))}
          error={errors.name}
          className="w-full max-w-xl"
        />
        {!editing && channels.data && channels.data.length > 0 && (
          <ChannelSelect
            widthClassName="w-80"
            channels={channels.data}
            value={selectedChannel}
            onChange={setSelectedChannel}
          />
        )}
        {editing && channelName && <p className="text-std-16N-170 text-solid-gray-700">{channelName}</p>}
      </div>
      <RadioGroup
        legend={t('richMenus.kind')}
        hint={t('richMenus.kindHint')}
        name="richmenu-kind"
        value={draft.kind}
        onChange={(kind) => setDraft((d) => ({ ...d, kind: kind as Draft['kind'] }))}
        options={TAB_GROUP_KINDS.map((k) => ({ value: k, label: t(`richMenus.kind.${k}` as MessageKey) }))}
      />
      <RulesSummary
        issues={rules.filter((i) => i.code.startsWith('RICHMENU_'))}
        total={totalAreas(draft)}
        max={RICH_MENU_LIMITS.maxAreasPerGroup}
      />
      <Section title={t('richMenus.tabs')} description={t('richMenus.tabsHint')}>
        <TabList
          tabs={draft.tabs}
          current={tabIndex}
          invalid={invalidTabs}
          onSelect={setCurrent}
          onMove={(from, to) => {
            setTabs(moveTab(draft.tabs, from, to));
            if (from === tabIndex) setCurrent(to);
          }}
          onRemove={(i) => {
            setTabs(removeTab(draft.tabs, i));
            setCurrent((c) => Math.max(0, c > i ? c - 1 : Math.min(c, draft.tabs.length - 2)));
          }}
          onAdd={() => {
            setTabs(relayout([...draft.tabs, newTab(draft.tabs.length, draft.tabs.length + 1)]));
            setCurrent(draft.tabs.length);
          }}
        />
      </Section>
      <Section title={t('richMenus.tabEditing', { n: tabIndex + 1, label: tab.label })}>
        <TabEditor
          key={tab.key}
          tab={tab}
          index={tabIndex}
          tabLabels={tabLabels}
          serverImage={savedImage(original.data, draft, tabIndex)}
          errors={errors}
          onChange={(next, again) => {
            const tabs = draft.tabs.map((x, i) => (i === tabIndex ? next : x));
            // The tab bar's areas are named after the tabs: a renamed tab lays them out again too.
            setTabs(again || next.label !== tab.label ? relayout(tabs) : tabs);
          }}
        />
      </Section>
    </FormPage>
  );
}
