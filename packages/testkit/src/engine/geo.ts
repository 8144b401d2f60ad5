import type { Document } from "./document.js";

const EARTH_RADIUS_METERS = 6_371_000;

/** The `_geo` point of a document, when it has a valid one (numbers or numeric strings). */
export function geoPointOf(doc: Document): [number, number] | undefined {
  const geo = doc._geo;
  if (typeof geo !== "object" || geo === null) return undefined;
  const { lat, lng } = geo as Record<string, unknown>;
  const latitude = typeof lat === "string" ? Number(lat) : lat;
  const longitude = typeof lng === "string" ? Number(lng) : lng;
  if (typeof latitude !== "number" || typeof longitude !== "number") return undefined;
  if (!Number.isFinite(latitude) || !Number.isFinite(longitude)) return undefined;
  return [latitude, longitude];
}

/** Great-circle distance in meters (haversine), as Meilisearch computes `_geoDistance`. */
export function distanceMeters(
  from: readonly [number, number],
  to: readonly [number, number],
): number {
  const rad = Math.PI / 180;
  const dLat = (to[0] - from[0]) * rad;
  const dLng = (to[1] - from[1]) * rad;
  const a =
    Math.sin(dLat / 2) ** 2 +
    Math.cos(from[0] * rad) * Math.cos(to[0] * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_METERS * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** Whether a point lies in the box from its top-right to its bottom-left corner. */
export function inBoundingBox(
  point: readonly [number, number],
  topRight: readonly [number, number],
  bottomLeft: readonly [number, number],
): boolean {
  const [lat, lng] = point;
  if (lat > topRight[0] || lat < bottomLeft[0]) return false;
  if (bottomLeft[1] <= topRight[1]) return lng >= bottomLeft[1] && lng <= topRight[1];
  return lng >= bottomLeft[1] || lng <= topRight[1];
}
