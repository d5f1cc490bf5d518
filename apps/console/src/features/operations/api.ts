// Shapes of the operations API (modules/operations on the server).

export type MaintenanceNotice = { ja: string; en: string };

export type PublicWindow = {
  startsAt: string;
  endsAt: string | null;
  messageJa: string;
  messageEn: string | null;
  notice: MaintenanceNotice;
};

export type PublicMaintenance = { active: PublicWindow | null; upcoming: PublicWindow[] };

export type MaintenanceWindow = PublicWindow & {
  id: string;
  createdBy: string;
  createdAt: string;
  canceledAt: string | null;
  state: 'active' | 'upcoming' | 'ended' | 'canceled';
};

export type ChangeRecord = {
  id: string;
  at: string;
  kind: 'start' | 'patch' | 'update' | 'config';
  summary: string;
  version: string | null;
  revision: string | null;
  nodeVersion: string | null;
  postgresVersion: string | null;
  changedKeys: string[];
  createdBy: string;
};
