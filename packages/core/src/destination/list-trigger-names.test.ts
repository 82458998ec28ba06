import { expect } from "vitest";
import { test } from "@hookloop/testing/fixtures";
import { listTriggerNames } from "./list-trigger-names";

test("a destination is offered the trigger names its workspace's endpoints give, and those already fired", async ({
  db,
  newEndpoint,
}) => {
  const { workspaceId, endpointId, inWorkspace } = await newEndpoint();
  const other = await newEndpoint();
  // An endpoint starts with a suggested trigger name per event; these are the marketer's own.
  await db.endpointEvent.updateMany({ where: { endpointId }, data: { triggerName: null } });
  const name = (eventType: string, triggerName: string, id = endpointId) =>
    db.endpointEvent.upsert({
      where: { endpointId_eventType: { endpointId: id, eventType } },
      create: { endpointId: id, workspaceId: id === endpointId ? workspaceId : other.workspaceId, eventType, triggerName },
      update: { triggerName },
    });
  await name("invoice.paid", "successfulPayment");
  await name("customer.created", "trialEnding");
  await name("invoice.paid", "elsewhere", other.endpointId);
  await db.triggerEvent.deleteMany({ where: { workspaceId } });
  expect(await inWorkspace((tx) => listTriggerNames(tx, { workspaceId }))).toEqual(["successfulPayment", "trialEnding"]);
});
