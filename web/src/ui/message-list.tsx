import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { RoomView } from '../state/room-view';
import type { Message } from '../state/types';
import { memo } from './memo';
import { MessageItem } from './message-item';

/** At most this many messages are in the DOM; scrolling moves the window (and pages history in). */
const WINDOW = 120;
const STEP = 40;
const EDGE_PX = 300;

interface Range {
  /** Id of the first rendered message; null = the window ends at the newest message. */
  firstId: string | null;
  /** Id of the last rendered message; null = pinned to the newest. */
  lastId: string | null;
}

function indices(list: readonly Message[], r: Range): [number, number] {
  const len = list.length;
  let end = r.lastId === null ? len : list.findIndex((m) => m._id === r.lastId) + 1;
  if (end <= 0) end = len;
  let start = r.firstId === null ? Math.max(0, end - WINDOW) : list.findIndex((m) => m._id === r.firstId);
  if (start < 0 || start >= end) start = Math.max(0, end - WINDOW);
  if (r.lastId === null && end - start > WINDOW) start = end - WINDOW;
  return [start, end];
}

/**
 * The message log, virtualised: a window of at most WINDOW messages around what is on screen.
 * Near the top the window moves up (and `loadHistory` pages in older messages); near the bottom it
 * moves down; the message under the eye stays put while the window moves. At the bottom, new
 * messages keep the log scrolled to the newest.
 */
export const MessageList = memo(function MessageList({ view, myId, roles }: { view: RoomView; myId: string; roles: string }) {
  const messages = view.messages.value;
  const loaded = view.loaded.value;
  const hasOlder = view.hasOlder.value;
  const firstUnreadId = view.firstUnreadId.value;
  view.arrivals.value;
  const [range, setRange] = useState<Range>({ firstId: null, lastId: null });
  const box = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  const anchor = useRef<{ id: string; offset: number } | null>(null);
  const rendered = useRef(false);

  const [start, end] = indices(messages, range);
  const shown = messages.slice(start, end);

  /** Remembers the first message on screen and where it is, so the next render can keep it there. */
  const holdAnchor = () => {
    const el = box.current;
    if (!el) return;
    const top = el.scrollTop;
    for (const child of el.querySelectorAll<HTMLElement>('[data-mid]')) {
      if (child.offsetTop + child.offsetHeight > top) {
        anchor.current = { id: child.dataset.mid!, offset: child.offsetTop - top };
        return;
      }
    }
  };

  const moveWindow = (newStart: number, newEnd: number) => {
    holdAnchor();
    const pinned = newEnd >= messages.length;
    setRange({ firstId: messages[newStart]?._id ?? null, lastId: pinned ? null : (messages[newEnd - 1]?._id ?? null) });
  };

  const checkEdges = () => {
    const el = box.current;
    if (!el) return;
    const fromBottom = el.scrollHeight - el.scrollTop - el.clientHeight;
    stick.current = fromBottom < 40 && end >= messages.length;
    if (el.scrollTop < EDGE_PX) {
      if (start > 0) {
        const s = Math.max(0, start - STEP);
        moveWindow(s, Math.min(messages.length, s + WINDOW));
      } else if (hasOlder && loaded && !view.loadingOlder.value) {
        holdAnchor();
        void view.loadOlder().then((more) => {
          if (more) requestAnimationFrame(() => checkEdgesRef.current());
        });
      }
    } else if (fromBottom < EDGE_PX && end < messages.length) {
      const e = Math.min(messages.length, end + STEP);
      moveWindow(Math.max(0, e - WINDOW), e);
    }
  };
  const checkEdgesRef = useRef(checkEdges);
  checkEdgesRef.current = checkEdges;

  useLayoutEffect(() => {
    const el = box.current;
    if (!el || !loaded) return;
    if (!rendered.current) {
      rendered.current = true;
      const divider = firstUnreadId ? el.querySelector<HTMLElement>('.unread-divider') : null;
      if (divider && divider.offsetTop > el.clientHeight) el.scrollTop = divider.offsetTop - 40;
      else el.scrollTop = el.scrollHeight;
      stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
      // From the click (navigation) or, for a page opened on a room's URL, from the pane's start.
      const from = performance.getEntriesByName('orbit:navigate').pop() ?? performance.getEntriesByName('orbit:room-open').pop();
      performance.measure('orbit:room-render', { start: from?.startTime ?? 0, end: performance.now() });
      return;
    }
    const a = anchor.current;
    if (a) {
      anchor.current = null;
      const target = el.querySelector<HTMLElement>(`[data-mid="${CSS.escape(a.id)}"]`);
      if (target) {
        el.scrollTop = target.offsetTop - a.offset;
        return;
      }
    }
    if (stick.current) el.scrollTop = el.scrollHeight;
  });

  // Live arrivals while pinned to the bottom: keep the window at the newest (trimmed to WINDOW).
  useLayoutEffect(() => {
    if (range.lastId === null && range.firstId !== null && end - start >= WINDOW && stick.current) {
      setRange({ firstId: null, lastId: null });
    }
  }, [messages.length]);

  return (
    <div ref={box} class="log" role="log" aria-label="Messages" aria-busy={!loaded} tabIndex={0} onScroll={checkEdges}>
      {loaded && start === 0 && !hasOlder && <p class="room-start">This is the start of the room.</p>}
      {(view.loadingOlder.value || (start === 0 && hasOlder)) && (
        <p class="muted loading-older" aria-hidden="true">
          Loading older messages…
        </p>
      )}
      {shown.map((m, i) => {
        const prev = shown[i - 1];
        return (
          <div key={m._id} data-mid={m._id}>
            {m._id === firstUnreadId && (
              <div class="unread-divider" role="separator" aria-label="New messages">
                <span>New messages</span>
              </div>
            )}
            <MessageItem message={m} view={view} roles={roles} mine={m.u?._id === myId} grouped={!!prev && sameGroup(prev, m)} />
          </div>
        );
      })}
      {loaded && messages.length === 0 && <p class="muted room-start">No messages yet.</p>}
    </div>
  );
});

function sameGroup(a: Message, b: Message): boolean {
  return !a.t && !b.t && a.u?._id === b.u?._id && b.ts.getTime() - a.ts.getTime() < 5 * 60_000;
}
