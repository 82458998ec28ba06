export * from "./catalogue";
export * from "./connections";
