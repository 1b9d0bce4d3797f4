/** Time-boxed notices (a bus strike, a water outage, a disaster alert) that supervisors publish. */

export const NOTICE_SEVERITIES = ['info', 'warning', 'alert'] as const;
export type NoticeSeverity = (typeof NOTICE_SEVERITIES)[number];

export interface Notice {
  id: string;
  /** Short headline by language; ko and en are required. */
  title: Record<string, string>;
  /** Body by language; ko and en are required. */
  body: Record<string, string>;
  /** Intents whose answers carry the notice; empty = every answer. */
  intents: string[];
  /** Area it concerns (e.g. '수원시'), shown to counselors; free text. */
  region?: string;
  severity: NoticeSeverity;
  startsAt: Date;
  endsAt: Date;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

export type NewNotice = Omit<Notice, 'id' | 'createdAt' | 'updatedAt'>;
export type NoticePatch = Partial<Omit<Notice, 'id' | 'createdAt' | 'updatedAt' | 'createdBy'>>;

export interface NoticeStore {
  create(input: NewNotice): Promise<Notice>;
  get(id: string): Promise<Notice | undefined>;
  /** Rejects with 'not_found' for an unknown id. */
  update(id: string, patch: NoticePatch): Promise<Notice>;
  delete(id: string): Promise<void>;
  /** Notices, newest start first; `activeAt` keeps those with startsAt <= t < endsAt. */
  list(query: { activeAt?: Date; limit?: number }): Promise<Notice[]>;
}
