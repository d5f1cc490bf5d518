import { type ReactNode, useEffect, useId, useRef } from 'react';
import type { Action } from '../types.ts';

function Modal({
  title,
  submitLabel,
  onClose,
  onSubmit,
  children,
}: {
  title: string;
  submitLabel: string;
  onClose: () => void;
  onSubmit: (form: FormData) => void;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  return (
    <dialog
      ref={ref}
      className="modal"
      aria-labelledby={titleId}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          onSubmit(new FormData(e.currentTarget));
        }}
      >
        <h2 id={titleId}>{title}</h2>
        <div className="modal-fields">{children}</div>
        <div className="modal-actions">
          <button type="button" onClick={onClose}>
            キャンセル
          </button>
          <button type="submit" className="primary">
            {submitLabel}
          </button>
        </div>
      </form>
    </dialog>
  );
}

function field(form: FormData, name: string): string {
  const v = form.get(name);
  return typeof v === 'string' ? v.trim() : '';
}

export function NewUserDialog({
  defaultName,
  onClose,
  onCreate,
}: {
  defaultName: string;
  onClose: () => void;
  onCreate: (displayName: string) => void;
}) {
  return (
    <Modal
      title="新しいユーザー"
      submitLabel="作成"
      onClose={onClose}
      onSubmit={(form) => onCreate(field(form, 'displayName') || defaultName)}
    >
      <label>
        表示名
        <input name="displayName" defaultValue={defaultName} required maxLength={20} autoComplete="off" />
      </label>
    </Modal>
  );
}

export interface LocationInput {
  title: string;
  address: string;
  latitude: number;
  longitude: number;
}

/** Defaults to 千葉市役所. */
export function LocationDialog({
  onClose,
  onSend,
}: {
  onClose: () => void;
  onSend: (loc: LocationInput) => void;
}) {
  return (
    <Modal
      title="位置情報を送信"
      submitLabel="この位置を送信"
      onClose={onClose}
      onSubmit={(form) =>
        onSend({
          title: field(form, 'title') || '位置情報',
          address: field(form, 'address'),
          latitude: Number(field(form, 'latitude')),
          longitude: Number(field(form, 'longitude')),
        })
      }
    >
      <label>
        名称
        <input name="title" defaultValue="千葉市役所" maxLength={100} />
      </label>
      <label>
        住所
        <input name="address" defaultValue="千葉県千葉市中央区千葉港1-1" required maxLength={100} />
      </label>
      <div className="modal-row">
        <label>
          緯度
          <input
            name="latitude"
            type="number"
            step="any"
            min={-90}
            max={90}
            defaultValue="35.6073"
            required
          />
        </label>
        <label>
          経度
          <input
            name="longitude"
            type="number"
            step="any"
            min={-180}
            max={180}
            defaultValue="140.1063"
            required
          />
        </label>
      </div>
    </Modal>
  );
}

const pad = (n: number) => String(n).padStart(2, '0');

function now(mode: string): string {
  const d = new Date();
  const date = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  return mode === 'date' ? date : mode === 'time' ? time : `${date}T${time}`;
}

/** Native date/time input for a datetimepicker action; answers the postback params. */
export function DatetimeDialog({
  action,
  onClose,
  onPick,
}: {
  action: Action;
  onClose: () => void;
  onPick: (params: Record<string, string>) => void;
}) {
  const mode = action.mode === 'date' || action.mode === 'time' ? action.mode : 'datetime';
  const label = mode === 'date' ? '日付' : mode === 'time' ? '時刻' : '日時';
  return (
    <Modal
      title={action.label || `${label}を選択`}
      submitLabel="決定"
      onClose={onClose}
      onSubmit={(form) => onPick({ [mode]: field(form, 'value') })}
    >
      <label>
        {label}
        <input
          name="value"
          type={mode === 'datetime' ? 'datetime-local' : mode}
          defaultValue={action.initial ?? now(mode)}
          min={action.min}
          max={action.max}
          required
        />
      </label>
    </Modal>
  );
}
