import { describe, expect, it } from 'vitest';
import { checkAttachments, isSafePartialUrl } from './attachments.js';

describe('message attachments', () => {
  it('keeps the known fields with their types, drops unknown keys (also in nested quotes)', () => {
    const r = checkAttachments([
      {
        color: '#2cbe4e',
        title: 'Build',
        title_link: 'https://ci.example.com/1',
        text: 'ok',
        ts: 1700000000,
        fields: [{ short: true, title: 'ref', value: 'main' }, { title: 'n', value: 3 }],
        actions: [{ type: 'button', text: 'Open', url: 'https://x.io', msg: 'hi' }],
        image_dimensions: { width: 1, height: 2 },
        $where: 'sleep(1000)',
        extra: { nested: true },
        attachments: [{ text: 'quoted', author_icon: '/file-upload/a.png', evil: 1 }],
      },
    ]);
    expect(r).toEqual({
      ok: true,
      attachments: [
        {
          color: '#2cbe4e',
          title: 'Build',
          title_link: 'https://ci.example.com/1',
          text: 'ok',
          ts: 1700000000,
          fields: [{ short: true, title: 'ref', value: 'main' }, { title: 'n', value: 3 }],
          actions: [{ type: 'button', text: 'Open', url: 'https://x.io', msg: 'hi' }],
          image_dimensions: { width: 1, height: 2 },
          attachments: [{ text: 'quoted', author_icon: '/file-upload/a.png' }],
        },
      ],
    });
  });

  it.each([
    ['a javascript: link', [{ title_link: 'javascript:alert(1)' }]],
    ['a relative link where a full URL belongs', [{ image_url: 'img.png' }]],
    ['a wrong type', [{ color: 3 }]],
    ['an object where a string belongs', [{ text: { $ne: '' } }]],
    ['a field without a value', [{ fields: [{ title: 't', value: '' }] }]],
    ['not an object', ['text']],
    ['not an array', { text: 'x' }],
  ])('refuses %s', (_what, value) => {
    expect(checkAttachments(value).ok).toBe(false);
  });

  it('nesting is bounded', () => {
    let deep: Record<string, unknown> = { text: 'bottom' };
    for (let i = 0; i < 10; i++) deep = { attachments: [deep] };
    const r = checkAttachments([deep]);
    expect(r.ok).toBe(true);
    expect(JSON.stringify(r)).not.toContain('bottom');
  });

  it('avatars may be relative, never javascript:', () => {
    expect(isSafePartialUrl('/avatar/x')).toBe(true);
    expect(isSafePartialUrl('https://x.io/a.png')).toBe(true);
    expect(isSafePartialUrl('javascript:alert(1)')).toBe(false);
    expect(isSafePartialUrl('JavaScript:alert(1)')).toBe(false);
  });
});
