import { randomBytes } from "node:crypto";
import { describe, it } from "vitest";
import { MongoClient } from "mongodb";
import { MongoReservations, levelKey } from "../../src/modules/reservations/reservations.mongo.ts";
import { reservationContract } from "./reservations.contract.ts";

// The MongoDB store passes the same contract as the Postgres one, against a real MongoDB (a replica
// set: transactions need one). None can run on this machine, so without MONGODB_URL it is skipped.
const url = process.env.MONGODB_URL;

if (url) {
  reservationContract("mongodb", async () => {
    const client = await MongoClient.connect(url);
    const db = client.db(`bazaar_inventory_test_${randomBytes(4).toString("hex")}`);
    const store = new MongoReservations(client, db);
    await store.init();
    let n = 0;
    return {
      store,
      tenant: async () => `ten_${String(++n).padStart(26, "0")}`,
      async setStock(tenantId, sku, onHand, location = "default") {
        await store.levels.updateOne({ _id: levelKey(tenantId, sku, location) }, { $set: { tenantId, sku, location, onHand, updatedAt: new Date() }, $setOnInsert: { reserved: 0 } }, { upsert: true });
      },
      async level(tenantId, sku, location = "default") {
        const l = await store.levels.findOne({ _id: levelKey(tenantId, sku, location) });
        return { onHand: l?.onHand ?? 0, reserved: l?.reserved ?? 0 };
      },
      async stop() {
        await db.dropDatabase();
        await client.close();
      },
    };
  });
} else {
  describe("reservations contract: mongodb", () => {
    it.skip("skipped: MONGODB_URL is not set (no MongoDB can run here); set it to a replica set to run the contract suite", () => undefined);
  });
  console.log("[inventory] MongoDB reservation contract skipped: MONGODB_URL is not set");
}
