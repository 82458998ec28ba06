export * from "./stripe-fixtures";
export * from "./test-environment";
export * from "./deliveries";
export * from "./counting-client";
