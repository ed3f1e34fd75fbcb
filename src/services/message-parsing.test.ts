import { describe, expect, it } from 'vitest';
import { parse } from '@rocket.chat/message-parser';
import { MAX_PARSE_COST, findChannelMentions, findUrls, findUserMentions, parseCost, plainMarkdown } from './message-parsing.js';

const NAMES = '[0-9a-zA-Z-_.]+';

describe('message text scanning', () => {
  it('@mentions at the start, after whitespace or ">", once each, in order', () => {
    expect(findUserMentions('@a hi @b.c\n@d >@e x@f @a', NAMES)).toEqual(['a', 'b.c', 'd', 'e']);
    expect(findUserMentions('mail a@b.io', NAMES)).toEqual([]);
    expect(findUserMentions('@all @here', NAMES)).toEqual(['all', 'here']);
  });

  it('the name pattern comes from the setting; an invalid one falls back to the stock pattern', () => {
    expect(findUserMentions('@ab-c', '[a-z]+')).toEqual(['ab']);
    expect(findUserMentions('@ab-c', '[a-z')).toEqual(['ab-c']);
  });

  it('#channels like user mentions', () => {
    expect(findChannelMentions('see #general and #dev.ops, not a#b', NAMES)).toEqual(['general', 'dev.ops']);
  });

  it('urls need a scheme; previewUrls marks the others ignoreParse', () => {
    expect(findUrls('go to https://x.io/a?b=1#c and x.io and ftp://files.example.org:21/f')).toEqual([
      { url: 'https://x.io/a?b=1#c' },
      { url: 'ftp://files.example.org:21/f' },
    ]);
    expect(findUrls('https://a.io https://b.io https://a.io', ['https://b.io'])).toEqual([
      { url: 'https://a.io', ignoreParse: true },
      { url: 'https://b.io' },
    ]);
  });

  it('parse cost: squared whitespace-free runs; a 5,000-char word is over budget, 1,000 words are not', () => {
    expect(parseCost('ab cde')).toBe(4 + 9);
    expect(parseCost('y'.repeat(5000))).toBeGreaterThan(MAX_PARSE_COST);
    expect(parseCost('word '.repeat(1000))).toBeLessThan(MAX_PARSE_COST);
  });
});

describe('plainMarkdown: the parser skipped for plain texts', () => {
  const options = { colors: true, emoticons: true, customDomains: [], katex: { dollarSyntax: false, parenthesisSyntax: true } };
  const alphabet = [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789    ,?!\'"&éüñßçøåæЖжΩω日本한'];

  it('gives exactly what @rocket.chat/message-parser gives, for random plain texts', () => {
    let checked = 0;
    for (let i = 0; i < 1500; i++) {
      const len = 1 + Math.floor(Math.random() * 24);
      let text = '';
      for (let j = 0; j < len; j++) text += alphabet[Math.floor(Math.random() * alphabet.length)];
      const fast = plainMarkdown(text);
      if (!fast) continue;
      checked++;
      expect(fast, JSON.stringify(text)).toEqual(parse(text, options));
    }
    expect(checked).toBeGreaterThan(1000);
  });

  it('leaves to the parser every text with markup, links, emoticons or emoji', () => {
    for (const text of ['*b*', 'a.b', 'localhost', 'x :) y', '=D', 'B)', '8)', ':smile:', '@all', '#general', 'a\nb', '- item', '1. x', '+123456', '😀', 'a:b', 'a/b', 'a(b)', 'a;b', 'a=b', 'a%b', 'a\tb', '']) {
      expect(plainMarkdown(text), JSON.stringify(text)).toBeUndefined();
    }
  });
});
