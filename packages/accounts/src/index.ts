export * from "./account-mails";
export * from "./client-address";
export * from "./password-policy";
