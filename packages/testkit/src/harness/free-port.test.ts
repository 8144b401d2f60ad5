import { describe, expect, it } from "vitest";
import { freePort, portSource } from "./free-port.js";

describe("free ports", () => {
  it("never hands out a port twice, even when the system offers it again", async () => {
    const offered = [7001, 7001, 7002, 7001, 7003];
    const next = portSource(async () => offered.shift() ?? 0);
    expect([await next(), await next(), await next()]).toEqual([7001, 7002, 7003]);
  });

  it("gives up when the system keeps offering ports it handed out", async () => {
    const next = portSource(async () => 7001);
    await next();
    await expect(next()).rejects.toThrow(/not handed out already/);
  });

  it("finds loopback ports that can be bound", async () => {
    const ports = [await freePort(), await freePort()];
    expect(ports[0]).not.toBe(ports[1]);
    expect(ports.every((port) => port > 0)).toBe(true);
  });
});
