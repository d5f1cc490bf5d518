import { messagingApi } from '@line/bot-sdk';

// The official @line/bot-sdk for every call to LINE. Base URLs come from config so the same code
// talks to the real platform in production and to the LINE simulator in development and tests.

export interface LineChannelCredentials {
  id: string;
  accessToken: string;
}

export interface LineClients {
  messaging(channel: LineChannelCredentials): messagingApi.MessagingApiClient;
  blob(channel: LineChannelCredentials): messagingApi.MessagingApiBlobClient;
  forget(channelId: string): void;
}

export function createLineClients(baseUrls: { api: string; data: string }): LineClients {
  const messaging = new Map<string, { token: string; client: messagingApi.MessagingApiClient }>();
  const blob = new Map<string, { token: string; client: messagingApi.MessagingApiBlobClient }>();
  return {
    messaging(ch) {
      const hit = messaging.get(ch.id);
      if (hit && hit.token === ch.accessToken) return hit.client;
      const client = new messagingApi.MessagingApiClient({
        channelAccessToken: ch.accessToken,
        baseURL: baseUrls.api,
      });
      messaging.set(ch.id, { token: ch.accessToken, client });
      return client;
    },
    blob(ch) {
      const hit = blob.get(ch.id);
      if (hit && hit.token === ch.accessToken) return hit.client;
      const client = new messagingApi.MessagingApiBlobClient({
        channelAccessToken: ch.accessToken,
        baseURL: baseUrls.data,
      });
      blob.set(ch.id, { token: ch.accessToken, client });
      return client;
    },
    forget(channelId) {
      messaging.delete(channelId);
      blob.delete(channelId);
    },
  };
}
