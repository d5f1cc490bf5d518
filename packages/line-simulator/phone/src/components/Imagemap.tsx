import { usePhone } from '../phone-context.ts';
import type { Action, ImagemapAction, LineMessage } from '../types.ts';

/** The image of an imagemap at a given width: LINE appends /{width} to baseUrl. */
export function imagemapSrc(baseUrl: string, width = 1040): string {
  const q = baseUrl.indexOf('?');
  return q < 0 ? `${baseUrl}/${width}` : `${baseUrl.slice(0, q)}/${width}${baseUrl.slice(q)}`;
}

function toAction(a: ImagemapAction): Action {
  switch (a.type) {
    case 'uri':
      return { type: 'uri', label: a.label, uri: a.linkUri };
    case 'clipboard':
      return { type: 'clipboard', label: a.label, clipboardText: a.clipboardText };
    default:
      return { type: 'message', label: a.label, text: a.text };
  }
}

export function ImagemapView({ message }: { message: LineMessage }) {
  const { run } = usePhone();
  const width = message.baseSize?.width || 1040;
  const height = message.baseSize?.height || 1040;
  const pct = (v: number, of: number) => `${(v / of) * 100}%`;
  return (
    <fieldset
      className="imagemap"
      aria-label={message.altText ?? 'イメージマップ'}
      style={{ aspectRatio: `${width} / ${height}` }}
    >
      {message.baseUrl && <img src={imagemapSrc(message.baseUrl)} alt={message.altText ?? ''} />}
      {(message.actions ?? []).map((a, i) => (
        <button
          key={i}
          type="button"
          className="area"
          aria-label={
            a.label ?? (a.type === 'message' ? a.text : undefined) ?? `イメージマップ エリア ${i + 1}`
          }
          style={{
            left: pct(a.area.x, width),
            top: pct(a.area.y, height),
            width: pct(a.area.width, width),
            height: pct(a.area.height, height),
          }}
          onClick={() => run(toAction(a))}
        />
      ))}
    </fieldset>
  );
}
