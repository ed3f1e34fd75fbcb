import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { busConformance } from '../bus.conformance.js';
import { NatsBus } from './nats-bus.js';

const URL = 'nats://127.0.0.1:4222';
const logger = pino({ level: 'silent' });

busConformance('nats', () => NatsBus.connect(URL, logger));

describe('NatsBus between instances', () => {
  it('an event published on one connection reaches the other', async () => {
    const a = await NatsBus.connect(URL, logger);
    const b = await NatsBus.connect(URL, logger);
    try {
      const topic = `orbit.test.${Math.random().toString(36).slice(2)}`;
      const got = new Promise((resolve) => b.subscribe(topic, resolve));
      await b.flush();
      a.publish(topic, { at: new Date(5) });
      expect(await got).toEqual({ at: new Date(5) });
    } finally {
      await a.close();
      await b.close();
    }
  });
});
