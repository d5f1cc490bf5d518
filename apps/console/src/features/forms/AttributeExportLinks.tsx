import { query } from '../../api/client.ts';
import { buttonClass } from '../../components/Button.tsx';
import { useT } from '../../i18n/i18n.tsx';

/** D-08: the friends' registered attributes of a channel as CSV or Excel (friends.export). */
export function AttributeExportLinks({ channelId }: { channelId: string }) {
  const t = useT();
  const q = query({ channelId });
  return (
    <div className="flex flex-col items-end gap-1">
      <div className="flex flex-wrap gap-3">
        <a
          href={`/api/friends/attributes.csv${q}`}
          download
          className={buttonClass('secondary')}
          aria-describedby="attribute-export-hint"
        >
          {t('friends.exportCsv')}
        </a>
        <a
          href={`/api/friends/attributes.xlsx${q}`}
          download
          className={buttonClass('secondary')}
          aria-describedby="attribute-export-hint"
        >
          {t('friends.exportXlsx')}
        </a>
      </div>
      <p id="attribute-export-hint" className="max-w-xl text-right text-dns-14N-130 text-solid-gray-700">
        {t('friends.exportHint')}
      </p>
    </div>
  );
}
