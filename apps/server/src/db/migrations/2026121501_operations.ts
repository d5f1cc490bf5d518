import { type Kysely, sql } from 'kysely';

// Operations (issue 16). `maintenance_windows` (O-04, C-15): a window covers [starts_at, ends_at)
// (ends_at null: until switched off); a window is active when it covers now, so scheduled windows
// start and end by time alone; canceled windows are kept for the record. `change_records` (O-05):
// one row per server start that ran something different (version, Node, PostgreSQL, migrations,
// configuration hash) and the operator's own entries (patches, updates). `access_log` (S-05): one
// row per HTTP request, written in batches, deleted after ACCESS_LOG_RETENTION_DAYS.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table maintenance_windows (
      id uuid primary key default gen_random_uuid(),
      starts_at timestamptz not null,
      ends_at timestamptz,
      message_ja text not null,
      message_en text,
      created_by text not null,
      created_at timestamptz not null default now(),
      canceled_at timestamptz,
      canceled_by text,
      check (ends_at is null or ends_at > starts_at)
    );
    create index maintenance_windows_live on maintenance_windows (starts_at) where canceled_at is null;

    create table change_records (
      id bigint generated always as identity primary key,
      at timestamptz not null default now(),
      kind text not null check (kind in ('start', 'patch', 'update', 'config')),
      summary text not null,
      version text,
      revision text,
      node_version text,
      postgres_version text,
      migrations jsonb,
      config_hash text,
      config_keys jsonb,
      changed_keys jsonb,
      created_by text not null
    );
    create index change_records_start on change_records (id desc) where kind = 'start';

    create table access_log (
      id bigint generated always as identity primary key,
      at timestamptz not null,
      method text not null,
      route text,
      path text not null,
      status integer not null,
      duration_ms integer not null,
      ip text,
      account_id uuid,
      user_agent text
    );
    create index access_log_at on access_log (at);

    comment on table maintenance_windows is 'メンテナンスの予定と実施（O-04, C-15）。開始から終了までの間、職員のログインと住民の送信を止める';
    comment on column maintenance_windows.id is 'ID（主キー）';
    comment on column maintenance_windows.starts_at is '開始日時';
    comment on column maintenance_windows.ends_at is '終了日時（空: 止めるまで続く）';
    comment on column maintenance_windows.message_ja is '画面に出すお知らせ（日本語）';
    comment on column maintenance_windows.message_en is '画面に出すお知らせ（英語）';
    comment on column maintenance_windows.created_by is '登録した人（職員のログイン ID、またはコマンド cli）';
    comment on column maintenance_windows.created_at is '作成日時';
    comment on column maintenance_windows.canceled_at is '取り消した・終えた日時';
    comment on column maintenance_windows.canceled_by is '取り消した人（職員のログイン ID、またはコマンド cli）';

    comment on table change_records is '変更履歴（O-05）: 起動ごとの版・設定の変化と、運用者が記録したパッチ・更新';
    comment on column change_records.id is 'ID（主キー）';
    comment on column change_records.at is '日時';
    comment on column change_records.kind is '種類（コード値）';
    comment on column change_records.summary is '内容の要約';
    comment on column change_records.version is '窓口のバージョン';
    comment on column change_records.revision is 'ビルドの版（MADOGUCHI_REVISION）';
    comment on column change_records.node_version is 'Node.js のバージョン';
    comment on column change_records.postgres_version is 'PostgreSQL のバージョン';
    comment on column change_records.migrations is '適用済みのデータベース移行の一覧（JSON）';
    comment on column change_records.config_hash is '設定全体の指紋';
    comment on column change_records.config_keys is '設定ごとの指紋（秘密の設定は値を保存しない。JSON）';
    comment on column change_records.changed_keys is '前回から変わった設定の名前（JSON）';
    comment on column change_records.created_by is '記録した人（server: 起動時、cli: コマンド）';

    comment on table access_log is 'アクセスログ（S-05）: HTTP 要求 1 件につき 1 行。ACCESS_LOG_RETENTION_DAYS を過ぎると削除';
    comment on column access_log.id is 'ID（主キー）';
    comment on column access_log.at is '受け付けた日時';
    comment on column access_log.method is 'HTTP メソッド';
    comment on column access_log.route is 'ルートの型（例: /api/friends/:id）';
    comment on column access_log.path is 'パス（? 以降は記録しない）';
    comment on column access_log.status is '応答の HTTP ステータス';
    comment on column access_log.duration_ms is '処理時間（ミリ秒）';
    comment on column access_log.ip is '接続元の IP アドレス';
    comment on column access_log.account_id is 'ログイン中の職員（staff_accounts.id）';
    comment on column access_log.user_agent is 'ブラウザの種類（200 文字まで）';
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table access_log; drop table change_records; drop table maintenance_windows;`.execute(db);
}
