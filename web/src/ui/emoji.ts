/** The common shortcodes; an unknown one stays `:code:` as typed. */
export const EMOJI: Readonly<Record<string, string>> = {
  smile: '😄', smiley: '😃', grin: '😁', joy: '😂', laughing: '😆', wink: '😉', blush: '😊', slight_smile: '🙂',
  heart_eyes: '😍', thinking: '🤔', neutral_face: '😐', sweat_smile: '😅', cry: '😢', sob: '😭', angry: '😠',
  scream: '😱', sunglasses: '😎', innocent: '😇', upside_down: '🙃', rofl: '🤣', relieved: '😌', sleeping: '😴',
  '+1': '👍', thumbsup: '👍', '-1': '👎', thumbsdown: '👎', clap: '👏', wave: '👋', pray: '🙏', ok_hand: '👌',
  muscle: '💪', raised_hands: '🙌', point_up: '☝️', eyes: '👀', heart: '❤️', broken_heart: '💔', fire: '🔥',
  tada: '🎉', rocket: '🚀', star: '⭐', sparkles: '✨', white_check_mark: '✅', x: '❌', warning: '⚠️',
  question: '❓', exclamation: '❗', bulb: '💡', coffee: '☕', beers: '🍻', pizza: '🍕', 100: '💯', zap: '⚡',
  sun: '☀️', cloud: '☁️', rainbow: '🌈', poop: '💩', skull: '💀', ghost: '👻', robot: '🤖', see_no_evil: '🙈',
};
