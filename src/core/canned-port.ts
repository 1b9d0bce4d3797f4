/** Counselors' own canned answers (personal) and their teams' (shared), kept beside the FAQ ones. */

export interface CannedAnswerRecord {
  id: string;
  /** 'personal': only its owner sees it; 'team': every member of `team` does. */
  scope: 'personal' | 'team';
  /** Owner (personal) or author (team). */
  ownerId: string;
  team?: string;
  title: string;
  text: string;
  /** Language of the text (BCP-47 primary subtag). */
  language: string;
  createdAt: Date;
  updatedAt: Date;
}

export type NewCannedAnswer = Omit<CannedAnswerRecord, 'id' | 'createdAt' | 'updatedAt'>;

export interface CannedAnswerStore {
  create(input: NewCannedAnswer): Promise<CannedAnswerRecord>;
  get(id: string): Promise<CannedAnswerRecord | undefined>;
  /** The answers a counselor may use: their personal ones and those of their teams, newest first. */
  listVisible(ownerId: string, teams: string[], limit?: number): Promise<CannedAnswerRecord[]>;
  update(id: string, patch: Partial<Pick<CannedAnswerRecord, 'title' | 'text' | 'language'>>): Promise<CannedAnswerRecord>;
  delete(id: string): Promise<void>;
}
