import type { ComponentChildren, JSX } from 'preact';
import type { MdNode } from '../state/types';
import { EMOJI } from './emoji';

/**
 * Renders the server's `md` tree (Rocket.Chat's message-parser) as elements. Every piece of user
 * text becomes a text node: nothing a user wrote ever reaches `innerHTML`.
 */

const SAFE_URL = /^(?:https?:|mailto:)/i;

function text(node: unknown): string {
  if (node && typeof node === 'object' && 'value' in node) {
    const v = (node as MdNode).value;
    if (typeof v === 'string') return v;
    if (Array.isArray(v)) return v.map(text).join('');
    return text(v);
  }
  return typeof node === 'string' ? node : '';
}

function children(value: unknown): ComponentChildren {
  if (!Array.isArray(value)) return value && typeof value === 'object' ? inline(value as MdNode, 0) : null;
  return (value as MdNode[]).map((n, i) => inline(n, i));
}

function inline(node: MdNode, key: number): JSX.Element | string | null {
  switch (node.type) {
    case 'PLAIN_TEXT':
      return typeof node.value === 'string' ? node.value : text(node);
    case 'BOLD':
      return <strong key={key}>{children(node.value)}</strong>;
    case 'ITALIC':
      return <em key={key}>{children(node.value)}</em>;
    case 'STRIKE':
      return <s key={key}>{children(node.value)}</s>;
    case 'INLINE_CODE':
      return <code key={key}>{text(node.value)}</code>;
    case 'LINK': {
      const v = node.value as { src?: MdNode; label?: MdNode[] | MdNode } | undefined;
      const href = text(v?.src);
      const label = v?.label ? children(v.label) : href;
      if (!SAFE_URL.test(href)) return <span key={key}>{label}</span>;
      return (
        <a key={key} href={href} target="_blank" rel="noopener noreferrer nofollow">
          {label}
        </a>
      );
    }
    case 'MENTION_USER': {
      const name = text(node.value);
      return (
        <span key={key} class={name === 'all' || name === 'here' ? 'mention mention-group' : 'mention'}>
          @{name}
        </span>
      );
    }
    case 'MENTION_CHANNEL': {
      const name = text(node.value);
      return (
        <a key={key} class="mention" href={`/channel/${encodeURIComponent(name)}`}>
          #{name}
        </a>
      );
    }
    case 'EMOJI': {
      const v = node as MdNode & { unicode?: string; shortCode?: string };
      if (v.unicode) return v.unicode;
      const code = v.shortCode ?? text(v.value);
      const glyph = EMOJI[code];
      return glyph ? (
        <span key={key} class="emoji" title={`:${code}:`}>
          {glyph}
        </span>
      ) : (
        `:${code}:`
      );
    }
    case 'COLOR':
    case 'TIMESTAMP':
    case 'INLINE_KATEX':
      return text(node);
    case 'IMAGE': {
      const v = node.value as { label?: MdNode } | undefined;
      return text(v?.label) || null;
    }
    default:
      return text(node) || null;
  }
}

function block(node: MdNode, key: number): JSX.Element | string | null {
  switch (node.type) {
    case 'PARAGRAPH':
      return <p key={key}>{children(node.value)}</p>;
    case 'BIG_EMOJI':
      return (
        <p key={key} class="big-emoji">
          {children(node.value)}
        </p>
      );
    case 'CODE': {
      const lines = Array.isArray(node.value) ? (node.value as MdNode[]).map((l) => text(l.value)) : [];
      return (
        <pre key={key}>
          <code>{lines.join('\n')}</code>
        </pre>
      );
    }
    case 'QUOTE':
      return <blockquote key={key}>{Array.isArray(node.value) ? (node.value as MdNode[]).map(block) : null}</blockquote>;
    case 'HEADING':
      return (
        <p key={key} class="md-heading">
          <strong>{children(node.value)}</strong>
        </p>
      );
    case 'UNORDERED_LIST':
    case 'TASKS':
      return <ul key={key}>{items(node)}</ul>;
    case 'ORDERED_LIST':
      return <ol key={key}>{items(node)}</ol>;
    case 'LINE_BREAK':
      return null;
    case 'KATEX':
      return (
        <pre key={key}>
          <code>{text(node)}</code>
        </pre>
      );
    default:
      return inline(node, key);
  }
}

function items(node: MdNode): JSX.Element[] {
  const list = Array.isArray(node.value) ? (node.value as MdNode[]) : [];
  return list.map((item, i) => <li key={i}>{children(item.value)}</li>);
}

export function Markdown({ md, fallback }: { md: MdNode[] | undefined; fallback: string }) {
  if (!Array.isArray(md) || md.length === 0) return <p>{fallback}</p>;
  return <>{md.map(block)}</>;
}
