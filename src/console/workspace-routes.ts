/** The counselor workspace routes added beside the console API: queue previews, photos, search, canned answers, signals. */
import type { FetchedMedia } from '../core/channel-port';
import type { EventBus } from '../core/event-port';
import type { Store } from '../core/store-port';
import type { HandoffModule } from '../handoff/handoff-module';
import { cannedRoutes } from './canned-routes';
import type { ConsoleRoute } from './console-routes';
import { mediaRoutes } from './media-routes';
import { queuePreviewRoutes } from './queue-preview-routes';
import { searchRoutes } from './search-routes';
import { signalRoutes } from './signal-routes';

export interface WorkspaceRouteDeps {
  store: Store;
  handoff: HandoffModule;
  events: EventBus;
  fetchMedia(channel: string, ref: string, maxBytes: number): Promise<FetchedMedia | undefined>;
  /** Queue wait before supervisors are alerted (SLA_SECONDS). */
  slaMs: number;
}

export function workspaceRoutes(deps: WorkspaceRouteDeps): ConsoleRoute[] {
  return [...queuePreviewRoutes(deps), ...mediaRoutes(deps), ...searchRoutes(deps), ...cannedRoutes(deps), ...signalRoutes(deps)];
}
