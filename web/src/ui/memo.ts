import { Component, h, type FunctionComponent } from 'preact';

/** Re-renders only when a prop changed (by identity): long lists re-render only what changed. */
export function memo<P extends object>(inner: FunctionComponent<P>): FunctionComponent<P> {
  class Memo extends Component<P> {
    override shouldComponentUpdate(next: P): boolean {
      const prev = this.props as Record<string, unknown>;
      const now = next as Record<string, unknown>;
      for (const k in now) if (now[k] !== prev[k]) return true;
      for (const k in prev) if (!(k in now)) return true;
      return false;
    }
    override render(props: P) {
      return h(inner, props);
    }
  }
  return Memo as unknown as FunctionComponent<P>;
}
