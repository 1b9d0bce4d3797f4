/** Reads a resident's message as the answer to one flow step, or says why it does not fit. */
import { decodeButton, type FlowAction } from '../core/button-payload';
import type { FlowLocation } from '../core/conversation';
import { textOf, type ImageRef, type MessageContent } from '../core/message';
import { findReference } from '../tickets/ticket-reference';
import type { FlowStep } from './flow-schema';

/** The flow button pressed, if the message is one. */
function flowAction(content: MessageContent): FlowAction | undefined {
  const button = content.kind === 'button' ? decodeButton(content.payload) : undefined;
  return button?.kind === 'flow' ? button.action : undefined;
}

const CANCEL =
  /^(취소|취소할게요|취소해\s*주세요|그만|그만할래요|안\s*할래요|cancel|stop|quit|never\s*mind|hủy|huỷ|dừng|取消|算了)[.!\s]*$/iu;
const RESUME =
  /^(계속|계속할게요|이어서|이어서\s*하기|재개|continue|resume|go\s*on|tiếp\s*tục|继续)[.!\s]*$/iu;
const YES =
  /^(네|예|응|어|맞아요|맞습니다|좋아요|접수해\s*주세요|접수|yes|y|yeah|yep|ok|okay|sure|submit|có|đúng|vâng|是|好|对)[.!\s]*$/iu;
const NO = /^(아니요|아니오|아뇨|아니|no|n|nope|không|不|不是)[.!\s]*$/iu;
const SKIP =
  /^(사진\s*없음|사진\s*없어요|없음|없어요|없습니다|건너뛰기|패스|skip|no\s*photo|none|không\s*có(\s*ảnh)?|没有(照片)?)[.!\s]*$/iu;
const MINE =
  /(내\s*민원|제\s*민원|나의\s*민원|my\s*(reports|tickets|complaints)|báo\s*cáo\s*của\s*tôi|我的投诉)/iu;

/**
 * What makes a typed text read as an address or landmark: a word ending like a Korean place name
 * ("수원시", "효원로", "영통역"), a position word ("앞", "근처"), a number, or English equivalents.
 * The suffix must end the word, so "도로에 구멍" is not taken for an address.
 */
const ADDRESS_HINT =
  /[가-힣]+(시|군|구|동|읍|면|리|로|길|역|대로|사거리|삼거리|교차로|아파트|학교|공원|시장|병원|터미널|주민센터|청|앞|옆)(?=$|[\s,.\d])|(^|\s)(앞|옆|근처|건너편|맞은편)(?=$|[\s,.])|\d|\b(street|st|road|rd|avenue|ave|station|near|apartment|apt|park|school|gu|dong|si|ro|gil)\b/iu;

export type Intent = 'cancel' | 'resume';

/** Recognises "cancel" and "continue", by button or by word. */
export function controlIntent(content: MessageContent): Intent | undefined {
  const action = flowAction(content);
  if (action === 'cancel' || action === 'resume') return action;
  const text = textOf(content).trim();
  if (CANCEL.test(text)) return 'cancel';
  if (RESUME.test(text)) return 'resume';
  return undefined;
}

export type StepValue =
  | { kind: 'location'; value: FlowLocation }
  | { kind: 'text'; value: string }
  | { kind: 'photo'; value: ImageRef[] }
  | { kind: 'confirm'; value: boolean }
  | { kind: 'reference'; value: string }
  | { kind: 'mine' };

/** The value a message gives a step, or undefined when it does not answer it. */
export function readStepInput(step: FlowStep, content: MessageContent): StepValue | undefined {
  const text = textOf(content).trim();
  const action = flowAction(content);
  switch (step.type) {
    case 'location': {
      if (content.kind === 'location') return { kind: 'location', value: content.location };
      if (text.length >= 4 && text.length <= 300 && ADDRESS_HINT.test(text))
        return { kind: 'location', value: { address: text } };
      return undefined;
    }
    case 'text': {
      const letters = text.replace(/\s/g, '').length;
      if (letters >= step.minLength && text.length <= step.maxLength) return { kind: 'text', value: text };
      return undefined;
    }
    case 'photo': {
      if (content.kind === 'image' && content.images.length) return { kind: 'photo', value: content.images };
      if (step.optional && (action === 'skip' || SKIP.test(text)))
        return { kind: 'photo', value: [] };
      return undefined;
    }
    case 'confirm': {
      if (action === 'yes' || YES.test(text)) return { kind: 'confirm', value: true };
      if (action === 'no' || NO.test(text)) return { kind: 'confirm', value: false };
      return undefined;
    }
    case 'ticket_reference': {
      const button = content.kind === 'button' ? decodeButton(content.payload) : undefined;
      const reference = findReference(button?.kind === 'ticket' ? button.reference : text);
      if (reference) return { kind: 'reference', value: reference };
      if (action === 'mine' || MINE.test(text)) return { kind: 'mine' };
      return undefined;
    }
  }
}
