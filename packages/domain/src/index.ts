export * from "./stripe-event-catalogue";
export * from "./stripe-event";
export * from "./classify-event";
export * from "./plan-contact-change";
export * from "./contact-fields";
export * from "./event-order";
export * from "./trigger-name";
export * from "./signing-secret";
