/** Canonical outbound messages to Bot Framework activities (text, suggested actions, images, link cards). */
import { CardFactory, type Activity, type CardAction } from 'botbuilder';
import type { ChannelCapabilities } from '../../src/core/channel-port';
import { partsOf, type Message } from '../../src/core/message';
import { planOutbound } from '../shared/outbound-plan';

export const BOTFRAMEWORK_CAPABILITIES: ChannelCapabilities = {
  // Teams caps a message near 28 KB; 4000 characters of Korean stays well inside on every channel.
  maxTextLength: 4000,
  maxQuickReplies: 6,
  maxButtonLabel: 40,
  images: true,
  delivery: 'push',
};

/** The activities for one message. Quick replies are messageBack actions carrying {payload}. */
export function renderBotFramework(message: Message): Partial<Activity>[] {
  const parts = planOutbound(partsOf(message.content), {
    maxTextLength: BOTFRAMEWORK_CAPABILITIES.maxTextLength,
    maxQuickReplies: BOTFRAMEWORK_CAPABILITIES.maxQuickReplies,
    maxButtonLabel: BOTFRAMEWORK_CAPABILITIES.maxButtonLabel,
    maxLinkButtons: 3,
    images: true,
  });
  return parts.map((part): Partial<Activity> => {
    if (part.kind === 'image') {
      return {
        type: 'message',
        attachments: [
          {
            contentType: part.image.mimeType ?? 'image/jpeg',
            contentUrl: part.image.url,
            name: part.image.caption,
          },
        ],
      };
    }
    const activity: Partial<Activity> = {
      type: 'message',
      text: part.text,
      textFormat: 'plain',
      locale: message.language,
    };
    if (part.quickReplies.length) {
      activity.suggestedActions = {
        to: [],
        actions: part.quickReplies.map((q): CardAction => ({
          type: 'messageBack',
          title: q.label,
          text: q.label,
          displayText: q.label,
          value: { payload: q.payload },
        })),
      };
    }
    if (part.links.length) {
      activity.attachments = [
        CardFactory.heroCard(
          '',
          undefined,
          part.links.map((l) => ({ type: 'openUrl', title: l.title, value: l.url })),
        ),
      ];
    }
    return activity;
  });
}
