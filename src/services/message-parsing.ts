import { parse, type Options } from '@rocket.chat/message-parser';
import type { Mention, Message } from '../domain/types.js';
import type { Store } from '../store/store.js';
import type { SettingsService } from './settings-service.js';

const FALLBACK_NAME_PATTERN = '[0-9a-zA-Z-_.]+';

/**
 * @rocket.chat/message-parser is quadratic in the length of a whitespace-free run (a 5,000-char
 * word takes seconds and blocks the event loop; Rocket.Chat only offers MESSAGE_MAX_PARSE_LENGTH,
 * off by default). Orbit skips `md` (clients fall back to `msg`) when the sum of the squared run
 * lengths passes this budget — about 100 ms of parsing (decision).
 */
export const MAX_PARSE_COST = 250_000;

/** The parser's cost estimate for a text: the sum of the squared lengths of its whitespace-free runs. */
export function parseCost(msg: string): number {
  let cost = 0;
  for (const run of msg.split(/\s+/)) cost += run.length * run.length;
  return cost;
}

/**
 * Texts the parser turns into one plain paragraph, whatever their length: letters, digits, spaces
 * and a few punctuation marks that start no markup, link or emoticon (checked against the parser
 * itself in message-parsing.test.ts). The parser costs ~0.1–0.3 ms a call even for "hi" (it builds
 * its grammar on every call), so these texts skip it.
 */
const PLAIN_TEXT = /^[\p{L}0-9 ,?!'"&]+$/u;

/** The parser's tree for a text PLAIN_TEXT matches, or undefined for any other text. */
export function plainMarkdown(msg: string): unknown[] | undefined {
  if (!PLAIN_TEXT.test(msg) || /localhost/i.test(msg)) return undefined;
  return [{ type: 'PARAGRAPH', value: [{ type: 'PLAIN_TEXT', value: msg }] }];
}

/** `scheme://[user@]host[:port][/path][?query][#fragment]`, as Rocket.Chat's message URL regex finds them. */
const URL_PATTERN = /[A-Za-z]{3,9}:\/\/(?:[-;:&=+$,\w]+@)?[-A-Za-z0-9.]+(?::\d+)?(?:\/[-+=!:~%/.@,()\w]*)?(?:\?[-+=&!:;%@/.,\w]*)?(?:#[^\s)]*)?/g;

/** The name pattern of a setting, or the stock one when the setting is not a valid regex. */
function namePattern(source: string): string {
  try {
    new RegExp(source);
    return source;
  } catch {
    return FALLBACK_NAME_PATTERN;
  }
}

/**
 * `@name` tokens (at the start of a line, after whitespace or `>`), in order, without repeats.
 * `name@server` and `name:suffix` forms are kept whole, as Rocket.Chat does.
 */
export function findUserMentions(msg: string, pattern: string): string[] {
  const p = namePattern(pattern);
  const re = new RegExp(`(?:^|\\s|>)@(${p}(?:@${p})?(?::[0-9a-zA-Z-_.]+)?)`, 'gm');
  return unique([...msg.matchAll(re)].map((m) => m[1]!));
}

/** `#name` tokens (same positions as user mentions), in order, without repeats. */
export function findChannelMentions(msg: string, pattern: string): string[] {
  const p = namePattern(pattern);
  const re = new RegExp(`(?:^|\\s|>)#(${p}(?:@${p})?)`, 'gm');
  return unique([...msg.matchAll(re)].map((m) => m[1]!));
}

/** URLs in the text, once each; with `previewUrls`, those not listed get `ignoreParse: true`. */
export function findUrls(msg: string, previewUrls?: readonly string[]): NonNullable<Message['urls']> {
  return unique(msg.match(URL_PATTERN) ?? []).map((url) =>
    previewUrls && !previewUrls.includes(url) ? { url, ignoreParse: true } : { url },
  );
}

function unique(items: readonly string[]): string[] {
  return [...new Set(items)];
}

/** What a message's text yields: `@all`/`@here` use, resolved mentions and channels, URLs, markdown. */
export interface ParsedText {
  mentions: Mention[];
  channels: Array<{ _id: string; name: string }>;
  urls: NonNullable<Message['urls']>;
  /** Absent for an empty text (the parser refuses it) or when parsing fails. */
  md?: unknown[];
  toAll: boolean;
  toHere: boolean;
}

/** Turns a message text into its derived fields (model.md §6), as Rocket.Chat's before-save hooks do. */
export class MessageParsing {
  constructor(
    private readonly store: Store,
    private readonly settings: SettingsService,
  ) {}

  /** The `md` tree from @rocket.chat/message-parser with Rocket.Chat's options (findings §9). */
  markdown(msg: string): unknown[] | undefined {
    if (!msg) return undefined;
    const plain = plainMarkdown(msg);
    if (plain) return plain;
    if (parseCost(msg) > MAX_PARSE_COST) return undefined;
    const domains = this.settings.string('Message_CustomDomain_AutoLink');
    const options: Options = {
      colors: this.settings.bool('HexColorPreview_Enabled'),
      emoticons: true,
      customDomains: domains ? domains.split(',').map((d) => d.trim()).filter(Boolean) : [],
    };
    if (this.settings.bool('Katex_Enabled')) {
      options.katex = {
        dollarSyntax: this.settings.bool('Katex_Dollar_Syntax'),
        parenthesisSyntax: this.settings.bool('Katex_Parenthesis_Syntax'),
      };
    }
    try {
      return parse(msg, options) as unknown[];
    } catch {
      return undefined;
    }
  }

  /**
   * Parses the text. `@all`/`@here` become `{_id, username}` entries; other names become
   * `{_id, username, name, type: 'user'}` for existing users (exact username; membership not
   * required); unknown names are dropped. `#name` resolves to c/p rooms with that exact name.
   */
  async parse(msg: string, previewUrls?: readonly string[]): Promise<ParsedText> {
    const pattern = this.settings.string('UTF8_User_Names_Validation');
    const names = findUserMentions(msg, pattern);
    const toAll = names.includes('all');
    const toHere = names.includes('here');
    // `@all` / `@here` first, in the order they appear in the text, then the users.
    const mentions: Mention[] = names.filter((n) => n === 'all' || n === 'here').map((n) => ({ _id: n, username: n }));
    const wanted = names.filter((n) => n !== 'all' && n !== 'here');
    if (wanted.length > 0) {
      const found = await this.store.users.findByUsernames(wanted);
      const byName = new Map(found.filter((u) => u.username).map((u) => [u.username!, u]));
      for (const n of wanted) {
        const u = byName.get(n);
        if (!u) continue;
        const m: Mention = { _id: u._id, username: n };
        if (u.name !== undefined) m.name = u.name;
        m.type = 'user';
        mentions.push(m);
      }
    }
    const channels: ParsedText['channels'] = [];
    for (const name of findChannelMentions(msg, pattern)) {
      const room = await this.store.rooms.findByName(name);
      if (room && (room.t === 'c' || room.t === 'p') && room.name) channels.push({ _id: room._id, name: room.name });
    }
    const out: ParsedText = { mentions, channels, urls: findUrls(msg, previewUrls), toAll, toHere };
    const md = this.markdown(msg);
    if (md) out.md = md;
    return out;
  }
}
