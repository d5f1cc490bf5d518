import { actionLabel } from '../phone-context.ts';
import type { RichMenuState } from '../types.ts';

/** The rich menu: a chat bar toggle and the menu image with one transparent button per area. */
export function RichMenuView({
  state,
  open,
  onToggle,
  onTap,
  busy,
}: {
  state: RichMenuState;
  open: boolean;
  onToggle: () => void;
  onTap: (areaIndex: number) => void;
  busy: boolean;
}) {
  const { richMenu, imageUrl, source } = state;
  const width = richMenu.size?.width || 2500;
  const height = richMenu.size?.height || 1686;
  const pct = (v: number, of: number) => `${(v / of) * 100}%`;
  return (
    <div className="richmenu">
      <button
        type="button"
        className="chatbar"
        aria-expanded={open}
        aria-controls="richmenu-panel"
        onClick={onToggle}
      >
        {richMenu.chatBarText || 'メニュー'}
        <span aria-hidden="true" className="chevron">
          {open ? '▼' : '▲'}
        </span>
      </button>
      {open && (
        <fieldset
          id="richmenu-panel"
          className="richmenu-panel"
          aria-label="リッチメニュー"
          aria-busy={busy}
          style={{ aspectRatio: `${width} / ${height}` }}
        >
          {/* A tab switch (richmenuswitch) links another menu to the user: the image, the areas and
              this caption change together, as in LINE. */}
          <img key={richMenu.richMenuId ?? imageUrl} src={imageUrl} alt="" />
          {richMenu.areas.map((area, i) => (
            <button
              key={`${richMenu.richMenuId ?? ''}-${i}`}
              type="button"
              className={area.action?.type === 'richmenuswitch' ? 'area switch' : 'area'}
              aria-label={
                area.action?.label
                  ? actionLabel(area.action)
                  : area.action?.type === 'richmenuswitch'
                    ? `タブ切り替え ${i + 1}`
                    : `エリア ${i + 1}`
              }
              data-area-index={i}
              style={{
                left: pct(area.bounds.x, width),
                top: pct(area.bounds.y, height),
                width: pct(area.bounds.width, width),
                height: pct(area.bounds.height, height),
              }}
              onClick={() => onTap(i)}
            />
          ))}
        </fieldset>
      )}
      {open && (
        <p className="richmenu-source" data-richmenu-id={richMenu.richMenuId} data-source={source}>
          {richMenu.name ? `${richMenu.name}・` : ''}
          {source === 'user' ? 'この利用者に紐づいたメニュー' : 'デフォルトのメニュー'}
        </p>
      )}
    </div>
  );
}
