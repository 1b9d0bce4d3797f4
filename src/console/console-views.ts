/** What the console shows of stored records: abusive messages masked until revealed, no secrets. */
import type { Conversation } from '../core/conversation';
import { partsOf, type GeoLocation, type ImageRef, type LinkRef, type Message, type QuickReply } from '../core/message';
import type { ConsoleUser } from '../core/user-port';
import type { PositionedEntry } from '../handoff/handoff-service';
import { hasSkills } from '../handoff/routing-policy';

export interface ConsoleMessageView {
  id: string;
  seq: number;
  author: Message['author'];
  authorId?: string;
  direction: Message['direction'];
  /** Absent while the message is masked. */
  text?: string;
  masked: boolean;
  abusive: boolean;
  crisis: boolean;
  internal: boolean;
  /** Written by an interpreter (authorId); internal ones were written to the counselor. */
  interpreter: boolean;
  quickReplies?: QuickReply[];
  payload?: string;
  images?: ImageRef[];
  location?: GeoLocation;
  links?: LinkRef[];
  createdAt: string;
}

/** A message as the console sees it; flagged messages hide their content until revealed. */
export function toConsoleMessage(m: Message, abusive: Set<string>): ConsoleMessageView {
  const isAbusive = abusive.has(m.id) || Boolean(m.flags?.abusive);
  const c = partsOf(m.content);
  return {
    id: m.id,
    seq: m.seq,
    author: m.author,
    ...(m.authorId && { authorId: m.authorId }),
    direction: m.direction,
    ...(!isAbusive && c.text !== undefined && { text: c.text }),
    masked: isAbusive,
    abusive: isAbusive,
    crisis: Boolean(m.flags?.crisis),
    internal: Boolean(m.flags?.internal),
    interpreter: Boolean(m.flags?.interpreter),
    ...(!isAbusive && c.quickReplies?.length && { quickReplies: c.quickReplies }),
    ...(!isAbusive && c.payload && { payload: c.payload }),
    ...(!isAbusive && c.images?.length && { images: c.images }),
    ...(!isAbusive && c.location && { location: c.location }),
    ...(!isAbusive && c.links?.length && { links: c.links }),
    createdAt: m.createdAt.toISOString(),
  };
}

export function toConversationView(c: Conversation, names: Map<string, string>) {
  return {
    id: c.id,
    residentId: c.residentId,
    channel: c.channel,
    state: c.state,
    priority: c.priority,
    language: c.language,
    ...(c.lastIntent && { lastIntent: c.lastIntent }),
    // Deaf or hard of hearing: the console shows "text only, no phone callback".
    ...(c.hearingImpaired && { hearingImpaired: true }),
    ...(c.assigneeId && { assigneeId: c.assigneeId, assigneeName: names.get(c.assigneeId) ?? c.assigneeId }),
    handoffSeq: c.handoffSeq,
    misses: c.misses,
    ...(c.queuedAt && { queuedAt: c.queuedAt.toISOString() }),
    ...(c.lastInboundAt && { lastInboundAt: c.lastInboundAt.toISOString() }),
    createdAt: c.createdAt.toISOString(),
    ...(c.closedAt && { closedAt: c.closedAt.toISOString() }),
  };
}

/** A queue entry as the interface promises, plus what helps a counselor pick. */
export function toQueueItem(e: PositionedEntry, viewer: ConsoleUser) {
  return {
    conversationId: e.conversation.id,
    priority: e.conversation.priority,
    language: e.conversation.language,
    channel: e.conversation.channel,
    waitingSince: e.episode.queuedAt.toISOString(),
    position: e.position,
    ...(e.episode.team && { team: e.episode.team }),
    ...(e.episode.preferredCounselorId && { preferredCounselorId: e.episode.preferredCounselorId }),
    matchesMySkills: hasSkills(viewer, e),
    callback: Boolean(e.episode.callback),
    ...(e.conversation.hearingImpaired && { hearingImpaired: true }),
    ...(e.conversation.lastIntent && { lastIntent: e.conversation.lastIntent }),
  };
}

/** A user without the password hash or lockout internals. */
export function toUserView(u: ConsoleUser, presence: ConsoleUser['presence'] = u.presence) {
  return {
    id: u.id,
    login: u.login,
    role: u.role,
    displayName: u.displayName,
    languages: u.languages,
    teams: u.teams,
    ...(u.shift && { shift: u.shift }),
    ...(u.maxConcurrent && { maxConcurrent: u.maxConcurrent }),
    presence,
    locked: Boolean(u.lockedUntil && u.lockedUntil > new Date()),
    disabled: Boolean(u.disabled),
    createdAt: u.createdAt.toISOString(),
  };
}

/** Shows the channel and a shortened id of each of the resident's identities. */
export function maskIdentity(i: { channel: string; externalUserId: string }) {
  const id = i.externalUserId;
  return { channel: i.channel, externalUserId: id.length > 6 ? `${id.slice(0, 3)}…${id.slice(-3)}` : id };
}
