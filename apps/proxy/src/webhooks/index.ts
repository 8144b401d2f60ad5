export {
  notifyFromNow,
  startWebhookNotifier,
  WEBHOOK_CURSOR_SINK,
  type WebhookNotifier,
  type WebhookNotifierOptions,
} from "./webhook-notifier.js";
export {
  applyWebhookSettings,
  MAX_WEBHOOK_HEADERS,
  MAX_WEBHOOKS,
  type Webhook,
  type WebhookView,
  webhookUuid,
  webhookView,
} from "./webhook-settings.js";
export { WEBHOOKS_ROW_KEY, type WebhookStore, webhookStore } from "./webhook-store.js";
