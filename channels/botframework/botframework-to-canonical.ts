/** Bot Framework activities to canonical inbound messages. Platform types stop here. */
import { TurnContext, type Activity, type ConversationReference } from 'botbuilder';
import { contentOf, type ContentParts, type InboundMessage } from '../../src/core/message';

/** channelContext key holding the conversation reference needed to answer later. */
export const REFERENCE_KEY = 'botframework';

/** The canonical message for a message activity, or undefined for other activity types. */
export function botFrameworkToCanonical(activity: Activity): InboundMessage | undefined {
  if (activity.type !== 'message') return undefined;
  const conversation = `${activity.channelId}:${activity.conversation.id}`;
  const content: ContentParts = { text: activity.text ?? '' };
  const payload = (activity.value as { payload?: unknown } | undefined)?.payload;
  if (typeof payload === 'string') content.payload = payload;
  for (const a of activity.attachments ?? []) {
    if (a.contentType?.startsWith('image/') && a.contentUrl)
      (content.images ??= []).push({ url: a.contentUrl, mimeType: a.contentType, caption: a.name });
  }
  const reference: Partial<ConversationReference> = TurnContext.getConversationReference(activity);
  return {
    channel: 'botframework',
    // One conversation per Bot Framework conversation: replies are addressed to it.
    externalUserId: conversation,
    // Activity ids are unique within a conversation only.
    channelMessageId: `${conversation}:${activity.id ?? ''}`,
    content: contentOf(content),
    locale: activity.locale,
    sentAt: activity.timestamp ? new Date(activity.timestamp) : undefined,
    channelContext: { [REFERENCE_KEY]: reference },
  };
}
