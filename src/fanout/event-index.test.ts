import { describe, expect, it } from 'vitest';
import { EventIndex } from './event-index.js';

describe('EventIndex', () => {
  const each = (ix: EventIndex<string>, stream: string, name: string) => {
    const out: string[] = [];
    ix.forEach(stream, name, (s) => out.push(s));
    return out.sort();
  };

  it('keeps one subscriber as itself, several in a set, and back again', () => {
    const ix = new EventIndex<string>();
    ix.add('notify-user', 'u/message', 'a');
    expect(each(ix, 'notify-user', 'u/message')).toEqual(['a']);
    ix.add('notify-user', 'u/message', 'a'); // the same subscriber twice is one registration
    ix.add('notify-user', 'u/message', 'b');
    ix.add('notify-user', 'u/message', 'c');
    expect(each(ix, 'notify-user', 'u/message')).toEqual(['a', 'b', 'c']);
    expect(ix.count()).toBe(3);
    ix.delete('notify-user', 'u/message', 'b');
    ix.delete('notify-user', 'u/message', 'a');
    expect(each(ix, 'notify-user', 'u/message')).toEqual(['c']);
    ix.delete('notify-user', 'u/message', 'zzz');
    expect(each(ix, 'notify-user', 'u/message')).toEqual(['c']);
    ix.delete('notify-user', 'u/message', 'c');
    expect(ix.has('notify-user', 'u/message')).toBe(false);
    expect(ix.count()).toBe(0);
  });

  it('separates streams and event names', () => {
    const ix = new EventIndex<string>();
    ix.add('notify-room', 'r/typing', 'a');
    ix.add('notify-user', 'r/typing', 'b');
    ix.add('notify-room', 'r/user-activity', 'c');
    expect(each(ix, 'notify-room', 'r/typing')).toEqual(['a']);
    expect(each(ix, 'notify-user', 'r/typing')).toEqual(['b']);
    expect(each(ix, 'notify-room', 'nothing')).toEqual([]);
  });
});
