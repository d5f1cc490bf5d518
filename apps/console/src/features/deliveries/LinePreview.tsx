import type { ReactNode } from 'react';
import { useT } from '../../i18n/i18n.tsx';
import type { ImagemapArea } from './api.ts';
import { type AreaAction, IMAGEMAP_WIDTH, layoutAreas } from './imagemap.ts';
import { type CardDraft, type ImagemapDraft, linkify, type MessageDraft } from './messages.ts';

/**
 * What the messages will look like in the LINE app (G-06): the chat background, the account icon,
 * speech bubbles, images, the imagemap with its tap areas and the card. Plain elements, no library.
 */
export function LinePreview({
  accountName,
  messages,
  time,
}: {
  accountName: string;
  messages: MessageDraft[];
  /** `HH:MM` shown under the last message. */
  time: string;
}) {
  const t = useT();
  const initial = Array.from(accountName.trim())[0] ?? 'L';
  return (
    <figure
      aria-label={t('preview.label')}
      className="overflow-hidden rounded-16 border border-solid-gray-420 shadow-1"
      data-testid="line-preview"
    >
      <div className="flex items-center gap-2 bg-[#273246] px-4 py-2.5 text-white">
        <span aria-hidden="true" className="text-std-16N-170">
          ‹
        </span>
        <span className="truncate text-std-16B-170">{accountName}</span>
      </div>
      <div className="flex min-h-80 flex-col gap-3 bg-[#8cabd9] px-3 py-4">
        {messages.length === 0 && (
          <p className="m-auto rounded-8 bg-white/70 px-3 py-2 text-dns-14N-130 text-solid-gray-800">
            {t('preview.empty')}
          </p>
        )}
        {messages.map((m, i) => (
          <div key={m.key} className="flex items-start gap-2">
            {i === 0 ? (
              <span
                aria-hidden="true"
                className="flex size-9 shrink-0 items-center justify-center rounded-full bg-[#06c755] text-dns-16B-130 text-white"
              >
                {initial}
              </span>
            ) : (
              <span aria-hidden="true" className="w-9 shrink-0" />
            )}
            <div className="flex min-w-0 items-end gap-1.5">
              <div className="min-w-0 max-w-[15rem]">
                <PreviewMessage draft={m} />
              </div>
              {i === messages.length - 1 && (
                <span className="shrink-0 text-[11px] leading-none text-solid-gray-900">{time}</span>
              )}
            </div>
          </div>
        ))}
      </div>
    </figure>
  );
}

function PreviewMessage({ draft }: { draft: MessageDraft }) {
  const t = useT();
  switch (draft.type) {
    case 'text':
      return (
        <p className="rounded-[18px] bg-white px-3 py-2 text-[14px] leading-snug break-words whitespace-pre-wrap text-black">
          {draft.text ? (
            linkify(draft.text).map((part, i) =>
              part.url ? (
                // The preview's links are not followed (the real link is rewritten to count clicks).
                // biome-ignore lint/suspicious/noArrayIndexKey: parts are positional.
                <span key={`${i}-${part.text}`} className="text-[#3a6fd8] underline">
                  {part.text}
                </span>
              ) : (
                // biome-ignore lint/suspicious/noArrayIndexKey: parts are positional.
                <span key={`${i}-${part.text}`}>{part.text}</span>
              ),
            )
          ) : (
            <span className="text-solid-gray-536">{t('preview.textPending')}</span>
          )}
        </p>
      );
    case 'image':
      return draft.media ? (
        <img
          src={draft.media.previewUrl}
          alt={t('preview.imageAlt')}
          className="max-h-60 rounded-12 bg-white object-cover"
        />
      ) : (
        <Placeholder>{t('preview.imagePending')}</Placeholder>
      );
    case 'imagemap':
      return <PreviewImagemap draft={draft} />;
    case 'card':
      return <PreviewCard card={draft} />;
  }
}

function Placeholder({ children }: { children: ReactNode }) {
  return (
    <div className="flex h-32 w-56 items-center justify-center rounded-12 bg-white/70 text-dns-14N-130 text-solid-gray-800">
      {children}
    </div>
  );
}

function areaLabel(t: ReturnType<typeof useT>, n: number, action: AreaAction | undefined): string {
  const what = !action?.value.trim()
    ? t('preview.areaUnset')
    : action.kind === 'uri'
      ? t('preview.areaUrl', { url: action.value.trim() })
      : t('preview.areaText', { text: action.value });
  return t('preview.area', { n, action: what });
}

/**
 * The imagemap image with its tap areas. Areas are outlined on hover and keyboard focus (each is a
 * focusable button that only describes its action); `numbered` also prints the area numbers (editor).
 */
export function ImagemapImage({
  draft,
  numbered = false,
  className = '',
}: {
  draft: ImagemapDraft;
  numbered?: boolean;
  className?: string;
}) {
  const t = useT();
  if (!draft.media) return <Placeholder>{t('preview.imagePending')}</Placeholder>;
  const areas: ImagemapArea[] = draft.customAreas ?? layoutAreas(draft.layout, draft.height);
  const pct = (v: number, of: number) => `${(100 * v) / of}%`;
  return (
    <div className={`relative overflow-hidden rounded-12 ${className}`}>
      <img
        src={draft.media.previewUrl}
        alt={draft.altText || t('preview.imageAlt')}
        className="block w-full"
      />
      {areas.map((a, i) => (
        <button
          // biome-ignore lint/suspicious/noArrayIndexKey: areas are positional.
          key={i}
          type="button"
          aria-label={areaLabel(t, i + 1, draft.areas[i])}
          title={areaLabel(t, i + 1, draft.areas[i])}
          className={`absolute flex items-center justify-center outline-offset-[-3px] hover:outline-3 hover:outline-[#06c755] hover:outline-solid focus-visible:outline-3 focus-visible:outline-[#06c755] ${
            numbered ? 'border border-dashed border-white/90' : ''
          }`}
          style={{
            left: pct(a.x, IMAGEMAP_WIDTH),
            top: pct(a.y, draft.height),
            width: pct(a.width, IMAGEMAP_WIDTH),
            height: pct(a.height, draft.height),
          }}
        >
          {numbered && (
            <span
              aria-hidden="true"
              className="flex size-8 items-center justify-center rounded-full bg-black/70 text-dns-16B-130 text-white"
            >
              {i + 1}
            </span>
          )}
        </button>
      ))}
    </div>
  );
}

function PreviewImagemap({ draft }: { draft: ImagemapDraft }) {
  return <ImagemapImage draft={draft} className="w-60" />;
}

function PreviewCard({ card }: { card: CardDraft }) {
  const t = useT();
  return (
    <div className="w-60 overflow-hidden rounded-[18px] bg-white text-black">
      {card.image && (
        <img
          src={card.image.previewUrl}
          alt={t('preview.imageAlt')}
          className="aspect-[20/13] w-full object-cover"
        />
      )}
      <div className="flex flex-col gap-2 px-4 py-3">
        <p className="text-[17px] leading-snug font-bold break-words">
          {card.title || <span className="text-solid-gray-536">{t('preview.cardTitlePending')}</span>}
        </p>
        {card.body && (
          <p className="text-[13px] leading-snug break-words whitespace-pre-wrap text-[#555555]">
            {card.body}
          </p>
        )}
      </div>
      {card.buttons.length > 0 && (
        <ul className="flex flex-col border-t border-solid-gray-200 px-2 py-1">
          {card.buttons.map((b, i) => (
            <li
              // biome-ignore lint/suspicious/noArrayIndexKey: buttons are positional.
              key={i}
              className="truncate px-2 py-2 text-center text-[14px] text-[#42659a]"
              title={b.uri}
            >
              {b.label || t('preview.buttonPending')}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
