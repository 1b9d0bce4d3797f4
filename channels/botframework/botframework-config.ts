/**
 * Bot Framework settings, under botbuilder's own names: MicrosoftAppId, MicrosoftAppPassword,
 * MicrosoftAppType, MicrosoftAppTenantId (plus its optional cloud endpoints, e.g.
 * ToBotFromChannelOpenIdMetadataUrl). The channel is enabled when MicrosoftAppId is present;
 * an empty MicrosoftAppId turns authentication off, for the Bot Framework Emulator on a laptop.
 */
import type { ConfigurationBotFrameworkAuthenticationOptions } from 'botbuilder';
import { present } from '../shared/channel-config';

export interface BotFrameworkConfig {
  appId: string;
  /** Passed as is to ConfigurationBotFrameworkAuthentication. */
  auth: ConfigurationBotFrameworkAuthenticationOptions;
  /** True when requests are not authenticated (empty app id). */
  authDisabled: boolean;
}

/** botbuilder endpoint settings copied through when set (sovereign clouds, testing). */
const PASS_THROUGH = [
  'ChannelService',
  'OAuthUrl',
  'ToChannelFromBotLoginUrl',
  'ToChannelFromBotOAuthScope',
  'ToBotFromChannelTokenIssuer',
  'ToBotFromChannelOpenIdMetadataUrl',
  'ToBotFromEmulatorOpenIdMetadataUrl',
  'ValidateAuthority',
] as const;

/**
 * Public Azure cloud values. botbuilder switches to "parameterized" authentication as soon as one
 * endpoint is overridden and then needs all of them, so unset ones are filled with these.
 */
const PUBLIC_CLOUD: Record<string, string | boolean> = {
  ToChannelFromBotLoginUrl: 'https://login.microsoftonline.com/botframework.com',
  ToChannelFromBotOAuthScope: 'https://api.botframework.com',
  ToBotFromChannelTokenIssuer: 'https://api.botframework.com',
  OAuthUrl: 'https://api.botframework.com',
  ToBotFromChannelOpenIdMetadataUrl: 'https://login.botframework.com/v1/.well-known/openidconfiguration',
  ToBotFromEmulatorOpenIdMetadataUrl:
    'https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration',
  ValidateAuthority: true,
  CallerId: 'urn:botframework:azure',
};

const APP_TYPES = ['MultiTenant', 'SingleTenant', 'UserAssignedMSI'];

/**
 * The Bot Framework configuration, or undefined when MicrosoftAppId is absent from the environment.
 * @throws Error when an app id is set without what its app type needs (password, tenant).
 */
export function botFrameworkConfig(env: NodeJS.ProcessEnv): BotFrameworkConfig | undefined {
  if (env.MicrosoftAppId === undefined) return undefined;
  const appId = env.MicrosoftAppId.trim();
  const appType = present(env.MicrosoftAppType) ? env.MicrosoftAppType : 'MultiTenant';
  const problems: string[] = [];
  if (!APP_TYPES.includes(appType)) problems.push(`MicrosoftAppType must be one of ${APP_TYPES.join(', ')}`);
  if (appId && appType !== 'UserAssignedMSI' && !present(env.MicrosoftAppPassword))
    problems.push('MicrosoftAppPassword is required with MicrosoftAppId');
  if (appId && appType !== 'MultiTenant' && !present(env.MicrosoftAppTenantId))
    problems.push(`MicrosoftAppTenantId is required for ${appType}`);
  if (problems.length) throw new Error(`Invalid botframework channel configuration: ${problems.join('; ')}`);
  const auth: ConfigurationBotFrameworkAuthenticationOptions = {
    MicrosoftAppId: appId,
    MicrosoftAppPassword: env.MicrosoftAppPassword ?? '',
    MicrosoftAppType: appType,
    MicrosoftAppTenantId: env.MicrosoftAppTenantId ?? '',
  };
  const overrides = PASS_THROUGH.filter((key) => present(env[key]));
  if (overrides.length && !present(env.ChannelService)) Object.assign(auth, PUBLIC_CLOUD);
  for (const key of overrides) auth[key] = env[key];
  return { appId, auth, authDisabled: !appId };
}
