import { describe, expect, it } from "vitest";
import { managesWorkspace, memberChangeRefusal, type MemberChangeRequest } from "./workspace-roles";

const owner = { memberId: "m_owner", role: "owner", name: "Olivia" };
const admin = { memberId: "m_admin", role: "admin", name: "Adam" };
const member = { memberId: "m_member", role: "member", name: "Mia" };
const ask = (request: Omit<MemberChangeRequest, "owners"> & { owners?: number }) =>
  memberChangeRefusal({ owners: 1, ...request });

describe("who changes a workspace", () => {
  it("owners and admins change its configuration; members do not", () => {
    expect(["owner", "admin", "member", ""].map(managesWorkspace)).toEqual([true, true, false, false]);
  });
});

describe("changing a member's role", () => {
  it("owners and admins make members admins and admins members", () => {
    expect(ask({ actor: owner, target: member, change: { kind: "role", role: "admin" } })).toBeNull();
    expect(ask({ actor: admin, target: member, change: { kind: "role", role: "admin" } })).toBeNull();
    expect(ask({ actor: admin, target: admin, change: { kind: "role", role: "member" } })).toBeNull();
  });

  it("a member changes no one's role", () => {
    expect(ask({ actor: member, target: member, change: { kind: "role", role: "admin" } })).toBe(
      "Only the workspace's owners and admins can change roles.",
    );
  });

  it("only an owner makes or unmakes owners", () => {
    expect(ask({ actor: admin, target: member, change: { kind: "role", role: "owner" } })).toMatch(/^Only an owner/);
    expect(ask({ actor: admin, target: owner, change: { kind: "role", role: "member" }, owners: 2 })).toMatch(/^Only an owner/);
    expect(ask({ actor: owner, target: admin, change: { kind: "role", role: "owner" } })).toBeNull();
  });

  it("the last owner cannot be demoted, one of two can", () => {
    expect(ask({ actor: owner, target: owner, change: { kind: "role", role: "admin" } })).toBe(
      "You are the workspace's only owner: make another member an owner first.",
    );
    expect(ask({ actor: owner, target: owner, change: { kind: "role", role: "admin" }, owners: 2 })).toBeNull();
  });
});

describe("removing a member", () => {
  it("owners and admins remove members and admins", () => {
    expect(ask({ actor: owner, target: admin, change: { kind: "remove" } })).toBeNull();
    expect(ask({ actor: admin, target: member, change: { kind: "remove" } })).toBeNull();
  });

  it("a member removes no one", () => {
    expect(ask({ actor: member, target: admin, change: { kind: "remove" } })).toBe(
      "Only the workspace's owners and admins can remove members.",
    );
  });

  it("only an owner removes an owner, and never the last one", () => {
    const other = { ...owner, memberId: "m_owner2", name: "Otto" };
    expect(ask({ actor: admin, target: owner, change: { kind: "remove" }, owners: 2 })).toBe(
      "Only an owner can remove an owner.",
    );
    expect(ask({ actor: owner, target: other, change: { kind: "remove" }, owners: 2 })).toBeNull();
    expect(ask({ actor: other, target: owner, change: { kind: "remove" }, owners: 1 })).toBe(
      "Olivia is the workspace's only owner and cannot be removed.",
    );
  });

  it("removing oneself is leaving", () => {
    expect(ask({ actor: admin, target: admin, change: { kind: "remove" } })).toMatch(/Leave workspace/);
  });
});

describe("leaving a workspace", () => {
  it("anyone leaves but the last owner", () => {
    expect(ask({ actor: member, target: member, change: { kind: "leave" } })).toBeNull();
    expect(ask({ actor: owner, target: owner, change: { kind: "leave" }, owners: 2 })).toBeNull();
    expect(ask({ actor: owner, target: owner, change: { kind: "leave" } })).toMatch(/only owner of this workspace/);
  });
});
