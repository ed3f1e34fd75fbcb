import { useRef, useState } from 'preact/hooks';
import type { RoomView } from '../state/room-view';
import { reasonOf } from './dialog';

/** The message box: Enter sends, Shift+Enter is a new line; typing is announced to the room. */
export function Composer({ view }: { view: RoomView }) {
  const [text, setText] = useState('');
  const [error, setError] = useState<string>();
  const box = useRef<HTMLTextAreaElement>(null);

  const send = async () => {
    const msg = text;
    if (!msg.trim()) return;
    setText('');
    setError(undefined);
    try {
      await view.send(msg);
    } catch (err) {
      setText(msg);
      setError(reasonOf(err));
    }
    box.current?.focus();
  };

  return (
    <form
      class="composer"
      onSubmit={(e) => {
        e.preventDefault();
        void send();
      }}
    >
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      <div class="row">
        <textarea
          ref={box}
          aria-label="Message"
          placeholder="Message"
          rows={1}
          value={text}
          onInput={(e) => {
            setText(e.currentTarget.value);
            if (e.currentTarget.value) view.typed();
            else view.stopTyping();
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
              e.preventDefault();
              void send();
            }
          }}
        />
        <button type="submit" class="primary" disabled={!text.trim()}>
          Send
        </button>
      </div>
    </form>
  );
}
