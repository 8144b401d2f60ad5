/** Everything a suite started, stopped in reverse order however the suite ends. */
export class Stoppables {
  private readonly started: { stop(): Promise<void> }[] = [];

  add<T extends { stop(): Promise<void> }>(service: T): T {
    this.started.push(service);
    return service;
  }

  async stop(service: { stop(): Promise<void> }): Promise<void> {
    const at = this.started.indexOf(service);
    if (at !== -1) this.started.splice(at, 1);
    await service.stop();
  }

  async stopAll(): Promise<void> {
    while (this.started.length > 0) {
      await this.started
        .pop()
        ?.stop()
        .catch(() => undefined);
    }
  }
}
