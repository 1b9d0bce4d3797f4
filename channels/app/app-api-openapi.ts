/** OpenAPI 3.1 description of /api/app/v1, generated from the same zod schemas that validate. */
import { z } from 'zod';
import { createSessionBody, errorView, listMessagesQuery, messageView, postMessageBody } from './app-api-schemas';

const schema = (s: z.ZodType) => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
};

const json = (s: z.ZodType) => ({ 'application/json': { schema: schema(s) } });
const errors = {
  '400': { description: 'Invalid input; `fields` names each bad field', content: json(errorView) },
  '401': { description: 'Missing or wrong token', content: json(errorView) },
  '429': { description: 'Too many requests', content: json(errorView) },
  '503': { description: 'Storage unavailable; retry', content: json(errorView) },
};

export function appApiOpenApi(version: string) {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Dajeong resident app API',
      version,
      description:
        'Used by the province mobile app and the web chat widget. Real-time stream: WebSocket at /api/app/v1/stream; ' +
        'send {"type":"auth","token":"...","after":"<cursor>"} first, then receive {"type":"message","message":{...},"cursor":"..."}. ' +
        'Close code 4401: the token is wrong or expired (start a new session); 1013: the service cannot check it now ' +
        '(keep the token and reconnect later). Likewise HTTP 401 ends a session and 503 asks to retry (Retry-After).',
    },
    servers: [{ url: '/api/app/v1' }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: { Message: schema(messageView), Error: schema(errorView) },
    },
    paths: {
      '/sessions': {
        post: {
          summary: 'Start a session: a resident, an open conversation and a bearer token',
          requestBody: { required: true, content: json(createSessionBody) },
          responses: {
            '201': {
              description: 'Created',
              content: json(z.object({ residentId: z.string(), conversationId: z.string(), token: z.string() })),
            },
            '400': errors['400'],
            '413': { description: 'Body larger than 64 KiB', content: json(errorView) },
            '429': errors['429'],
            '503': errors['503'],
          },
        },
      },
      '/messages': {
        post: {
          summary: 'Send a message; the same clientMessageId is stored once',
          security: [{ bearer: [] }],
          requestBody: { required: true, content: json(postMessageBody) },
          responses: {
            '202': { description: 'Stored; the reply follows on GET /messages or the stream', content: json(z.object({ messageId: z.string() })) },
            ...errors,
            '413': { description: 'Body larger than 64 KiB (photos go by upload)', content: json(errorView) },
          },
        },
        get: {
          summary: 'Messages after a cursor, long-polling up to `wait` seconds',
          security: [{ bearer: [] }],
          parameters: [
            { name: 'after', in: 'query', required: false, schema: { type: 'string' }, description: 'Cursor from a previous answer' },
            { name: 'wait', in: 'query', required: false, schema: schema(listMessagesQuery.shape.wait) },
          ],
          responses: {
            '200': { description: 'Messages', content: json(z.object({ messages: z.array(messageView), cursor: z.string() })) },
            ...errors,
          },
        },
      },
    },
  };
}
