import { Prisma, type Contact } from "@hookloop/db/client";
import { contactRecordFields, type ContactRow } from "@hookloop/domain";
import { describe, expect, expectTypeOf, it } from "vitest";

/** Columns that describe how Hookloop stores a contact, not the contact: never sent out. */
const internalColumns = ["workspaceId", "firstEventId"];

describe("the contact a destination message carries", () => {
  it("has every column of the contact table but the internal ones: a new column must choose", () => {
    expect([...contactRecordFields, ...internalColumns].sort()).toEqual(Object.keys(Prisma.ContactScalarFieldEnum).sort());
  });

  it("is built straight from a contact row", () => {
    expectTypeOf<Contact>().toExtend<ContactRow>();
  });
});
