import { significant } from "../report/cost-curves-section.js";

/** How docs/capacity.md writes its figures. */
export const count = (value: number) => Math.round(value).toLocaleString("en-US");
export const bytes = (value: number) =>
  value >= 1e12 ? `${significant(value / 1e12)} TB` : `${significant(value / 1e9)} GB`;
export const ms = (value: number) => `${significant(value)} ms`;
export const ratio = (value: number) => value.toFixed(2);
