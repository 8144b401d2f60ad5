export { type WebhookChanges, webhookChanges } from "./webhook-changes.js";
export {
  notifyFromNow,
  startWebhookNotifier,
  type WebhookNotifier,
  type WebhookNotifierOptions,
} from "./webhook-notifier.js";
export {
  applyWebhookSettings,
  MAX_WEBHOOK_HEADERS,
  MAX_WEBHOOKS,
  type WebhookView,
  webhookUuid,
  webhookView,
} from "./webhook-settings.js";
