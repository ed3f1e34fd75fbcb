import { afterEach, describe, expect, it } from 'vitest';
import type { Bus } from './bus.js';

/** Waits until `check` passes (the NATS backend delivers asynchronously). */
async function eventually(check: () => void, timeoutMs = 2000): Promise<void> {
  const start = Date.now();
  for (;;) {
    try {
      check();
      return;
    } catch (err) {
      if (Date.now() - start > timeoutMs) throw err;
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}

/** The behaviour every Bus backend must have. `open` may be called several times (instances). */
export function busConformance(name: string, open: () => Promise<Bus>): void {
  describe(`Bus conformance: ${name}`, () => {
    const opened: Bus[] = [];
    const bus = async () => {
      const b = await open();
      opened.push(b);
      return b;
    };
    afterEach(async () => {
      for (const b of opened.splice(0)) await b.close();
    });

    it('delivers a payload to every handler of the topic, Dates intact, in publish order', async () => {
      const b = await bus();
      const topic = `t.${Math.random().toString(36).slice(2)}`;
      const a: unknown[] = [];
      const c: unknown[] = [];
      b.subscribe(topic, (p) => a.push(p));
      b.subscribe(topic, (p) => c.push(p));
      const when = new Date(1_700_000_000_123);
      for (let i = 0; i < 50; i++) b.publish(topic, { i, when, nested: { list: [when] } });
      await eventually(() => expect(a).toHaveLength(50));
      await eventually(() => expect(c).toHaveLength(50));
      expect(a.map((p) => (p as { i: number }).i)).toEqual([...Array(50).keys()]);
      expect(a[0]).toEqual({ i: 0, when, nested: { list: [when] } });
      expect((a[0] as { when: Date }).when).toBeInstanceOf(Date);
    });

    it('does not deliver other topics, and stops after unsubscribe', async () => {
      const b = await bus();
      const topic = `t.${Math.random().toString(36).slice(2)}`;
      const got: unknown[] = [];
      const off = b.subscribe(topic, (p) => got.push(p));
      b.subscribe(`${topic}.other`, () => got.push('wrong'));
      b.publish(topic, 1);
      await eventually(() => expect(got).toEqual([1]));
      off();
      b.publish(topic, 2);
      b.publish(`${topic}.elsewhere`, 3);
      await new Promise((r) => setTimeout(r, 100));
      expect(got).toEqual([1]);
    });

    it('a handler that throws does not stop delivery to the others', async () => {
      const b = await bus();
      const topic = `t.${Math.random().toString(36).slice(2)}`;
      const got: unknown[] = [];
      b.subscribe(topic, () => {
        throw new Error('boom');
      });
      b.subscribe(topic, (p) => got.push(p));
      b.publish(topic, 'x');
      b.publish(topic, 'y');
      await eventually(() => expect(got).toEqual(['x', 'y']));
    });
  });
}
