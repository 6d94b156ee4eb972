import { lookup } from "node:dns/promises";
import ipaddr from "ipaddr.js";
import { DeliveryError } from "./channel.ts";

/**
 * Refuse to connect to a host that is not on the public internet (loopback, private, link-local,
 * unique-local, carrier NAT, multicast, reserved...). Hosts a store or a shopper supplies (a store's
 * own SMTP server, a browser's push endpoint) would otherwise let anyone make the platform open
 * connections inside its own network. Every address the name resolves to must be public; the check
 * runs right before each send. A name re-pointed between this check and the connection (DNS
 * rebinding) is not caught here.
 */
export async function assertPublicHost(host: string): Promise<void> {
  const name = host.replace(/^\[|\]$/g, "");
  let addresses: { address: string }[];
  try {
    addresses = ipaddr.isValid(name) ? [{ address: name }] : await lookup(name, { all: true, verbatim: true });
  } catch (err) {
    throw new DeliveryError(`cannot resolve ${host}: ${(err as Error).message}`, false);
  }
  for (const { address } of addresses) {
    const range = ipaddr.process(address).range();
    if (range !== "unicast") throw new DeliveryError(`refused to connect to ${host}: it resolves to a ${range} address (${address})`, true);
  }
}
