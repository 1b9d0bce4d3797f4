/** Resident-facing texts about tickets: status names and the status-change message. */
import type { Ticket, TicketStatus } from '../core/ticket-port';
import { pickLocalized } from '../core/localized';

type Localized = Record<string, string>;

const STATUS: Record<TicketStatus, Localized> = {
  received: { ko: '접수', en: 'Received', zh: '已受理', vi: 'Đã tiếp nhận' },
  in_progress: { ko: '처리 중', en: 'In progress', zh: '处理中', vi: 'Đang xử lý' },
  resolved: { ko: '처리 완료', en: 'Resolved', zh: '已处理', vi: 'Đã xử lý xong' },
  rejected: { ko: '처리 불가', en: 'Could not be handled', zh: '无法处理', vi: 'Không thể xử lý' },
};

const CHANGED: Localized = {
  ko: "[민원 {reference}] 처리 상태가 '{status}'(으)로 바뀌었어요.",
  en: "[Report {reference}] Status changed to '{status}'.",
  zh: '[投诉 {reference}] 处理状态已变更为“{status}”。',
  vi: "[Báo cáo {reference}] Trạng thái đã chuyển sang '{status}'.",
};

const NOTE: Localized = {
  ko: '담당자 메모: {note}',
  en: 'Note from staff: {note}',
  zh: '工作人员备注：{note}',
  vi: 'Ghi chú của nhân viên: {note}',
};

const SUMMARY: Localized = {
  ko: '[민원 {reference}] {title} · 상태: {status} · 접수: {created} · 최근 변경: {updated}',
  en: '[Report {reference}] {title} · Status: {status} · Filed: {created} · Last change: {updated}',
  zh: '[投诉 {reference}] {title} · 状态：{status} · 受理：{created} · 最近变更：{updated}',
  vi: '[Báo cáo {reference}] {title} · Trạng thái: {status} · Ngày gửi: {created} · Cập nhật: {updated}',
};

/** Picks the resident's language, then English for other non-Korean languages, then Korean. */
export function localize(map: Localized, language: string): string {
  return pickLocalized(map, language) ?? '';
}

export function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (m, key: string) => values[key] ?? m);
}

export function statusName(status: TicketStatus, language: string): string {
  return localize(STATUS[status], language);
}

/** Korea-time "YYYY-MM-DD HH:mm". */
export function koreaTime(at: Date): string {
  return new Date(at.getTime() + 9 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}

/** The message pushed to the resident when staff change a ticket's status. */
export function statusChangeText(ticket: Ticket, note: string | undefined, language: string): string {
  const lines = [
    fill(localize(CHANGED, language), {
      reference: ticket.reference,
      status: statusName(ticket.status, language),
    }),
  ];
  if (note) lines.push(fill(localize(NOTE, language), { note }));
  return lines.join('\n');
}

/** One line describing a ticket, with its latest staff note if any. */
export function ticketSummary(ticket: Ticket, title: string, language: string): string {
  const lines = [
    fill(localize(SUMMARY, language), {
      reference: ticket.reference,
      title,
      status: statusName(ticket.status, language),
      created: koreaTime(ticket.createdAt),
      updated: koreaTime(ticket.updatedAt),
    }),
  ];
  const note = [...ticket.history].reverse().find((h) => h.note)?.note;
  if (note) lines.push(fill(localize(NOTE, language), { note }));
  return lines.join('\n');
}
